// Drawing a video frame or picture into a bounded canvas and reading its pixels back.
// Bounding the size bounds the decoder's work: jsQR's cost grows with the pixel count.

export interface Size {
  readonly width: number;
  readonly height: number;
}

/** The largest size with the same aspect ratio whose longer side is at most maxSide (never upscales). */
export function fitWithin(width: number, height: number, maxSide: number): Size {
  if (!(width > 0 && height > 0 && maxSide > 0)) return { width: 0, height: 0 };
  const factor = Math.min(1, maxSide / Math.max(width, height));
  return {
    width: Math.max(1, Math.round(width * factor)),
    height: Math.max(1, Math.round(height * factor)),
  };
}

type Context2d = OffscreenCanvasRenderingContext2D | CanvasRenderingContext2D;

function makeContext(): Context2d | null {
  // getImageData on every frame: ask for a CPU-backed canvas instead of round trips to the GPU.
  const settings: CanvasRenderingContext2DSettings = { willReadFrequently: true };
  if (typeof OffscreenCanvas === 'function') return new OffscreenCanvas(1, 1).getContext('2d', settings);
  if (typeof document === 'undefined') return null;
  return document.createElement('canvas').getContext('2d', settings);
}

/**
 * A function that draws a source at exactly width × height (callers bound the size with fitWithin) and
 * returns its pixels. It reuses one canvas across calls, so a camera loop allocates nothing per frame.
 */
export function canvasSampler(): (source: CanvasImageSource, size: Size) => ImageData | null {
  let context: Context2d | null = null;
  return (source, size) => {
    if (!(size.width > 0 && size.height > 0)) return null;
    context ??= makeContext();
    if (!context) return null;
    const { canvas } = context;
    if (canvas.width !== size.width || canvas.height !== size.height) {
      canvas.width = size.width;
      canvas.height = size.height;
    }
    context.drawImage(source, 0, 0, size.width, size.height);
    return context.getImageData(0, 0, size.width, size.height);
  };
}
