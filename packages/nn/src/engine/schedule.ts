/**
 * Learning-rate schedules, evaluated per optimiser step.
 * - constant: lr
 * - step: lr · gamma^floor(epoch / everyEpochs)
 * - cosine: minLr + (lr − minLr)·(1 + cos(π·t/T))/2 over all T steps of the run (t = steps done),
 *   after an optional linear warm-up of `warmupEpochs`.
 */
export type LrSchedule =
  | { type: "constant" }
  | { type: "step"; everyEpochs: number; gamma: number }
  | { type: "cosine"; minLr?: number; warmupEpochs?: number };

export interface ScheduleClock {
  /** Epoch index, 0-based. */
  epoch: number;
  /** Global step index, 0-based. */
  step: number;
  stepsPerEpoch: number;
  epochs: number;
}

export function learningRate(baseLr: number, schedule: LrSchedule | undefined, clock: ScheduleClock): number {
  if (!schedule || schedule.type === "constant") return baseLr;
  if (schedule.type === "step") {
    if (!(Number.isInteger(schedule.everyEpochs) && schedule.everyEpochs > 0))
      throw new Error(`schedule.everyEpochs: expected a positive integer, got ${schedule.everyEpochs}`);
    return baseLr * schedule.gamma ** Math.floor(clock.epoch / schedule.everyEpochs);
  }
  if (schedule.type === "cosine") {
    const minLr = schedule.minLr ?? 0;
    const warm = Math.round((schedule.warmupEpochs ?? 0) * clock.stepsPerEpoch);
    if (clock.step < warm) return (baseLr * (clock.step + 1)) / warm;
    const total = Math.max(1, clock.epochs * clock.stepsPerEpoch - warm);
    const t = Math.min(clock.step - warm, total);
    return minLr + ((baseLr - minLr) * (1 + Math.cos((Math.PI * t) / total))) / 2;
  }
  throw new Error(
    `schedule.type: expected "constant", "step" or "cosine", got ${JSON.stringify((schedule as { type: unknown }).type)}`,
  );
}
