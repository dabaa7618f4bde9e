import type { ComponentQuery } from "@sccnn/cost";
import {
  accumulatorName,
  accumulatorVerilog,
  bitSerialMultiplierName,
  bitSerialMultiplierVerilog,
  multiplierName,
  multiplierVerilog,
  registerName,
  registerVerilog,
  signedAccumulatorName,
  signedAccumulatorVerilog,
} from "./binary-lane.ts";
import { truncMultiplierName, truncMultiplierVerilog } from "./trunc-lane.ts";
import { fusionMultiplierName, fusionMultiplierVerilog } from "./fusion-lane.ts";
import { convFrontName, convFrontVerilog, convSharedName, convSharedVerilog } from "./conventional-lane.ts";
import { isoMultiplierName, isoMultiplierVerilog, isoRecoderName, isoRecoderVerilog } from "./iso-lane.ts";
import { scFrontName, scFrontVerilog, scSharedName, scSharedVerilog, updownName, updownVerilog } from "./sc-lane.ts";

export interface VerilogDesign {
  /** Top module name (unique per parameter set). */
  top: string;
  source: string;
}

function need(q: ComponentQuery, field: "bits" | "accBits" | "widthBits" | "guardBits"): number {
  const v = q[field];
  if (v === undefined) throw new RangeError(`component ${q.kind} needs ${field}`);
  return v;
}

/** The Verilog of one costed component. */
export function componentVerilog(q: ComponentQuery): VerilogDesign {
  const b = q.parallel ?? 1;
  switch (q.kind) {
    case "sc-stream-front":
      return { top: scFrontName(need(q, "bits"), b), source: scFrontVerilog(need(q, "bits"), b) };
    case "sc-unit-shared":
      return { top: scSharedName(need(q, "bits"), b), source: scSharedVerilog(need(q, "bits"), b) };
    case "updown-counter":
      return { top: updownName(need(q, "accBits"), b), source: updownVerilog(need(q, "accBits"), b) };
    case "multiplier":
      return { top: multiplierName(need(q, "bits")), source: multiplierVerilog(need(q, "bits")) };
    case "accumulator": {
      const N = need(q, "bits");
      const pb = q.productBits ?? 2 * N;
      if (q.signedProduct)
        return {
          top: signedAccumulatorName(N, need(q, "accBits"), pb),
          source: signedAccumulatorVerilog(N, need(q, "accBits"), pb),
        };
      return {
        top: accumulatorName(N, need(q, "accBits"), pb),
        source: accumulatorVerilog(N, need(q, "accBits"), pb),
      };
    }
    case "iso-recoder":
      return { top: isoRecoderName(need(q, "bits")), source: isoRecoderVerilog(need(q, "bits")) };
    case "bitserial-multiplier":
      return { top: bitSerialMultiplierName(need(q, "bits")), source: bitSerialMultiplierVerilog(need(q, "bits")) };
    case "iso-multiplier":
      return { top: isoMultiplierName(need(q, "bits")), source: isoMultiplierVerilog(need(q, "bits")) };
    case "fusion-multiplier":
      return { top: fusionMultiplierName(need(q, "bits")), source: fusionMultiplierVerilog(need(q, "bits")) };
    case "trunc-multiplier":
      return {
        top: truncMultiplierName(need(q, "bits"), need(q, "guardBits")),
        source: truncMultiplierVerilog(need(q, "bits"), need(q, "guardBits")),
      };
    case "sc-conv-shared":
    case "sc-conv-front": {
      const N = need(q, "bits");
      if (q.sng === undefined) throw new RangeError(`component ${q.kind} needs sng`);
      return q.kind === "sc-conv-shared"
        ? { top: convSharedName(N, q.sng), source: convSharedVerilog(N, q.sng) }
        : { top: convFrontName(N, q.sng), source: convFrontVerilog(N, q.sng) };
    }
    case "register":
      return { top: registerName(need(q, "widthBits")), source: registerVerilog(need(q, "widthBits")) };
    default:
      throw new RangeError(`no Verilog generator for component kind ${String((q as { kind: unknown }).kind)}`);
  }
}
