import type { StudySite } from "./evaluator/faulty-backend.ts";

/**
 * How SC and binary sites are compared (the ratio of their 1-point fault rates):
 * - multiplier: the SC multiplier's output is its stream bit; the binary multiplier's, its 2N product bits;
 * - accumulator: the up/down counter vs the binary adder/accumulator register;
 * - memory: the same stored weights and activations in both designs;
 * - down counter: SC only (the binary MAC has no counterpart), reported without a ratio;
 * - datapath (weakest site): each design's most fragile datapath site (memory excluded).
 */
export const SITE_GROUPS: readonly { group: string; sc: StudySite | null; binary: StudySite | null }[] = [
  { group: "multiplier", sc: "sc-stream", binary: "bin-product" },
  { group: "accumulator", sc: "sc-accumulator", binary: "bin-accumulator" },
  { group: "down counter", sc: "sc-down-counter", binary: null },
  { group: "memory", sc: "memory", binary: "memory" },
];

export function groupOf(site: StudySite): string {
  return SITE_GROUPS.find((g) => g.sc === site || g.binary === site)!.group;
}
