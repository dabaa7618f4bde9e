import { countMacs, countParams } from "@sccnn/nn";
import { registry } from "./registry.ts";

/** One line of `pnpm zoo --json`. */
export interface ZooRecord {
  id: string;
  input: [number, number, number];
  /** Multiply-accumulates per image (conv + linear), recomputed from the table. */
  macs: number;
  /** Learnable parameters, recomputed from the table. */
  params: number;
}

/** Records of every registered network, in registry order. */
export function zooRecords(): ZooRecord[] {
  return registry.map((e) => ({
    id: e.spec.id,
    input: e.spec.input,
    macs: countMacs(e.spec),
    params: countParams(e.spec),
  }));
}

function human(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(2)} G`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(2)} M`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(1)} k`;
  return String(n);
}

/** The text listing: one line per network with id, input shape, MACs and params. */
export function zooTable(records: ZooRecord[]): string {
  const idWidth = Math.max(...records.map((r) => r.id.length));
  return records
    .map(
      (r) =>
        `${r.id.padEnd(idWidth)}  input ${r.input.join("x").padEnd(9)}  MACs ${human(r.macs).padStart(9)} (${r.macs})  params ${human(r.params).padStart(9)} (${r.params})`,
    )
    .join("\n");
}
