// One capture for every link's call (src/app/capture.ts): calls get clones, the device is opened once while
// any clone lives, and released when the last clone stops.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sharedCapture } from '../../../src/app/capture.ts';

class FakeTrack {
  readyState: 'live' | 'ended' = 'live';
  clones: FakeTrack[] = [];
  constructor(readonly kind: 'audio' | 'video') {}
  clone(): FakeTrack {
    const copy = new FakeTrack(this.kind);
    this.clones.push(copy);
    return copy;
  }
  stop(): void {
    this.readyState = 'ended';
  }
}

class FakeStream {
  constructor(private readonly tracks: FakeTrack[] = []) {}
  getTracks = () => this.tracks;
  getAudioTracks = () => this.tracks.filter((t) => t.kind === 'audio');
  getVideoTracks = () => this.tracks.filter((t) => t.kind === 'video');
}

function fakeDevices() {
  const opened: FakeStream[] = [];
  return {
    opened,
    getUserMedia: async (c?: MediaStreamConstraints) => {
      const s = new FakeStream([new FakeTrack('audio'), ...(c?.video ? [new FakeTrack('video')] : [])]);
      opened.push(s);
      return s as unknown as MediaStream;
    },
    enumerateDevices: async () => [],
  };
}

const live = (s: FakeStream) => s.getTracks().filter((t) => t.readyState === 'live').length;
const stopAll = (s: MediaStream) => {
  for (const t of s.getTracks()) t.stop();
};

const had = (globalThis as { MediaStream?: unknown }).MediaStream;
beforeAll(() => {
  (globalThis as { MediaStream?: unknown }).MediaStream = FakeStream;
});
afterAll(() => {
  (globalThis as { MediaStream?: unknown }).MediaStream = had;
});

describe('shared capture', () => {
  it('two calls share one capture; it is released when the last of them stops its tracks', async () => {
    const devices = fakeDevices();
    const shared = sharedCapture(devices);
    const [one, two] = await Promise.all([
      shared.getUserMedia({ audio: true, video: true }),
      shared.getUserMedia({ audio: true, video: true }),
    ]);
    expect(devices.opened).toHaveLength(1);
    const base = devices.opened[0] as FakeStream;
    expect(one.getTracks()).toHaveLength(2);
    expect(one.getTracks()).not.toEqual(base.getTracks());
    stopAll(one);
    stopAll(one); // a second stop is no second release
    expect(live(base)).toBe(2);
    stopAll(two);
    expect(live(base)).toBe(0);
    // The next call opens the device again.
    await shared.getUserMedia({ audio: true, video: false });
    expect(devices.opened).toHaveLength(2);
  });

  it('an audio call beside a video call takes the video capture’s microphone', async () => {
    const devices = fakeDevices();
    const shared = sharedCapture(devices);
    const video = await shared.getUserMedia({ audio: true, video: true });
    const audio = await shared.getUserMedia({ audio: true, video: false });
    expect(devices.opened).toHaveLength(1);
    expect(audio.getTracks().map((t) => t.kind)).toEqual(['audio']);
    stopAll(video);
    // The camera goes with the video call; the microphone stays for the audio one.
    expect((devices.opened[0] as FakeStream).getTracks().map((t) => t.readyState)).toEqual(['live', 'ended']);
    stopAll(audio);
    expect(live(devices.opened[0] as FakeStream)).toBe(0);
  });

  it('a capture whose device went away is opened anew', async () => {
    const devices = fakeDevices();
    const shared = sharedCapture(devices);
    await shared.getUserMedia({ audio: true, video: false });
    for (const t of (devices.opened[0] as FakeStream).getTracks()) t.readyState = 'ended';
    await shared.getUserMedia({ audio: true, video: false });
    expect(devices.opened).toHaveLength(2);
  });

  it('a camera switch on every link opens the next camera once; the first goes with its last clone', async () => {
    const devices = fakeDevices();
    const shared = sharedCapture(devices);
    const links = await Promise.all([1, 2].map(() => shared.getUserMedia({ audio: true, video: true })));
    const first = devices.opened[0] as FakeStream;
    // Each link switches as media.ts does: a capture of the next camera, its clone of the first one stopped.
    const back = { video: { deviceId: { exact: 'back' } } };
    await shared.getUserMedia(back);
    links[0]?.getVideoTracks()[0]?.stop();
    expect(live(first)).toBe(2); // the other link still sends the first camera
    await shared.getUserMedia(back);
    links[1]?.getVideoTracks()[0]?.stop();
    expect(devices.opened).toHaveLength(2);
    expect(first.getVideoTracks()[0]?.readyState).toBe('ended');
    expect(first.getAudioTracks()[0]?.readyState).toBe('live'); // the microphone stays
    // A call starting now opens a capture of its own: the first one's camera is gone.
    await shared.getUserMedia({ audio: true, video: true });
    expect(devices.opened).toHaveLength(3);
    for (const l of links) stopAll(l);
    expect(live(first)).toBe(0);
  });

  it('a capture that fails fails every call waiting for it, and the next call tries again', async () => {
    let fail = true;
    const devices = fakeDevices();
    const shared = sharedCapture({
      ...devices,
      getUserMedia: (c) => (fail ? Promise.reject(new Error('NotAllowedError')) : devices.getUserMedia(c)),
    });
    await expect(shared.getUserMedia({ audio: true, video: false })).rejects.toThrow('NotAllowedError');
    fail = false;
    await expect(shared.getUserMedia({ audio: true, video: false })).resolves.toBeDefined();
  });

  it('counts cameras once a call opened one, and again when a device comes or goes', async () => {
    const devices = fakeDevices();
    const cameras = (n: number) =>
      Array.from({ length: n }, () => ({ kind: 'videoinput' }) as MediaDeviceInfo);
    let listed = cameras(1);
    const changed = new EventTarget();
    const counts: number[] = [];
    const shared = sharedCapture(
      {
        ...devices,
        enumerateDevices: async () => [{ kind: 'audioinput' } as MediaDeviceInfo, ...listed],
        addEventListener: changed.addEventListener.bind(changed) as MediaDevices['addEventListener'],
      },
      (n) => counts.push(n),
    );
    const settle = () => new Promise((r) => setTimeout(r, 0));
    // Before any camera is open the list is not believed (browsers may hide devices until a grant).
    changed.dispatchEvent(new Event('devicechange'));
    await shared.getUserMedia({ audio: true, video: false });
    await settle();
    expect(counts).toEqual([]);
    const call = await shared.getUserMedia({ audio: true, video: true });
    await settle();
    expect(counts).toEqual([1]);
    listed = cameras(2);
    changed.dispatchEvent(new Event('devicechange'));
    await settle();
    expect(counts).toEqual([1, 2]);
    stopAll(call);
  });
});
