// Contrast stretching for faint codes (grey on grey, a dim screen, a faded print). jsQR binarises with
// absolute limits, so it misses symbols whose dark and light modules are only ~40–60 levels apart;
// spreading the frame's luminance over the full 0–255 range first lets it see them.

const CHANNELS = 4;
const LEVELS = 256;
const MAX_LEVEL = LEVELS - 1;
// The luminance weights jsQR itself uses (ITU-R BT.601).
const RED_WEIGHT = 0.299;
const GREEN_WEIGHT = 0.587;
const BLUE_WEIGHT = 0.114;
/** Share of pixels ignored at each end, so a few specks of glare or shadow do not set the range. */
const CLIP_SHARE = 0.01;

export interface LuminanceRange {
  readonly low: number;
  readonly high: number;
}

// The lowest level at or below which more than `rank` pixels lie.
function levelAbove(histogram: Uint32Array, rank: number): number {
  let seen = 0;
  for (let level = 0; level < LEVELS; level++) {
    seen += histogram[level] ?? 0;
    if (seen > rank) return level;
  }
  return MAX_LEVEL;
}

/** The luminance levels between which all but CLIP_SHARE of the pixels at each end lie. */
export function luminanceRange(rgba: Uint8ClampedArray): LuminanceRange {
  const histogram = new Uint32Array(LEVELS);
  const pixels = Math.floor(rgba.length / CHANNELS);
  for (let i = 0; i < pixels * CHANNELS; i += CHANNELS) {
    const level = Math.round(
      RED_WEIGHT * (rgba[i] ?? 0) + GREEN_WEIGHT * (rgba[i + 1] ?? 0) + BLUE_WEIGHT * (rgba[i + 2] ?? 0),
    );
    histogram[level] = (histogram[level] ?? 0) + 1;
  }
  const clip = Math.floor(pixels * CLIP_SHARE);
  return { low: levelAbove(histogram, clip), high: levelAbove(histogram, pixels - 1 - clip) };
}

/**
 * A copy with every colour channel mapped linearly so `range` spans 0–255 (values outside clip).
 * The same map on R, G and B maps luminance the same way, because the weights sum to 1.
 */
export function stretchContrast(rgba: Uint8ClampedArray, range: LuminanceRange): Uint8ClampedArray {
  const gain = MAX_LEVEL / Math.max(1, range.high - range.low);
  const out = new Uint8ClampedArray(rgba.length);
  for (let i = 0; i < rgba.length; i++) {
    const value = rgba[i] ?? 0;
    out[i] = i % CHANNELS === CHANNELS - 1 ? value : (value - range.low) * gain;
  }
  return out;
}
