// One microphone (and camera) capture for every connection's call: in a group call each link's session asks
// for its own, and gets clones of the one capture's tracks; a captured track stops when its last clone does.
// Why not a capture per link: a phone opens one camera once (iOS Safari ends the first capture when a second
// opens), and the camera light should mean one thing. A camera switch is shared the same way: every link asks
// for the same next camera, gets clones of one capture of it, and the first camera goes when the last link's
// clone of it stops, while the microphone stays.

import type { MediaDevicesLike } from '../rtc/call/media.ts';

interface Capture {
  readonly stream: Promise<MediaStream>;
  /** Clones handed out and not stopped yet, per captured track. */
  readonly clones: Map<MediaStreamTrack, number>;
  /** The capture once it opened. */
  opened: MediaStream | null;
}

/**
 * A capture a new call cannot take clones of: a device went away (unplugged, taken by the system), or a switch
 * stopped its camera. The next call opens a new one.
 */
const spent = (c: Capture): boolean => c.opened?.getTracks().some((t) => t.readyState === 'ended') === true;

/** The constraints the call media asks with for a call ({ audio: true, video }); a switch asks for a device. */
const plainCall = (c: MediaStreamConstraints | undefined): c is { audio: true; video: boolean } =>
  c !== undefined && c.audio === true && typeof c.video === 'boolean';

/** No clone of any of its tracks is out. */
const unclaimed = (c: Capture): boolean => [...c.clones.values()].every((n) => n === 0);

/** Captures are shared by what they were asked with. */
const keyOf = (c: MediaStreamConstraints | undefined): string => JSON.stringify(c ?? null);
const VIDEO_CALL = keyOf({ audio: true, video: true });

/** What the capture tells the app: how many cameras this device has (Switch camera wants two or more). */
export type CameraCount = (cameras: number) => void;

/** A device list that can say when a device comes or goes (MediaDevices can; a test's fake need not). */
type Watchable = MediaDevicesLike & Partial<Pick<MediaDevices, 'addEventListener'>>;

export function sharedCapture(
  devices: Watchable,
  onCameras: CameraCount = () => undefined,
): MediaDevicesLike {
  const captures = new Map<string, Capture>();
  // Counted once a camera is open: before a grant, browsers may list one blank entry per kind, or none.
  let granted = false;
  // Only the latest count is told: two in flight (a call opening as a device comes) may settle out of order.
  let counts = 0;
  const countCameras = (): void => {
    const mine = ++counts;
    const tell = (n: number) => mine === counts && onCameras(n);
    devices.enumerateDevices().then(
      (all) => tell(all.filter((d) => d.kind === 'videoinput').length),
      () => tell(0),
    );
  };
  devices.addEventListener?.('devicechange', () => {
    if (granted) countCameras();
  });

  /** One clone of `track` stopped: the track stops with its last clone, the capture with its last track. */
  function release(key: string, capture: Capture, track: MediaStreamTrack): void {
    const left = (capture.clones.get(track) ?? 1) - 1;
    capture.clones.set(track, left);
    if (left > 0) return;
    track.stop();
    if (unclaimed(capture) && captures.get(key) === capture) captures.delete(key);
  }

  async function clone(key: string, capture: Capture, kinds: 'all' | 'audio'): Promise<MediaStream> {
    let base: MediaStream;
    try {
      base = await capture.stream;
      if (capture.opened === null && base.getVideoTracks().length > 0) {
        granted = true;
        countCameras();
      }
      capture.opened = base;
    } catch (error) {
      if (captures.get(key) === capture) captures.delete(key);
      throw error;
    }
    const tracks = kinds === 'all' ? base.getTracks() : base.getAudioTracks();
    const clones = tracks.map((track) => {
      capture.clones.set(track, (capture.clones.get(track) ?? 0) + 1);
      const copy = track.clone();
      const stop = copy.stop.bind(copy);
      let stopped = false;
      // Each caller stops its own tracks (media.ts).
      copy.stop = () => {
        stop();
        if (stopped) return;
        stopped = true;
        release(key, capture, track);
      };
      return copy;
    });
    // Nothing handed out (a capture without the kind asked for): nothing would ever release it.
    if (clones.length === 0 && unclaimed(capture)) {
      for (const track of base.getTracks()) track.stop();
      if (captures.get(key) === capture) captures.delete(key);
    }
    return new MediaStream(clones);
  }

  return {
    enumerateDevices: () => devices.enumerateDevices(),
    getUserMedia(constraints) {
      // A microphone-only call while a video call holds the microphone takes its sound from that capture.
      const withCamera = captures.get(VIDEO_CALL);
      if (plainCall(constraints) && !constraints.video && withCamera !== undefined && !spent(withCamera))
        return clone(VIDEO_CALL, withCamera, 'audio');
      const key = keyOf(constraints);
      let capture = captures.get(key);
      if (capture === undefined || spent(capture)) {
        capture = { stream: devices.getUserMedia(constraints), clones: new Map(), opened: null };
        captures.set(key, capture);
      }
      return clone(key, capture, 'all');
    },
  };
}
