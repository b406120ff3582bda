// Fakes for the camera side of scanning: media streams and tracks, a <video>, frame callbacks.
// Each records what was done to it, so tests can assert on it.
import type { CameraStream, CameraVideo } from '../../../../src/qr/camera';
import type { FrameDecoder } from '../../../../src/qr/decoders';
import { type Deferred, deferred } from './fakes';

export class FakeTrack {
  stopped = 0;
  stop(): void {
    this.stopped++;
  }
}

export class FakeStream implements CameraStream {
  readonly tracks = [new FakeTrack(), new FakeTrack()];
  getTracks(): readonly FakeTrack[] {
    return this.tracks;
  }
  get allStopped(): boolean {
    return this.tracks.every((track) => track.stopped > 0);
  }
}

export class FakeVideo implements CameraVideo {
  playsInline = false;
  muted = false;
  autoplay = false;
  srcObject: unknown = null;
  readonly attributes = new Map<string, string>();
  plays = 0;
  playError: Error | null = null;
  setAttribute(name: string, value: string): void {
    this.attributes.set(name, value);
  }
  play(): Promise<void> {
    this.plays++;
    return this.playError ? Promise.reject(this.playError) : Promise.resolve();
  }
}

/** requestVideoFrameCallback stand-in: callbacks wait until the test fires a frame. */
export class FakeFrames {
  private readonly waiting = new Map<number, (now: number) => void>();
  private nextId = 1;
  requested = 0;
  cancelled = 0;

  readonly next = (_video: unknown, callback: (now: number) => void): (() => void) => {
    const id = this.nextId++;
    this.requested++;
    this.waiting.set(id, callback);
    return () => {
      if (this.waiting.delete(id)) this.cancelled++;
    };
  };

  get pending(): number {
    return this.waiting.size;
  }

  /** Delivers one video frame at `now` ms to every waiting callback. */
  fire(now: number): void {
    const callbacks = [...this.waiting.values()];
    this.waiting.clear();
    for (const callback of callbacks) callback(now);
  }
}

export function domError(name: string, message = name): Error {
  const error = new Error(message);
  error.name = name;
  return error;
}

/** A decoder whose answers the test gives one frame at a time; it tracks how many frames are in flight. */
export class ScriptedDecoder implements FrameDecoder {
  readonly frames: ImageData[] = [];
  private readonly answers: Deferred<string | null>[] = [];
  inFlight = 0;
  maxInFlight = 0;
  closed = 0;

  decode(frame: ImageData): Promise<string | null> {
    this.frames.push(frame);
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    const answer = deferred<string | null>();
    this.answers.push(answer);
    return answer.promise.finally(() => {
      this.inFlight--;
    });
  }

  /** Answers the oldest unanswered frame. */
  answer(text: string | null | Error): void {
    const next = this.answers.shift();
    if (!next) throw new Error('no frame is waiting for an answer');
    if (text instanceof Error) next.reject(text);
    else next.resolve(text);
  }

  close(): void {
    this.closed++;
  }
}
