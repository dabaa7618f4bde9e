import { describe, expect, it } from "vitest";
import { PILOT_STOP_LOSS_PT, pilotStartIndex, scanSeries } from "../src/scan.ts";

const rates = [1e-9, 1e-8, 1e-7, 1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 1e-1];
/** A loss curve in points: 0 below 1e-7, then 0.3, 1.5, 3, 10, … (a series whose 1-point loss lies in (1e-6, 1e-5)). */
const curve = (first: number) => (rate: number) =>
  Promise.resolve(rate < first ? 0 : [0.3, 1.5, 3, 10, 30, 60, 80, 90][Math.round(Math.log10(rate / first))]!);

describe("scanSeries", () => {
  it("from the smallest rate it scans upwards until stopLossPt, then refines the 1-point bracket", async () => {
    expect(await scanSeries(rates, 0, 2, true, curve(1e-6))).toEqual([1e-9, 1e-8, 1e-7, 1e-6, 1e-5, 1e-4, 3.16e-6]);
  });

  it("from a middle start it goes up to stopLossPt and measures nothing below when the start loses < 0.5 pt", async () => {
    expect(await scanSeries(rates, 3, 2, true, curve(1e-6))).toEqual([1e-6, 1e-5, 1e-4, 3.16e-6]);
    expect(await scanSeries(rates, 3, 2, false, curve(1e-6))).toEqual([1e-6, 1e-5, 1e-4]);
  });

  it("goes down from the start while the lowest rate measured loses ≥ 0.5 pt, so the 1-point loss is bracketed from below", async () => {
    // the start 1e-6 already loses 3 pt: stop going up at once, then 1e-7 (1.5), 1e-8 (0.3) and refine in (1e-8, 1e-7)
    expect(await scanSeries(rates, 3, 2, true, curve(1e-8))).toEqual([1e-6, 1e-7, 1e-8, 3.16e-8]);
    // a series that loses at every rate: down to the smallest rate, no bracket to refine
    expect(await scanSeries(rates, 3, 2, true, () => Promise.resolve(5))).toEqual([1e-6, 1e-7, 1e-8, 1e-9]);
  });

  it("refuses a start outside the rates", async () => {
    await expect(scanSeries(rates, 9, 2, true, curve(1e-6))).rejects.toThrow(/scan start 9/);
  });
});

describe("pilotStartIndex", () => {
  const losses = (entries: [number, number][]) => new Map(entries);
  it("starts the full scan one rate below the pilot's first rate losing ≥ 1 point", () => {
    expect(
      pilotStartIndex(
        rates,
        losses([
          [1e-6, 0],
          [1e-5, 0.2],
          [1e-4, 0.4],
          [1e-3, 1.8],
          [1e-2, 9],
        ]),
      ),
    ).toBe(5);
    // the listed rate below the bracket, even when the pilot did not measure it (it scanned down from 1e-6)
    expect(
      pilotStartIndex(
        rates,
        losses([
          [1e-6, 4],
          [1e-7, 1.2],
          [1e-8, 0.1],
        ]),
      ),
    ).toBe(1);
  });
  it("at the smallest rate when that already loses 1 point, at the largest measured when none does", () => {
    expect(pilotStartIndex(rates, losses([[1e-9, 3]]))).toBe(0);
    expect(
      pilotStartIndex(
        rates,
        losses([
          [1e-6, 0],
          [1e-3, 0.6],
          [1e-1, 0.9],
        ]),
      ),
    ).toBe(8);
    expect(() => pilotStartIndex(rates, losses([[5e-3, 1]]))).toThrow(/no listed rate/);
  });
});

describe("the pilot's early stop", () => {
  it("a pilot stopping at PILOT_STOP_LOSS_PT picks the same start as one scanning on to stopLossPt = 2, for every start and many noisy curves, and measures no more rates", async () => {
    let seed = 7;
    const rand = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    let saved = 0;
    for (let trial = 0; trial < 300; trial++) {
      // a noisy, not necessarily monotone loss curve over the rates
      const base = 10 ** (-9 + rand() * 9);
      const loss = new Map(
        rates.map((r) => [
          r,
          Math.max(0, (r >= base ? Math.log10(r / base) * (0.5 + 3 * rand()) : 0) + (rand() - 0.3)),
        ]),
      );
      for (let start = 0; start < rates.length; start++) {
        const run = async (stop: number) => {
          const seen = new Map<number, number>();
          await scanSeries(rates, start, stop, false, (r) => {
            seen.set(r, loss.get(r)!);
            return Promise.resolve(loss.get(r)!);
          });
          return seen;
        };
        const early = await run(PILOT_STOP_LOSS_PT);
        const full = await run(2);
        expect(pilotStartIndex(rates, early)).toBe(pilotStartIndex(rates, full));
        expect(early.size).toBeLessThanOrEqual(full.size);
        saved += full.size - early.size;
      }
    }
    expect(saved).toBeGreaterThan(0);
  });
});
