/**
 * The benchmark clock: warm-up, calibration and interleaved timed repetitions. The only
 * place of vgwsim that reads a clock (sim/ stays deterministic).
 *
 * A case has variants (the subject and its baselines). Each variant is calibrated so one
 * repetition takes about `repMs`; then every repetition times each variant in turn, so
 * load spikes on a shared machine hit them alike. Figures are items per second: the median
 * and the min-max of the repetitions.
 */

/** One way of doing a case's work: `run(count)` processes `count` items. */
export interface Variant {
  readonly name: string;
  /** 'subject' is what is measured; baselines are compared against it. */
  readonly role: 'subject' | 'baseline';
  /** A floor: the bare calls that the variant named here makes (its cost is read against this). */
  readonly floorOf?: string;
  run(count: number): void;
}

/** Timing knobs. */
export interface MeasureOptions {
  readonly reps: number;
  readonly warmupMs: number;
  readonly repMs: number;
  /** Called after each timed repetition (for the progress bar). */
  readonly onRep?: (rep: number, variant: string) => void;
}

/** Figures of one variant. */
export interface VariantResult {
  readonly variant: string;
  readonly role: 'subject' | 'baseline';
  /** Items per second. */
  readonly median: number;
  readonly min: number;
  readonly max: number;
  readonly samples: number[];
  /** Items per timed repetition (after calibration). */
  readonly itemsPerRep: number;
  /** Subject median / this median: how many times faster the subject is (1 for the subject). */
  readonly speedup: number;
  /** For a floor: the variant it is the floor of, and that variant's cost in floors (this median / its median). */
  readonly floorOf?: string;
  readonly costOverFloor?: number;
}

/** Milliseconds on a monotonic clock. */
export function nowMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

function timeIt(v: Variant, count: number): number {
  const t0 = nowMs();
  v.run(count);
  return Math.max(nowMs() - t0, 1e-6);
}

/** Items per repetition so one repetition takes about `repMs` (at least 1 item). */
function calibrate(v: Variant, repMs: number, warmupMs: number): number {
  let count = 1;
  // The first call runs cold code (lazy compilation): it is not a measurement.
  let spent = timeIt(v, count);
  let ms = timeIt(v, count);
  spent += ms;
  // Grow until a call takes a good share of a repetition, then warm up at that size. A
  // call that seems long enough is timed again: one slowed by a pause (GC, another
  // process) would otherwise stop the growth at a few items per repetition.
  while (count < 2 ** 40) {
    if (ms >= repMs / 4) {
      const again = timeIt(v, count);
      spent += again;
      ms = Math.min(ms, again);
      if (ms >= repMs / 4) break;
    }
    count = Math.ceil(count * Math.min(64, Math.max(2, repMs / 4 / ms)));
    ms = timeIt(v, count);
    spent += ms;
  }
  while (spent < warmupMs) spent += timeIt(v, count);
  return Math.max(1, Math.round((count * repMs) / ms));
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Warm up, calibrate and time every variant `reps` times, interleaved. */
export function measure(variants: readonly Variant[], o: MeasureOptions): VariantResult[] {
  const counts = variants.map((v) => calibrate(v, o.repMs, o.warmupMs));
  const samples: number[][] = variants.map(() => []);
  for (let r = 0; r < o.reps; r++) {
    variants.forEach((v, k) => {
      const ms = timeIt(v, counts[k]!);
      samples[k]!.push((counts[k]! * 1000) / ms);
      o.onRep?.(r, v.name);
    });
  }
  const medians = samples.map(median);
  const subject = variants.findIndex((v) => v.role === 'subject');
  const ref = medians[subject < 0 ? 0 : subject]!;
  return variants.map((v, k) => {
    const of = v.floorOf === undefined ? -1 : variants.findIndex((x) => x.name === v.floorOf);
    return {
      variant: v.name,
      role: v.role,
      median: medians[k]!,
      min: Math.min(...samples[k]!),
      max: Math.max(...samples[k]!),
      samples: samples[k]!,
      itemsPerRep: counts[k]!,
      speedup: ref / medians[k]!,
      ...(of >= 0 ? { floorOf: v.floorOf!, costOverFloor: medians[k]! / medians[of]! } : {}),
    };
  });
}
