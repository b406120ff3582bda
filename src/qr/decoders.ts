// Frame decoders for the camera loop: the platform detector when it can read QR codes, otherwise the
// jsQR worker. Each decodes one frame at a time; the camera loop never asks for a second meanwhile.
import { type BarcodeDetectorCtor, type BarcodeDetectorLike, detectText, qrDetector } from './detector';
import { isScanReply, type ScanRequest } from './scan-protocol';

export interface FrameDecoder {
  /** The text in the frame, or null. May take ownership of (detach) the frame's pixel buffer. */
  decode(frame: ImageData): Promise<string | null>;
  /** Frees what the decoder holds (the worker). Later decodes resolve null. */
  close(): void;
}

/** The parts of a Worker this module uses, so tests can pass a fake. */
export interface WorkerLike {
  onmessage: ((event: MessageEvent) => void) | null;
  onerror: ((event: ErrorEvent) => void) | null;
  postMessage(message: ScanRequest, transfer: Transferable[]): void;
  terminate(): void;
}

export interface DecoderSources {
  readonly Detector: BarcodeDetectorCtor | undefined;
  readonly createWorker: () => WorkerLike;
}

export function detectorDecoder(detector: BarcodeDetectorLike): FrameDecoder {
  return { decode: (frame) => detectText(detector, frame), close: () => {} };
}

interface Pending {
  readonly resolve: (text: string | null) => void;
  readonly reject: (reason: Error) => void;
}

/** Decodes in a worker started on first use. A frame offered while one is in flight is dropped (null). */
export function workerDecoder(createWorker: () => WorkerLike): FrameDecoder {
  let worker: WorkerLike | null = null;
  let pending: Pending | null = null;
  let failure: Error | null = null;
  let closed = false;

  const settle = (outcome: { text: string | null } | { error: Error }): void => {
    const waiting = pending;
    pending = null;
    if (!waiting) return;
    if ('error' in outcome) waiting.reject(outcome.error);
    else waiting.resolve(outcome.text);
  };

  const start = (): WorkerLike => {
    const started = createWorker();
    started.onmessage = (event) => settle({ text: isScanReply(event.data) ? event.data.text : null });
    started.onerror = (event) => {
      failure = new Error(`scan worker failed: ${event.message}`);
      settle({ error: failure });
    };
    return started;
  };

  return {
    decode(frame) {
      if (closed || pending) return Promise.resolve(null);
      if (failure) return Promise.reject(failure);
      return new Promise<string | null>((resolve, reject) => {
        pending = { resolve, reject };
        try {
          worker ??= start();
          const request: ScanRequest = { data: frame.data, width: frame.width, height: frame.height };
          worker.postMessage(request, [frame.data.buffer]);
        } catch (error) {
          settle({ error: error instanceof Error ? error : new Error(String(error)) });
        }
      });
    },
    close() {
      closed = true;
      worker?.terminate();
      worker = null;
      settle({ text: null });
    },
  };
}

/**
 * Uses `primary` until it fails once, then `secondary` for that frame and every later one: a detector
 * that claims QR support but throws on detect() must not leave the person scanning forever.
 */
export function fallbackDecoder(primary: FrameDecoder, makeSecondary: () => FrameDecoder): FrameDecoder {
  let secondary: FrameDecoder | null = null;
  let closed = false;
  return {
    async decode(frame) {
      if (secondary) return secondary.decode(frame);
      try {
        return await primary.decode(frame);
      } catch {
        if (closed) return null;
        primary.close();
        secondary = makeSecondary();
        return secondary.decode(frame);
      }
    },
    close() {
      closed = true;
      primary.close();
      secondary?.close();
    },
  };
}

/** The platform detector when it reads QR codes (falling back to the worker), else the worker. */
export async function openFrameDecoder(sources: DecoderSources): Promise<FrameDecoder> {
  const detector = await qrDetector(sources.Detector);
  if (!detector) return workerDecoder(sources.createWorker);
  return fallbackDecoder(detectorDecoder(detector), () => workerDecoder(sources.createWorker));
}
