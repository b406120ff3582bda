import { describe, expect, it, vi } from 'vitest';
import {
  CAMERA_CONSTRAINTS,
  type CameraDeps,
  MIN_FRAME_INTERVAL_MS,
  mediaError,
  scanCamera,
  scanCameraWith,
} from '../../../src/qr/camera';
import { type FrameDecoder, openFrameDecoder } from '../../../src/qr/decoders';
import { domError, FakeFrames, FakeStream, FakeVideo, ScriptedDecoder } from './support/camera-fakes';
import { deferred, FakeWorker, fakeDetector, imageData, settle } from './support/fakes';

function scan(overrides: Partial<CameraDeps<FakeVideo>> = {}) {
  const video = new FakeVideo();
  const stream = new FakeStream();
  const frames = new FakeFrames();
  const decoder = new ScriptedDecoder();
  const controller = new AbortController();
  const getUserMedia = vi.fn(async (_constraints: MediaStreamConstraints) => stream);
  const grabFrame = vi.fn((_video: FakeVideo): ImageData | null => imageData(4, 4));
  const deps: CameraDeps<FakeVideo> = {
    secureContext: true,
    getUserMedia,
    openDecoder: async () => decoder,
    grabFrame,
    nextFrame: frames.next,
    ...overrides,
  };
  const result = scanCameraWith(video, controller.signal, deps);
  return { video, stream, frames, decoder, controller, getUserMedia, grabFrame, result };
}

/** The camera is off: every track stopped, the video detached. */
function expectCameraOff(setup: { stream: FakeStream; video: FakeVideo }): void {
  expect(setup.stream.allStopped).toBe(true);
  expect(setup.video.srcObject).toBeNull();
}

describe('scanCameraWith', () => {
  it('opens the rear camera into an inline, muted, autoplaying video', async () => {
    const s = scan();
    await settle();
    expect(s.getUserMedia).toHaveBeenCalledWith(CAMERA_CONSTRAINTS);
    expect(CAMERA_CONSTRAINTS.video).toMatchObject({ facingMode: { ideal: 'environment' } });
    expect(CAMERA_CONSTRAINTS.audio).toBe(false);
    expect(s.video.srcObject).toBe(s.stream);
    expect([s.video.playsInline, s.video.muted, s.video.autoplay]).toEqual([true, true, true]);
    expect(s.video.attributes.get('playsinline')).toBe('');
    expect(s.video.plays).toBe(1);
    expect(s.stream.tracks.map((track) => track.stopped)).toEqual([0, 0]);
    s.controller.abort();
  });

  it('resolves with the first text read and turns the camera off', async () => {
    const s = scan();
    await settle();
    s.frames.fire(0);
    s.decoder.answer(null);
    await settle();
    s.frames.fire(MIN_FRAME_INTERVAL_MS);
    s.decoder.answer('PIGEON:CODE');
    await expect(s.result).resolves.toEqual({ ok: true, value: 'PIGEON:CODE' });
    expectCameraOff(s);
    expect(s.stream.tracks.map((track) => track.stopped)).toEqual([1, 1]);
    expect(s.decoder.closed).toBe(1);
    expect(s.frames.pending).toBe(0);
    expect(s.decoder.frames).toHaveLength(2);
  });

  it('keeps one frame in flight: no frame is requested or grabbed until the decoder answers', async () => {
    const s = scan();
    await settle();
    s.frames.fire(0);
    expect(s.frames.pending).toBe(0);
    for (let i = 1; i <= 5; i++) s.frames.fire(i * MIN_FRAME_INTERVAL_MS);
    await settle();
    expect(s.decoder.frames).toHaveLength(1);
    expect(s.grabFrame).toHaveBeenCalledTimes(1);
    s.decoder.answer(null);
    await settle();
    expect(s.frames.pending).toBe(1);
    s.frames.fire(10 * MIN_FRAME_INTERVAL_MS);
    expect(s.decoder.frames).toHaveLength(2);
    expect(s.decoder.maxInFlight).toBe(1);
    s.controller.abort();
  });

  it('decodes at most one frame per MIN_FRAME_INTERVAL_MS, however fast frames arrive', async () => {
    const s = scan();
    await settle();
    const frameMs = 16;
    for (let now = 0; now <= 1000; now += frameMs) {
      s.frames.fire(now);
      if (s.decoder.inFlight > 0) s.decoder.answer(null);
      await settle();
    }
    // Frames at 0, 112, 224, … 1008 would be 10; the last fired frame is at 992.
    expect(s.decoder.frames).toHaveLength(9);
    s.controller.abort();
  });

  it('waits for the video: a null grab decodes nothing and asks for the next frame', async () => {
    const grabFrame = vi.fn((): ImageData | null => null);
    const s = scan({ grabFrame });
    await settle();
    s.frames.fire(0);
    s.frames.fire(MIN_FRAME_INTERVAL_MS);
    expect(grabFrame).toHaveBeenCalledTimes(2);
    expect(s.decoder.frames).toHaveLength(0);
    expect(s.frames.pending).toBe(1);
    s.controller.abort();
  });

  it('stops the camera when the signal aborts mid-scan', async () => {
    const s = scan();
    await settle();
    s.frames.fire(0);
    s.decoder.answer(null);
    await settle();
    expect(s.frames.pending).toBe(1);
    s.controller.abort();
    await expect(s.result).resolves.toEqual({ ok: false, error: { kind: 'aborted' } });
    expectCameraOff(s);
    expect(s.frames.cancelled).toBe(1);
    expect(s.decoder.closed).toBe(1);
  });

  it('ignores a text that arrives after the abort', async () => {
    const s = scan();
    await settle();
    s.frames.fire(0);
    s.controller.abort();
    s.decoder.answer('TOO LATE');
    await expect(s.result).resolves.toEqual({ ok: false, error: { kind: 'aborted' } });
    expectCameraOff(s);
  });

  it('does not ask for the camera when already aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    const getUserMedia = vi.fn(async () => new FakeStream());
    const result = await scanCameraWith(new FakeVideo(), controller.signal, {
      secureContext: true,
      getUserMedia,
      openDecoder: async () => new ScriptedDecoder(),
      grabFrame: () => null,
      nextFrame: new FakeFrames().next,
    });
    expect(result).toEqual({ ok: false, error: { kind: 'aborted' } });
    expect(getUserMedia).not.toHaveBeenCalled();
  });

  it('resolves at once on abort during the permission prompt, and stops a stream that arrives later', async () => {
    const granted = deferred<FakeStream>();
    const late = new FakeStream();
    const s = scan({ getUserMedia: () => granted.promise });
    s.controller.abort();
    await expect(s.result).resolves.toEqual({ ok: false, error: { kind: 'aborted' } });
    expect(late.allStopped).toBe(false);
    granted.resolve(late);
    await settle();
    expect(late.allStopped).toBe(true);
    expect(s.video.srcObject).toBeNull();
  });

  it('refuses in an insecure context without asking for the camera', async () => {
    const s = scan({ secureContext: false });
    await expect(s.result).resolves.toEqual({ ok: false, error: { kind: 'insecure-context' } });
    expect(s.getUserMedia).not.toHaveBeenCalled();
  });

  it('reports no camera when the browser has no media devices', async () => {
    const s = scan({ getUserMedia: undefined });
    await expect(s.result).resolves.toEqual({ ok: false, error: { kind: 'no-camera' } });
  });

  it.each([
    ['NotAllowedError', { kind: 'permission-denied' }],
    ['SecurityError', { kind: 'permission-denied' }],
    ['NotFoundError', { kind: 'no-camera' }],
    ['OverconstrainedError', { kind: 'no-camera' }],
    ['NotReadableError', { kind: 'other', name: 'NotReadableError', message: 'camera busy' }],
  ])('maps getUserMedia %s', async (name, expected) => {
    const s = scan({ getUserMedia: async () => Promise.reject(domError(name, 'camera busy')) });
    await expect(s.result).resolves.toEqual({ ok: false, error: expected });
    expect(s.video.srcObject).toBeNull();
  });

  it('maps a getUserMedia that throws synchronously, and non-Error rejections', async () => {
    const thrown = scan({
      getUserMedia: () => {
        throw new TypeError('bad constraints');
      },
    });
    await expect(thrown.result).resolves.toEqual({
      ok: false,
      error: { kind: 'other', name: 'TypeError', message: 'bad constraints' },
    });
    expect(mediaError('weird')).toEqual({ kind: 'other', name: 'Error', message: 'weird' });
  });

  it('stops the camera when the decoder fails', async () => {
    const s = scan();
    await settle();
    s.frames.fire(0);
    s.decoder.answer(new Error('decoder broke'));
    await expect(s.result).resolves.toMatchObject({
      ok: false,
      error: { kind: 'other', message: 'decoder broke' },
    });
    expectCameraOff(s);
    expect(s.decoder.closed).toBe(1);
  });

  it('stops the camera when grabbing a frame throws', async () => {
    const s = scan({
      grabFrame: () => {
        throw new Error('canvas lost');
      },
    });
    await settle();
    s.frames.fire(0);
    await expect(s.result).resolves.toMatchObject({
      ok: false,
      error: { kind: 'other', message: 'canvas lost' },
    });
    expectCameraOff(s);
  });

  it('stops the camera when the video cannot play', async () => {
    const video = new FakeVideo();
    video.playError = domError('NotAllowedError', 'autoplay blocked');
    const stream = new FakeStream();
    const decoder = new ScriptedDecoder();
    const result = await scanCameraWith(video, new AbortController().signal, {
      secureContext: true,
      getUserMedia: async () => stream,
      openDecoder: async () => decoder,
      grabFrame: () => null,
      nextFrame: new FakeFrames().next,
    });
    expect(result).toEqual({
      ok: false,
      error: { kind: 'other', name: 'NotAllowedError', message: 'autoplay blocked' },
    });
    expectCameraOff({ stream, video });
    expect(decoder.closed).toBe(1);
  });

  it('stops the camera when no decoder can be opened', async () => {
    const s = scan({ openDecoder: () => Promise.reject(new Error('no decoder')) });
    await expect(s.result).resolves.toMatchObject({
      ok: false,
      error: { kind: 'other', message: 'no decoder' },
    });
    expectCameraOff(s);
  });

  it('closes a decoder that opens after the scan was aborted', async () => {
    const opening = deferred<FrameDecoder>();
    const s = scan({ openDecoder: () => opening.promise });
    await settle();
    s.controller.abort();
    await expect(s.result).resolves.toEqual({ ok: false, error: { kind: 'aborted' } });
    opening.resolve(s.decoder);
    await settle();
    expect(s.decoder.closed).toBe(1);
    expect(s.frames.requested).toBe(0);
  });

  it('reads with the platform detector when present, never starting the worker', async () => {
    const detect = vi.fn(async () => [{ rawValue: 'FROM-DETECTOR' }]);
    const createWorker = vi.fn(() => new FakeWorker(() => ({ text: 'FROM-WORKER' })));
    const s = scan({ openDecoder: () => openFrameDecoder({ Detector: fakeDetector(detect), createWorker }) });
    await settle();
    s.frames.fire(0);
    await expect(s.result).resolves.toEqual({ ok: true, value: 'FROM-DETECTOR' });
    expect(createWorker).not.toHaveBeenCalled();
    expectCameraOff(s);
  });

  it('reads with the worker when there is no detector, and terminates it at the end', async () => {
    const worker = new FakeWorker(() => ({ text: 'FROM-WORKER' }));
    const s = scan({
      openDecoder: () => openFrameDecoder({ Detector: undefined, createWorker: () => worker }),
    });
    await settle();
    s.frames.fire(0);
    await expect(s.result).resolves.toEqual({ ok: true, value: 'FROM-WORKER' });
    expect(worker.requests).toHaveLength(1);
    expect(worker.terminated).toBe(1);
    expectCameraOff(s);
  });
});

describe('scanCamera', () => {
  it('fills in browser dependencies; node has no secure context, so it refuses before any camera', async () => {
    const getUserMedia = vi.fn(async () => new FakeStream());
    // A fake element: scanCamera is typed for the DOM, and the refusal happens before it is touched.
    const video = new FakeVideo() as unknown as HTMLVideoElement;
    const result = await scanCamera(video, new AbortController().signal, { getUserMedia });
    expect(result).toEqual({ ok: false, error: { kind: 'insecure-context' } });
    expect(getUserMedia).not.toHaveBeenCalled();
  });
});
