// Speed and time left from progress samples: pure, so the UI's numbers are testable without a clock.

export interface RateSample {
  readonly at: number;
  readonly bytes: number;
}

/** Speed is measured over about this long, so it follows changes but does not jump with every chunk. */
export const RATE_WINDOW_MS = 3_000;
/** At most this many samples are kept per transfer. */
export const MAX_RATE_SAMPLES = 32;
/** Samples closer together than this replace the newest one. */
export const MIN_SAMPLE_GAP_MS = 100;

/** Adds a sample, dropping ones older than the window (keeping the newest older one as the base). */
export function addSample(samples: readonly RateSample[], sample: RateSample): RateSample[] {
  const last = samples[samples.length - 1];
  const close = last !== undefined && sample.at - last.at < MIN_SAMPLE_GAP_MS && samples.length > 1;
  const kept = close ? samples.slice(0, -1) : [...samples];
  kept.push(sample);
  while (kept.length > 2 && sample.at - (kept[1]?.at ?? sample.at) >= RATE_WINDOW_MS) kept.shift();
  while (kept.length > MAX_RATE_SAMPLES) kept.shift();
  return kept;
}

export interface Rate {
  readonly bytesPerSecond: number;
  /** Seconds until `total`, or null while the speed is unknown. */
  readonly etaSeconds: number | null;
}

export function rateOf(samples: readonly RateSample[], total: number): Rate {
  const first = samples[0];
  const last = samples[samples.length - 1];
  if (first === undefined || last === undefined || last.at <= first.at)
    return { bytesPerSecond: 0, etaSeconds: null };
  const bytesPerSecond = ((last.bytes - first.bytes) * 1000) / (last.at - first.at);
  if (bytesPerSecond <= 0) return { bytesPerSecond: 0, etaSeconds: null };
  return { bytesPerSecond, etaSeconds: Math.max(0, (total - last.bytes) / bytesPerSecond) };
}
