// The camera loop: open the rear camera, decode frames at a bounded rate, resolve with the first text.
// Whatever ends the scan (a read, an abort, an error) turns the camera off before the promise settles.
import { err, ok, type Result } from '../codec/types';
import { browserCameraDeps } from './browser-deps';
import type { FrameDecoder } from './decoders';

export type ScanError =
  | { readonly kind: 'permission-denied' }
  | { readonly kind: 'no-camera' }
  /** Browsers offer the camera only on https:// and http://localhost. */
  | { readonly kind: 'insecure-context' }
  | { readonly kind: 'aborted' }
  | { readonly kind: 'other'; readonly name: string; readonly message: string };

/** The parts of a camera stream the loop uses; a MediaStream is one. */
export interface CameraStream {
  getTracks(): ReadonlyArray<{ stop(): void }>;
}

/** The parts of a <video> element the loop uses; an HTMLVideoElement is one. */
export interface CameraVideo {
  playsInline: boolean;
  muted: boolean;
  autoplay: boolean;
  srcObject: unknown;
  setAttribute(name: string, value: string): void;
  play(): Promise<void>;
}

/** Everything that touches the DOM or media devices, injectable so node tests can use fakes. */
export interface CameraDeps<V> {
  readonly secureContext: boolean;
  /** Undefined where the browser has no media devices at all. */
  readonly getUserMedia: ((constraints: MediaStreamConstraints) => Promise<CameraStream>) | undefined;
  readonly openDecoder: () => Promise<FrameDecoder>;
  /** The current frame, downscaled; null while the video has no frame yet. */
  readonly grabFrame: (video: V) => ImageData | null;
  /** Calls back once on the next video frame (or display frame) with a timestamp in ms; returns a cancel. */
  readonly nextFrame: (video: V, callback: (now: number) => void) => () => void;
}

/** At most this often a frame is decoded (10 a second): enough to feel instant, light on the battery. */
export const MIN_FRAME_INTERVAL_MS = 100;
/** Ask for HD: a QR on another phone's screen needs several pixels per module from arm's length. */
const IDEAL_WIDTH = 1280;
const IDEAL_HEIGHT = 720;

export const CAMERA_CONSTRAINTS: MediaStreamConstraints = {
  audio: false,
  // `ideal`, not `exact`: laptops have only a front camera, and it should still work.
  video: {
    facingMode: { ideal: 'environment' },
    width: { ideal: IDEAL_WIDTH },
    height: { ideal: IDEAL_HEIGHT },
  },
};

const ABORTED: ScanError = { kind: 'aborted' };

function errorName(error: unknown): string {
  if (typeof error === 'object' && error !== null && 'name' in error && typeof error.name === 'string') {
    return error.name;
  }
  return 'Error';
}

function otherError(error: unknown): ScanError {
  const message = error instanceof Error ? error.message : String(error);
  return { kind: 'other', name: errorName(error), message };
}

/** getUserMedia's DOMException names (and older Chrome's), mapped to what a person can act on. */
export function mediaError(error: unknown): ScanError {
  switch (errorName(error)) {
    case 'NotAllowedError':
    case 'PermissionDeniedError':
    case 'SecurityError':
      return { kind: 'permission-denied' };
    case 'NotFoundError':
    case 'DevicesNotFoundError':
    case 'OverconstrainedError':
      return { kind: 'no-camera' };
    default:
      return otherError(error);
  }
}

function stopTracks(stream: CameraStream): void {
  for (const track of stream.getTracks()) track.stop();
}

// Resolves as soon as the signal aborts, even while a permission prompt is still open; a stream that
// arrives after that is stopped at once.
function openCamera(
  getUserMedia: (constraints: MediaStreamConstraints) => Promise<CameraStream>,
  signal: AbortSignal,
): Promise<Result<CameraStream, ScanError>> {
  return new Promise((resolve) => {
    const onAbort = () => resolve(err(ABORTED));
    signal.addEventListener('abort', onAbort, { once: true });
    new Promise<CameraStream>((inner) => inner(getUserMedia(CAMERA_CONSTRAINTS))).then(
      (stream) => {
        signal.removeEventListener('abort', onAbort);
        if (signal.aborted) stopTracks(stream);
        resolve(signal.aborted ? err(ABORTED) : ok(stream));
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        resolve(err(mediaError(error)));
      },
    );
  });
}

function attach(video: CameraVideo, stream: CameraStream): void {
  // iOS Safari plays inline (not fullscreen) and without a gesture only with these set.
  video.playsInline = true;
  video.muted = true;
  video.autoplay = true;
  video.setAttribute('playsinline', '');
  video.setAttribute('muted', '');
  video.srcObject = stream;
}

function watch<V extends CameraVideo>(
  video: V,
  stream: CameraStream,
  signal: AbortSignal,
  deps: CameraDeps<V>,
): Promise<Result<string, ScanError>> {
  return new Promise((resolve) => {
    let done = false;
    let decoder: FrameDecoder | null = null;
    let cancelFrame: (() => void) | null = null;
    let lastDecodeAt = Number.NEGATIVE_INFINITY;

    const finish = (result: Result<string, ScanError>): void => {
      if (done) return;
      done = true;
      signal.removeEventListener('abort', onAbort);
      cancelFrame?.();
      cancelFrame = null;
      decoder?.close();
      stopTracks(stream);
      video.srcObject = null;
      resolve(result);
    };
    const fail = (error: unknown): void => finish(err(otherError(error)));
    const onAbort = (): void => finish(err(ABORTED));

    const schedule = (): void => {
      if (!done) cancelFrame = deps.nextFrame(video, onFrame);
    };
    // The next frame is requested only after this one is decoded: one frame in flight, never a queue.
    const onFrame = (now: number): void => {
      cancelFrame = null;
      if (done || !decoder) return;
      try {
        const frame = now - lastDecodeAt < MIN_FRAME_INTERVAL_MS ? null : deps.grabFrame(video);
        if (!frame) {
          schedule();
          return;
        }
        lastDecodeAt = now;
        decoder.decode(frame).then((text) => (text === null ? schedule() : finish(ok(text))), fail);
      } catch (error) {
        fail(error);
      }
    };

    signal.addEventListener('abort', onAbort, { once: true });
    if (signal.aborted) {
      onAbort();
      return;
    }
    const start = async (): Promise<void> => {
      attach(video, stream);
      const opened = await deps.openDecoder();
      if (done) {
        opened.close();
        return;
      }
      decoder = opened;
      await video.play();
      schedule();
    };
    start().catch(fail);
  });
}

/** The scan with every dependency given; `scanCamera` fills them in from the browser. */
export async function scanCameraWith<V extends CameraVideo>(
  video: V,
  signal: AbortSignal,
  deps: CameraDeps<V>,
): Promise<Result<string, ScanError>> {
  if (signal.aborted) return err(ABORTED);
  if (!deps.secureContext) return err({ kind: 'insecure-context' });
  if (!deps.getUserMedia) return err({ kind: 'no-camera' });
  const camera = await openCamera(deps.getUserMedia, signal);
  if (!camera.ok) return camera;
  return watch(video, camera.value, signal, deps);
}

/**
 * Shows the rear camera in `video` and resolves with the first QR text read. The camera is off again
 * (tracks stopped, srcObject cleared) by the time the promise settles, however it settles.
 */
export function scanCamera(
  video: HTMLVideoElement,
  signal: AbortSignal,
  deps: Partial<CameraDeps<HTMLVideoElement>> = {},
): Promise<Result<string, ScanError>> {
  return scanCameraWith(video, signal, { ...browserCameraDeps(), ...deps });
}
