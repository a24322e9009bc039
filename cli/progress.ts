/**
 * The progress bar of long runs: packets simulated and virtual time reached, drawn on a
 * terminal (stderr) in place with a carriage return, erased when the run ends. Quiet when
 * the stream is not a TTY, so pipes and files never see it. Redraws at most every 100 ms
 * of wall time: the simulator calls back per batch, far more often than a person reads.
 */
import type { RunProgress } from '../sim/index.js';

/** One line of the bar, at most `width` columns. Pure, for tests. */
export function progressLine(p: RunProgress, width: number): string {
  const frac = p.totalPackets > 0 ? Math.min(1, p.packets / p.totalPackets) : 1;
  const pct = `${Math.floor(frac * 100)}%`.padStart(4);
  const text = ` ${pct} ${p.packets}/${p.totalPackets} packets, t=${fmtT(p.t)}/${fmtT(p.endT)}`;
  const barW = Math.max(10, Math.min(40, width - text.length - 2));
  const full = Math.round(frac * barW);
  return `[${'#'.repeat(full)}${'.'.repeat(barW - full)}]${text}`.slice(0, width);
}

function fmtT(t: number): string {
  return `${+t.toFixed(3)}s`;
}

export interface ProgressStream {
  readonly isTTY?: boolean;
  readonly columns?: number;
  write(s: string): unknown;
}

/** A progress callback for runScenario, or undefined when nothing should be drawn. */
export function progressReporter(stream: ProgressStream, quiet: boolean, now: () => number = () => Date.now()): ((p: RunProgress) => void) | undefined {
  if (quiet || stream.isTTY !== true) return undefined;
  let last = -Infinity;
  let drawn = false;
  return (p) => {
    if (p.done) {
      if (drawn) stream.write('\r\x1b[K');
      return;
    }
    const t = now();
    if (t - last < 100) return;
    last = t;
    drawn = true;
    stream.write(`\r${progressLine(p, Math.max(20, (stream.columns || 80) - 1))}\x1b[K`);
  };
}
