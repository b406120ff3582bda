// The platform's BarcodeDetector (e.g. Chrome on Android, ChromeOS and macOS), where there is one.
// TypeScript's DOM library does not declare it yet, so the parts we use are declared here.

export interface DetectedBarcode {
  readonly rawValue: string;
}

export interface BarcodeDetectorLike {
  detect(image: ImageBitmapSource): Promise<readonly DetectedBarcode[]>;
}

export interface BarcodeDetectorCtor {
  new (options: { formats: string[] }): BarcodeDetectorLike;
  getSupportedFormats?: (() => Promise<readonly string[]>) | undefined;
}

const QR_FORMAT = 'qr_code';

/** The global BarcodeDetector constructor, or undefined where the platform has none. */
export function nativeDetector(): BarcodeDetectorCtor | undefined {
  const candidate: unknown = (globalThis as { BarcodeDetector?: unknown }).BarcodeDetector;
  return typeof candidate === 'function' ? (candidate as BarcodeDetectorCtor) : undefined;
}

/**
 * A detector for QR codes, or null. Some platforms expose the constructor but cannot read QR codes
 * (or throw on construction), so both are checked.
 */
export async function qrDetector(
  Detector: BarcodeDetectorCtor | undefined,
): Promise<BarcodeDetectorLike | null> {
  if (!Detector) return null;
  try {
    if (Detector.getSupportedFormats) {
      const formats = await Detector.getSupportedFormats();
      if (!formats.includes(QR_FORMAT)) return null;
    }
    return new Detector({ formats: [QR_FORMAT] });
  } catch {
    return null;
  }
}

/** The first non-empty text the detector finds in the image, or null. Rejects when the detector fails. */
export async function detectText(
  detector: BarcodeDetectorLike,
  image: ImageBitmapSource,
): Promise<string | null> {
  const found = await detector.detect(image);
  return found.find((code) => code.rawValue.length > 0)?.rawValue ?? null;
}
