// Fakes for the decoding side of scanning: ImageData, BarcodeDetector and Worker.
// Each records what was done to it, so tests can assert on it.
import type { WorkerLike } from '../../../../src/qr/decoders';
import type { BarcodeDetectorCtor, BarcodeDetectorLike, DetectedBarcode } from '../../../../src/qr/detector';
import type { ScanRequest } from '../../../../src/qr/scan-protocol';

/** An ImageData-shaped object (node has no ImageData). */
export function imageData(width: number, height: number, data?: Uint8ClampedArray<ArrayBuffer>): ImageData {
  return { data: data ?? new Uint8ClampedArray(width * height * 4), width, height, colorSpace: 'srgb' };
}

/** Lets queued promise callbacks run (setImmediate fires after the microtask queue drains). */
export function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

export interface Deferred<T> {
  readonly promise: Promise<T>;
  resolve(value: T): void;
  reject(reason: unknown): void;
}

export function deferred<T>(): Deferred<T> {
  let resolve: (value: T) => void = () => {};
  let reject: (reason: unknown) => void = () => {};
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** A BarcodeDetector class whose answers the test chooses. */
export function fakeDetector(
  detect: (image: ImageBitmapSource) => Promise<readonly DetectedBarcode[]>,
  supported: readonly string[] | null = ['qr_code'],
): BarcodeDetectorCtor & { readonly made: { formats: string[] }[] } {
  const made: { formats: string[] }[] = [];
  class Detector implements BarcodeDetectorLike {
    static readonly made = made;
    static readonly getSupportedFormats = supported ? async () => supported : undefined;
    constructor(options: { formats: string[] }) {
      made.push(options);
    }
    detect(image: ImageBitmapSource): Promise<readonly DetectedBarcode[]> {
      return detect(image);
    }
  }
  return Detector;
}

/** A Worker stand-in; `reply` decides the answer to each request (asynchronously, like a worker). */
export class FakeWorker implements WorkerLike {
  onmessage: ((event: MessageEvent) => void) | null = null;
  onerror: ((event: ErrorEvent) => void) | null = null;
  readonly requests: { message: ScanRequest; transfer: Transferable[] }[] = [];
  terminated = 0;

  constructor(private readonly reply: (message: ScanRequest) => unknown = () => ({ text: null })) {}

  postMessage(message: ScanRequest, transfer: Transferable[]): void {
    this.requests.push({ message, transfer });
    const data = this.reply(message);
    setImmediate(() => this.onmessage?.(new MessageEvent('message', { data })));
  }

  /** Simulates an uncaught error inside the worker (or a chunk that failed to load). */
  crash(message: string): void {
    // node has no ErrorEvent; the decoder reads only its message.
    this.onerror?.({ message } as ErrorEvent);
  }

  terminate(): void {
    this.terminated++;
  }
}
