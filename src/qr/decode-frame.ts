// One RGBA frame → the QR text in it, or null. Pure; the scanner worker and image decoding call it.
import jsQR from 'jsqr';
import { luminanceRange, stretchContrast } from './contrast';

const CHANNELS = 4;
/** A frame whose luminance already spans this many levels gains nothing from stretching. */
const WIDE_SPREAD = 192;
/** Below this spread a frame is flat (a wall, a lens cap): stretching would only amplify noise. */
const FLAT_SPREAD = 8;

function validFrame(rgba: unknown, width: unknown, height: unknown): rgba is Uint8ClampedArray {
  return (
    rgba instanceof Uint8ClampedArray &&
    typeof width === 'number' &&
    typeof height === 'number' &&
    Number.isSafeInteger(width) &&
    Number.isSafeInteger(height) &&
    width > 0 &&
    height > 0 &&
    rgba.length === width * height * CHANNELS
  );
}

// Dark-on-light first, then light-on-dark (dark-mode screens show codes inverted).
function read(rgba: Uint8ClampedArray, width: number, height: number): string | null {
  const found = jsQR(rgba, width, height, { inversionAttempts: 'attemptBoth' });
  return found && found.data.length > 0 ? found.data : null;
}

/**
 * Finds and decodes a QR symbol; a faint one gets a second try with its contrast stretched.
 * Never throws: frames come from cameras, files and other threads, so any input yields text or null.
 * An empty symbol yields null too: there is nothing to act on.
 */
export function decodeFrame(rgba: Uint8ClampedArray, width: number, height: number): string | null {
  if (!validFrame(rgba, width, height)) return null;
  try {
    const text = read(rgba, width, height);
    if (text !== null) return text;
    const range = luminanceRange(rgba);
    const spread = range.high - range.low;
    if (spread >= WIDE_SPREAD || spread < FLAT_SPREAD) return null;
    return read(stretchContrast(rgba, range), width, height);
  } catch {
    return null;
  }
}
