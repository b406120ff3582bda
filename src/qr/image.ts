// Decoding a picked picture (a screenshot or photo of a QR code) into its text.
import { err, ok, type Result } from '../codec/types';
import { browserImageDeps } from './browser-deps';
import { type BarcodeDetectorCtor, detectText, qrDetector } from './detector';
import { fitWithin, type Size } from './pixels';

export type ImageScanError =
  /** Not an image the browser can decode (or an empty one). */
  | { readonly kind: 'unreadable-image' }
  | { readonly kind: 'no-code' }
  | { readonly kind: 'other'; readonly message: string };

/** A decoded picture: ImageBitmap in browsers, anything with a size in tests. */
export interface SizedImage {
  readonly width: number;
  readonly height: number;
  close?(): void;
}

export interface ImageDeps<I extends SizedImage> {
  readonly decodeImage: (file: Blob) => Promise<I>;
  /** The picture's pixels drawn at exactly `size`. */
  readonly toPixels: (image: I, size: Size) => ImageData | null;
  readonly Detector: BarcodeDetectorCtor | undefined;
  readonly decodePixels: (pixels: ImageData) => Promise<string | null>;
}

/** Longest side decoded: phone screenshots (~2.5k px) shrink, yet a QR filling half of one keeps ~6 px a module. */
export const MAX_IMAGE_SIDE = 1600;

// The native detector first; jsQR when it is absent or finds nothing (it also tries light-on-dark).
async function readText<I extends SizedImage>(pixels: ImageData, deps: ImageDeps<I>): Promise<string | null> {
  const detector = await qrDetector(deps.Detector);
  if (detector) {
    const text = await detectText(detector, pixels).catch(() => null);
    if (text !== null) return text;
  }
  return deps.decodePixels(pixels);
}

/** `scanImage` with every dependency given. */
export async function scanImageWith<I extends SizedImage>(
  file: Blob,
  deps: ImageDeps<I>,
): Promise<Result<string, ImageScanError>> {
  let image: I;
  try {
    image = await deps.decodeImage(file);
  } catch {
    return err({ kind: 'unreadable-image' });
  }
  try {
    const size = fitWithin(image.width, image.height, MAX_IMAGE_SIDE);
    const pixels = size.width > 0 ? deps.toPixels(image, size) : null;
    if (!pixels) return err({ kind: 'unreadable-image' });
    const text = await readText(pixels, deps);
    return text === null ? err({ kind: 'no-code' }) : ok(text);
  } catch (error) {
    return err({ kind: 'other', message: error instanceof Error ? error.message : String(error) });
  } finally {
    image.close?.();
  }
}

/** Reads the QR code in a picked picture file (downscaled first when huge). */
export function scanImage(
  file: Blob,
  deps: Partial<ImageDeps<ImageBitmap>> = {},
): Promise<Result<string, ImageScanError>> {
  return scanImageWith(file, { ...browserImageDeps(), ...deps });
}
