// One microphone (and camera) capture for every connection's call: in a group call each link's session asks
// for its own, and gets clones of the one capture's tracks; the capture stops when its last clone does.
// Why not a capture per link: a phone opens one camera once (iOS Safari ends the first capture when a second
// opens), and the camera light should mean one thing.

import type { MediaDevicesLike } from '../rtc/call/media.ts';

interface Capture {
  readonly stream: Promise<MediaStream>;
  /** Clones handed out and not stopped yet. */
  users: number;
  /** The capture once it opened. */
  opened: MediaStream | null;
}

/** A capture whose device went away (unplugged, taken by the system): the next call opens a new one. */
const gone = (c: Capture): boolean => c.opened?.getTracks().every((t) => t.readyState === 'ended') === true;

/** The constraints the call media asks with for a call (a camera switch asks for a device: not shared). */
const plainCall = (c: MediaStreamConstraints | undefined): c is { audio: true; video: boolean } =>
  c !== undefined && c.audio === true && typeof c.video === 'boolean';

export function sharedCapture(devices: MediaDevicesLike): MediaDevicesLike {
  /** By whether it has a camera. */
  const captures = new Map<boolean, Capture>();

  function release(video: boolean, capture: Capture): void {
    capture.users -= 1;
    if (capture.users > 0 || captures.get(video) !== capture) return;
    captures.delete(video);
    // Clones exist only once the capture opened.
    for (const track of capture.opened?.getTracks() ?? []) track.stop();
  }

  async function clone(video: boolean, capture: Capture, kinds: 'all' | 'audio'): Promise<MediaStream> {
    capture.users += 1;
    let base: MediaStream;
    try {
      base = await capture.stream;
      capture.opened = base;
    } catch (error) {
      capture.users -= 1;
      if (captures.get(video) === capture) captures.delete(video);
      throw error;
    }
    const tracks = kinds === 'all' ? base.getTracks() : base.getAudioTracks();
    let live = tracks.length;
    const clones = tracks.map((track) => {
      const copy = track.clone();
      const stop = copy.stop.bind(copy);
      let stopped = false;
      // Each caller stops its own tracks (media.ts); the capture goes once every clone of it has.
      copy.stop = () => {
        stop();
        if (stopped) return;
        stopped = true;
        live -= 1;
        if (live === 0) release(video, capture);
      };
      return copy;
    });
    if (clones.length === 0) release(video, capture);
    return new MediaStream(clones);
  }

  return {
    enumerateDevices: () => devices.enumerateDevices(),
    getUserMedia(constraints) {
      if (!plainCall(constraints)) return devices.getUserMedia(constraints);
      const video = constraints.video;
      // A microphone-only call while a video call holds the microphone takes its sound from that capture.
      const withCamera = captures.get(true);
      if (!video && withCamera !== undefined && !gone(withCamera)) return clone(true, withCamera, 'audio');
      let capture = captures.get(video);
      if (capture === undefined || gone(capture)) {
        capture = { stream: devices.getUserMedia({ audio: true, video }), users: 0, opened: null };
        captures.set(video, capture);
      }
      return clone(video, capture, 'all');
    },
  };
}
