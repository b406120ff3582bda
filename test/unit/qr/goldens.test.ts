// The committed goldens must be exactly what scripts/qr-goldens.ts generates: no hand-made images,
// and no stale ones after the script changes.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GOLDEN_DIR, goldenCases, MANIFEST } from '../../../scripts/qr-goldens';
import { solidImage } from '../../../src/qr/raster';
import { decodePng, encodePng } from './support/png';
import { clutter, seededRandom } from './support/synth';

describe('golden images', () => {
  const cases = goldenCases();

  it('manifest lists every generated case with its expected text', () => {
    const manifest: unknown = JSON.parse(readFileSync(join(GOLDEN_DIR, MANIFEST), 'utf8'));
    expect(manifest).toEqual(
      cases.map((golden) => ({
        file: `${golden.name}.png`,
        description: golden.description,
        expected: golden.expected,
      })),
    );
  });

  it.each(cases.map((golden) => [`${golden.name}.png`, golden] as const))(
    '%s matches the script',
    (file, golden) => {
      const committed = decodePng(readFileSync(join(GOLDEN_DIR, file)));
      const generated = golden.image();
      expect([committed.width, committed.height]).toEqual([generated.width, generated.height]);
      expect(Buffer.from(committed.data).equals(Buffer.from(generated.data))).toBe(true);
    },
  );
});

describe('PNG codec used for the goldens', () => {
  it('round-trips colour and grey images', () => {
    const colour = solidImage(3, 2, [10, 20, 30]);
    colour.data.set([1, 2, 3, 128], 8);
    const grey = clutter(17, 9, 4, seededRandom(5));
    for (const image of [colour, grey]) {
      const back = decodePng(encodePng(image));
      expect(back).toEqual(image);
    }
  });

  it('rejects a corrupted file', () => {
    const file = encodePng(solidImage(2, 2, [0, 0, 0]));
    file[file.length - 20] = (file[file.length - 20] ?? 0) ^ 0xff;
    expect(() => decodePng(file)).toThrow();
  });
});
