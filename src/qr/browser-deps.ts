// The real browser implementations of what the camera loop and image decoding take as dependencies.
// Globals are read when a scan starts, never at import, so node code can import this module.
import type { CameraDeps } from './camera';
import { openFrameDecoder, type WorkerLike } from './decoders';
import { nativeDetector } from './detector';
import type { ImageDeps } from './image';
import { canvasSampler, fitWithin } from './pixels';

/** Longest side of a camera frame handed to the decoder: a QR filling a third of it still gets ~4 px a module. */
export const MAX_FRAME_SIDE = 640;

/** Vite turns this exact form into a separate worker chunk, which is the only place jsQR is bundled for scanning. */
export function startScanWorker(): WorkerLike {
  return new Worker(new URL('./scan-worker.ts', import.meta.url), { type: 'module' });
}

/** requestVideoFrameCallback fires once per new camera frame; requestAnimationFrame is the fallback. */
export function videoFrames(video: HTMLVideoElement, callback: (now: number) => void): () => void {
  if (typeof video.requestVideoFrameCallback === 'function') {
    const id = video.requestVideoFrameCallback((now) => callback(now));
    return () => video.cancelVideoFrameCallback(id);
  }
  const id = requestAnimationFrame(callback);
  return () => cancelAnimationFrame(id);
}

export function browserCameraDeps(): CameraDeps<HTMLVideoElement> {
  const sample = canvasSampler();
  const media = globalThis.navigator?.mediaDevices;
  return {
    secureContext: globalThis.isSecureContext === true,
    getUserMedia: typeof media?.getUserMedia === 'function' ? (c) => media.getUserMedia(c) : undefined,
    openDecoder: () => openFrameDecoder({ Detector: nativeDetector(), createWorker: startScanWorker }),
    grabFrame: (video) =>
      video.readyState >= HTMLMediaElement.HAVE_CURRENT_DATA
        ? sample(video, fitWithin(video.videoWidth, video.videoHeight, MAX_FRAME_SIDE))
        : null,
    nextFrame: videoFrames,
  };
}

export function browserImageDeps(): ImageDeps<ImageBitmap> {
  const sample = canvasSampler();
  return {
    decodeImage: (file) => createImageBitmap(file),
    toPixels: (bitmap, size) => sample(bitmap, size),
    Detector: nativeDetector(),
    // Loaded on demand: jsQR stays out of the main chunk until someone picks a picture.
    decodePixels: async (pixels) => {
      const { decodeFrame } = await import('./decode-frame');
      return decodeFrame(pixels.data, pixels.width, pixels.height);
    },
  };
}
