// Generates the QR golden images under test/golden/qr/ from payloads, never by hand:
//   npx tsx scripts/qr-goldens.ts
// Every image is built from a rendered module matrix by pure pixel transforms (seeded), so running this
// again writes identical files; test/unit/qr/goldens.test.ts checks that the committed ones still match.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Rgb, type RgbaImage, rasterise, solidImage, WHITE } from '../src/qr/raster';
import { type QrPayload, qrMatrix } from '../src/qr/render';
import { SAMPLE_PREFIX, sampleCode } from '../test/unit/qr/support/codes';
import { encodePng } from '../test/unit/qr/support/png';
import {
  addNoise,
  clutter,
  invert,
  paste,
  resize,
  rotate,
  seededRandom,
} from '../test/unit/qr/support/synth';

export const GOLDEN_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../test/golden/qr');
export const MANIFEST = 'manifest.json';

export interface GoldenCase {
  /** File name without extension. */
  readonly name: string;
  readonly description: string;
  /** What decodeFrame must return for this picture. */
  readonly expected: string | null;
  readonly image: () => RgbaImage;
}

export interface ManifestEntry {
  readonly file: string;
  readonly description: string;
  readonly expected: string | null;
}

const CODE = sampleCode(1);
const OTHER_CODE = sampleCode(2);
const URL_PAYLOAD: QrPayload = { prefix: SAMPLE_PREFIX, code: OTHER_CODE };
const URL_TEXT = SAMPLE_PREFIX + OTHER_CODE;

/** Comfortable on-screen size, in pixels per module. */
const PLAIN_SCALE = 6;
/** The fewest whole pixels per module a decoder can be asked to read. */
const SMALL_SCALE = 2;
/** Drawn at 4 px then shrunk to 2.4 px per module: module edges blur across pixels, as through a lens. */
const RESAMPLE_SCALE = 4;
const RESAMPLE_FACTOR = 0.6;
const ROTATION_SCALE = 5;
const LOW_DARK: Rgb = [96, 96, 96];
const LOW_LIGHT: Rgb = [160, 160, 160];
/** Grey on near-white, 40 levels apart: a faded print or a dimmed screen. */
const FADED_DARK: Rgb = [200, 200, 200];
const FADED_LIGHT: Rgb = [240, 240, 240];
const FADED_SCALE = 4;
const NOISE_AMPLITUDE = 24;
const CLUTTER_SIDE = 360;
const CLUTTER_BLOCK = 12;
/** Painting over this band of rows (between the finder patterns) destroys more than error correction repairs. */
const ERASED_FROM = 0.3;
const ERASED_TO = 0.7;
const SEEDS = { clutter: 7, noise: 11, tilted: 13, negative: 17, negativeNoise: 19 } as const;

function symbol(payload: QrPayload, scale: number, dark?: Rgb, light?: Rgb): RgbaImage {
  const matrix = qrMatrix(payload);
  if (!matrix.ok) throw new Error(`golden payload refused: ${matrix.error.kind}`);
  return rasterise(matrix.value, { scale, dark, light });
}

// Centres a picture on a cluttered background and adds sensor noise over everything.
function onClutter(picture: RgbaImage, clutterSeed: number, noiseSeed: number): RgbaImage {
  const background = clutter(CLUTTER_SIDE, CLUTTER_SIDE, CLUTTER_BLOCK, seededRandom(clutterSeed));
  const left = Math.floor((CLUTTER_SIDE - picture.width) / 2);
  const upper = Math.floor((CLUTTER_SIDE - picture.height) / 2);
  return addNoise(paste(background, picture, left, upper), NOISE_AMPLITUDE, seededRandom(noiseSeed));
}

// Paints a band of rows white, leaving all three finder patterns: found, but not decodable.
function erased(picture: RgbaImage): RgbaImage {
  const from = Math.floor(picture.height * ERASED_FROM);
  const to = Math.floor(picture.height * ERASED_TO);
  return paste(picture, solidImage(picture.width, to - from, WHITE), 0, from);
}

export function goldenCases(): GoldenCase[] {
  const code = { code: CODE };
  return [
    {
      name: 'plain',
      description: 'black on white, 6 px a module',
      expected: CODE,
      image: () => symbol(code, PLAIN_SCALE),
    },
    {
      name: 'url-prefix',
      description: 'byte-mode https prefix + alphanumeric code, read back as one URL',
      expected: URL_TEXT,
      image: () => symbol(URL_PAYLOAD, PLAIN_SCALE),
    },
    { name: 'small', description: '2 px a module', expected: CODE, image: () => symbol(code, SMALL_SCALE) },
    {
      name: 'small-resampled',
      description: 'bilinear downscale to 2.4 px a module (blurred edges)',
      expected: CODE,
      image: () => resize(symbol(code, RESAMPLE_SCALE), RESAMPLE_FACTOR),
    },
    ...[7, 30, 90].map((degrees) => ({
      name: `rotated-${degrees}`,
      description: `URL symbol rotated ${degrees}° (bilinear resampling) on white`,
      expected: URL_TEXT,
      image: () => rotate(symbol(URL_PAYLOAD, ROTATION_SCALE), degrees, WHITE),
    })),
    {
      name: 'low-contrast',
      description: 'dark grey (96) on light grey (160)',
      expected: CODE,
      image: () => symbol(code, PLAIN_SCALE, LOW_DARK, LOW_LIGHT),
    },
    {
      name: 'faded',
      description: 'grey (200) on near-white (240), 4 px a module',
      expected: CODE,
      image: () => symbol(code, FADED_SCALE, FADED_DARK, FADED_LIGHT),
    },
    {
      name: 'inverted',
      description: 'light on dark, as a dark-mode screen shows it',
      expected: CODE,
      image: () => invert(symbol(code, PLAIN_SCALE)),
    },
    {
      name: 'noisy-background',
      description: 'symbol with its quiet zone on a cluttered, noisy background',
      expected: CODE,
      image: () => onClutter(symbol(code, ROTATION_SCALE), SEEDS.clutter, SEEDS.noise),
    },
    {
      name: 'noisy-tilted',
      description: 'URL symbol rotated 12° on a cluttered, noisy background',
      expected: URL_TEXT,
      image: () =>
        onClutter(rotate(symbol(URL_PAYLOAD, ROTATION_SCALE - 1), 12, WHITE), SEEDS.tilted, SEEDS.noise),
    },
    {
      name: 'negative-clutter',
      description: 'no symbol: clutter and noise only',
      expected: null,
      image: () =>
        addNoise(
          clutter(CLUTTER_SIDE, CLUTTER_SIDE, CLUTTER_BLOCK, seededRandom(SEEDS.negative)),
          NOISE_AMPLITUDE,
          seededRandom(SEEDS.negativeNoise),
        ),
    },
    {
      name: 'negative-erased',
      description: 'the middle 40% of the rows painted over: finder patterns intact, data unrecoverable',
      expected: null,
      image: () => erased(symbol(code, PLAIN_SCALE)),
    },
  ];
}

/** Writes every golden PNG and the manifest of expected texts. */
export function writeGoldens(dir: string = GOLDEN_DIR): ManifestEntry[] {
  mkdirSync(dir, { recursive: true });
  const manifest = goldenCases().map((golden): ManifestEntry => {
    const file = `${golden.name}.png`;
    writeFileSync(join(dir, file), encodePng(golden.image()));
    return { file, description: golden.description, expected: golden.expected };
  });
  writeFileSync(join(dir, MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const written = writeGoldens();
  console.log(`wrote ${written.length} goldens and ${MANIFEST} to ${GOLDEN_DIR}`);
}
