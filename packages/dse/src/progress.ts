import cliProgress from "cli-progress";

export interface Progress {
  /** `n` (default 1) more points finished. */
  tick(n?: number): void;
  /** Ends the bar and prints the summary line. */
  stop(): void;
}

/**
 * A progress bar with ETA on stderr for the points still to compute (cached ones are reported,
 * not timed, so the ETA is honest). When stderr is not a terminal (CI, tests, pipes) it prints a
 * start and a summary line instead of redrawing.
 */
export function startProgress(
  label: string,
  counts: { points: number; cached: number; toCompute: number },
  stream: NodeJS.WriteStream = process.stderr,
): Progress {
  const started = Date.now();
  const { points, cached, toCompute } = counts;
  const head = `${label}: ${points} points, ${cached} cached`;
  const summary = () => `${head}, ${toCompute} distinct computed in ${((Date.now() - started) / 1000).toFixed(1)} s\n`;
  if (toCompute === 0 || !stream.isTTY) {
    if (toCompute > 0) stream.write(`${head}, computing ${toCompute} distinct…\n`);
    const lines = progressLines(label, toCompute, stream);
    return { tick: (n = 1) => lines.tick(n), stop: () => void stream.write(summary()) };
  }
  const bar = new cliProgress.SingleBar(
    {
      stream,
      format: `${label} [{bar}] {value}/{total} | {percentage}% | ETA {eta_formatted} | ${cached} cached`,
      etaBuffer: 20,
      hideCursor: true,
      clearOnComplete: true,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(toCompute, 0);
  return {
    tick: (n = 1) => bar.increment(n),
    stop: () => {
      bar.stop();
      stream.write(summary());
    },
  };
}

/** "label: 40/120 (33 %), 2.1/s, ETA 38 s": one progress line. */
export function progressLine(label: string, done: number, total: number, elapsedMs: number, unit = ""): string {
  const rate = elapsedMs > 0 ? (done * 1000) / elapsedMs : 0;
  const eta = done >= total ? 0 : rate > 0 ? (total - done) / rate : Number.NaN;
  const secs = (s: number) =>
    Number.isNaN(s) ? "?" : s >= 90 ? `${Math.floor(s / 60)} min ${Math.round(s % 60)} s` : `${Math.round(s)} s`;
  const r = rate >= 10 ? rate.toFixed(0) : rate.toPrecision(2);
  return `${label}: ${done}/${total} (${Math.floor((100 * done) / total)} %), ${r}${unit}/s, ETA ${secs(eta)}`;
}

/**
 * Progress as plain lines for a stream that is not a terminal (CI, pipes, logs): a line with
 * done/total, rate and ETA at most every `everyMs` (default 10 s) and when the work is done, so
 * long steps are never silent. `now` is injectable for tests.
 */
export function progressLines(
  label: string,
  total: number,
  stream: { write(s: string): unknown } = process.stderr,
  options: { everyMs?: number; unit?: string; now?: () => number } = {},
): { tick(n?: number): void } {
  const now = options.now ?? Date.now;
  const every = options.everyMs ?? 10_000;
  const started = now();
  let last = started;
  let done = 0;
  return {
    tick(n = 1) {
      done += n;
      const t = now();
      if (done >= total || t - last >= every) {
        last = t;
        stream.write(`${progressLine(label, Math.min(done, total), total, t - started, options.unit)}\n`);
      }
    },
  };
}
