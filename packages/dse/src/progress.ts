import cliProgress from "cli-progress";

export interface Progress {
  /** One more point finished. */
  tick(): void;
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
    return { tick() {}, stop: () => void stream.write(summary()) };
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
    tick: () => bar.increment(),
    stop: () => {
      bar.stop();
      stream.write(summary());
    },
  };
}
