// Speed and time left from progress samples.
import { describe, expect, it } from 'vitest';
import {
  addSample,
  MAX_RATE_SAMPLES,
  RATE_WINDOW_MS,
  type RateSample,
  rateOf,
} from '../../../src/transfer/rate.ts';

describe('rate', () => {
  it('unknown with fewer than two samples', () => {
    expect(rateOf([], 100)).toEqual({ bytesPerSecond: 0, etaSeconds: null });
    expect(rateOf([{ at: 0, bytes: 5 }], 100)).toEqual({ bytesPerSecond: 0, etaSeconds: null });
  });

  it('bytes per second and seconds left', () => {
    let s: RateSample[] = [];
    s = addSample(s, { at: 0, bytes: 0 });
    s = addSample(s, { at: 1000, bytes: 1000 });
    s = addSample(s, { at: 2000, bytes: 2000 });
    expect(rateOf(s, 10_000)).toEqual({ bytesPerSecond: 1000, etaSeconds: 8 });
  });

  it('follows the recent speed, not the average since the start', () => {
    let s: RateSample[] = [];
    for (let t = 0; t <= 10_000; t += 500)
      s = addSample(s, { at: t, bytes: t < 5000 ? t * 10 : 50_000 + (t - 5000) });
    const r = rateOf(s, 1_000_000);
    expect(r.bytesPerSecond).toBeCloseTo(1000, 0);
    expect((s[s.length - 1]?.at ?? 0) - (s[1]?.at ?? 0)).toBeLessThan(RATE_WINDOW_MS);
  });

  it('keeps a bounded number of samples, merging ones too close together', () => {
    let s: RateSample[] = [];
    for (let t = 0; t < 1000; t++) s = addSample(s, { at: t, bytes: t });
    expect(s.length).toBeLessThanOrEqual(MAX_RATE_SAMPLES);
    expect(s.length).toBe(2);
  });

  it('no progress: speed 0 and no estimate', () => {
    const s = [
      { at: 0, bytes: 10 },
      { at: 5000, bytes: 10 },
    ];
    expect(rateOf(s, 100)).toEqual({ bytesPerSecond: 0, etaSeconds: null });
  });
});
