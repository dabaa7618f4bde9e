import { truncBaselineGuard, type AreaPart, type ArrayArea, type BinaryBaseline } from "./array.ts";
import { fusionSumBits } from "./fusion.ts";

/** A lane design with whole-lane timing: the SC lane, or a binary baseline with a timed lane. */
export type TimedDesign = "sc" | BinaryBaseline;

/** Timing of one synthesized lane (register to register) at the source's delay target. */
export interface LaneTiming {
  delayPs: number;
  /** targetPs − delayPs; negative when the lane misses the target. */
  slackPs: number;
  /** Area of the synthesized lane (for the cost of pipelining: pipelined.areaUm2 − areaUm2). */
  areaUm2: number;
  /** The same lane with one synthesized pipeline register stage, when the plain lane misses. */
  pipelined?: { delayPs: number; slackPs: number; areaUm2: number };
}

/** Whole-lane timing at one clock target (cost-yosys: the synthesized timing table). */
export interface LaneTimingSource {
  id: string;
  targetPs: number;
  lane(design: TimedDesign, bits: number, parallel?: number): LaneTiming;
}

/**
 * Clock policies that use whole-lane timing (ScenarioInput.clock):
 * - `target-pipelined`: every design runs at the target clock; a lane that misses it gets the
 *   synthesized pipeline stage (its extra area added per lane), and runs at 1 / its pipelined delay
 *   if even that misses (a lane with no pipelined variant, the bit-serial one, at 1 / its delay);
 * - `target-own`: no pipelining; a design runs at the target clock if its lane meets it, else at
 *   its own clock 1 / delay.
 */
export type TargetClock = "target-pipelined" | "target-own";

export interface TimedArea {
  area: ArrayArea;
  clockHz: number;
  slackPs: number;
  pipelined: boolean;
}

/**
 * Flip-flops of the synthesized pipeline stage (cost-yosys timing.ts): SC — the stream front's
 * increment (log2 b + 1 bits), direction and enable; exact — the 2N-bit product, sign and enable;
 * iso-bisc — the N-bit product, sign and enable; trunc-g<g> (g < N) — the (N + g)-bit product, sign
 * and enable; bit-fusion — the signed (4B + 1)-bit sum and enable. The bit-serial lane has no
 * pipelined variant.
 */
export function pipelineStageBits(design: TimedDesign, bits: number, parallel = 1): number {
  switch (design) {
    case "sc":
      return Math.round(Math.log2(parallel)) + 3;
    case "exact":
      return 2 * bits + 2;
    case "iso-bisc":
      return bits + 2;
    case "bit-fusion":
      // the signed (4B + 1)-bit sum + enable
      return fusionSumBits(bits) + 1;
    default: {
      // trunc-g<g> (g < N): the (N + g)-bit product + sign + enable
      const g = truncBaselineGuard(design);
      if (g !== null && g < bits) return bits + g + 2;
      throw new RangeError(`pipelineStageBits: the ${design} lane has no pipelined variant`);
    }
  }
}

/** Applies a target clock policy to an array: its clock, slack and (pipelined) added area. */
export function timedArray(
  area: ArrayArea,
  policy: TargetClock,
  timing: LaneTimingSource,
  lane: { design: TimedDesign; bits: number; parallel?: number },
): TimedArea {
  const t = timing.lane(lane.design, lane.bits, lane.parallel);
  const targetHz = 1e12 / timing.targetPs;
  if (t.slackPs >= 0) return { area, clockHz: targetHz, slackPs: t.slackPs, pipelined: false };
  if (policy === "target-own") return { area, clockHz: 1e12 / t.delayPs, slackPs: t.slackPs, pipelined: false };
  // a lane without a pipelined variant (the bit-serial lane) runs at its own clock
  if (!t.pipelined) return { area, clockHz: 1e12 / t.delayPs, slackPs: t.slackPs, pipelined: false };
  const extra = Math.max(0, t.pipelined.areaUm2 - t.areaUm2);
  const part: AreaPart = {
    part: "lane: pipeline stage (synthesized)",
    // area: the synthesized pipelined lane's extra area; energy: a register of the stage's width
    query: { kind: "register", widthBits: pipelineStageBits(lane.design, lane.bits, lane.parallel) },
    scope: "lane",
    count: area.lanes,
    areaEachUm2: extra,
    areaUm2: extra * area.lanes,
    model: timing.id,
  };
  return {
    area: {
      ...area,
      areaUm2: area.areaUm2 + part.areaUm2,
      laneAreaUm2: area.laneAreaUm2 + extra,
      parts: [...area.parts, part],
    },
    clockHz: 1e12 / Math.max(timing.targetPs, t.pipelined.delayPs),
    slackPs: t.pipelined.slackPs,
    pipelined: true,
  };
}
