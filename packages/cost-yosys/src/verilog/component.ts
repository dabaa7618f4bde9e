import type { ComponentQuery } from "@sccnn/cost";
import {
  accumulatorName,
  accumulatorVerilog,
  multiplierName,
  multiplierVerilog,
  registerName,
  registerVerilog,
} from "./binary-lane.ts";
import { scFrontName, scFrontVerilog, scSharedName, scSharedVerilog, updownName, updownVerilog } from "./sc-lane.ts";

export interface VerilogDesign {
  /** Top module name (unique per parameter set). */
  top: string;
  source: string;
}

function need(q: ComponentQuery, field: "bits" | "accBits" | "widthBits"): number {
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
    case "accumulator":
      return {
        top: accumulatorName(need(q, "bits"), need(q, "accBits")),
        source: accumulatorVerilog(need(q, "bits"), need(q, "accBits")),
      };
    case "register":
      return { top: registerName(need(q, "widthBits")), source: registerVerilog(need(q, "widthBits")) };
    default:
      throw new RangeError(`no Verilog generator for component kind ${String((q as { kind: unknown }).kind)}`);
  }
}
