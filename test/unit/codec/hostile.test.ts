// The fuzz of scripts/fuzz-codes.ts in small: every hostile input is a typed error or a usable description.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BOMBS, decodeLikeTheApp, hostileInput, SAMPLES } from './hostile-inputs.ts';

/** Enough to meet every kind of input several times, within a few seconds. */
const RUNS = 800;

describe('hostile codes', () => {
  it('the real samples decode, and every bomb is refused as too large', () => {
    expect(SAMPLES.length).toBeGreaterThan(50);
    for (const bomb of BOMBS) {
      expect(decodeLikeTheApp(bomb, 'offer', '')).toBe('too-large');
    }
  });

  it(`${RUNS} fuzzed inputs: no exception, each a typed error or a valid code`, () => {
    const seen = new Set<string>();
    fc.assert(
      fc.property(hostileInput, ({ text, path, offerSdp }) => {
        seen.add(decodeLikeTheApp(text, path, offerSdp));
      }),
      { numRuns: RUNS },
    );
    // The generators reach both outcomes and the deeper refusals, not only 'not-a-code'.
    for (const outcome of ['ok', 'damaged', 'cut-short', 'too-large', 'unexpected-type'])
      expect(seen, outcome).toContain(outcome);
  });
});
