// A peer's offer that adds audio or video m-lines while no call is accepted is answered without our tracks: the
// browser makes receive-only transceivers for them, and only an accepted call (media-attach-on-offer after its
// capture) puts the microphone or camera on. Checked on createCallMedia with a stand-in connection: what it
// does while the runner answers such an offer (beforeAnswer).
import { describe, expect, it } from 'vitest';
import type { PeerConnectionLike } from '../../../src/rtc/base/peer.ts';
import { createCallMedia, type MediaDevicesLike } from '../../../src/rtc/call/media.ts';
import { FakeTarget } from './fake-rtc.ts';

class Track {
  enabled = true;
  stopped = false;
  constructor(readonly kind: 'audio' | 'video') {}
  stop() {
    this.stopped = true;
  }
}

function stream(tracks: Track[]) {
  return {
    getTracks: () => tracks,
    getAudioTracks: () => tracks.filter((t) => t.kind === 'audio'),
    getVideoTracks: () => tracks.filter((t) => t.kind === 'video'),
  };
}

/** A connection that has applied the peer's offer with one audio and one video m-line (receive-only). */
class OfferedConnection extends FakeTarget {
  readonly added: Track[] = [];
  readonly sent: (Track | null)[] = [];
  readonly transceivers = (['audio', 'video'] as const).map((kind, i) => ({
    mid: String(i + 1),
    direction: 'recvonly',
    currentDirection: 'recvonly',
    receiver: { track: new Track(kind) },
    sender: {
      track: null as Track | null,
      replaceTrack: async (track: Track | null) => {
        this.sent.push(track);
      },
      setStreams: () => undefined,
    },
  }));
  signalingState = 'have-remote-offer';
  getTransceivers() {
    return this.transceivers;
  }
  addTrack(track: Track) {
    this.added.push(track);
  }
}

function setup() {
  const pc = new OfferedConnection();
  const captured: { video: boolean }[] = [];
  const devices = {
    getUserMedia: async (c: MediaStreamConstraints) => {
      captured.push({ video: c.video === true });
      return stream([new Track('audio'), ...(c.video ? [new Track('video')] : [])]);
    },
    enumerateDevices: async () => [],
  } as unknown as MediaDevicesLike;
  const events: string[] = [];
  const media = createCallMedia(
    pc as unknown as PeerConnectionLike,
    devices,
    new AbortController().signal,
    (e) => events.push(e.type),
  );
  const idle = async () => {
    for (let i = 0; i < 5; i++) await Promise.resolve();
  };
  const ours = () => [...pc.added, ...pc.sent.filter((t) => t !== null)];
  return { pc, media, captured, events, idle, ours };
}

describe("the peer's offer adds audio and video while no call is accepted", () => {
  it('no call at all: answered with no track of ours, the transceivers stay receive-only', async () => {
    const { pc, media, captured, ours } = setup();
    await media.beforeAnswer();
    expect(ours()).toEqual([]);
    expect(captured).toEqual([]);
    expect(pc.transceivers.map((t) => t.direction)).toEqual(['recvonly', 'recvonly']);
  });

  it('our own call ringing out (capture open for the preview, not accepted): still nothing sent', async () => {
    const { media, idle, ours, events } = setup();
    media.execute({ type: 'media-open', video: true });
    await idle();
    expect(events).toContain('media-opened');
    await media.beforeAnswer();
    expect(ours()).toEqual([]);
  });

  it('an accepted call: its capture goes on the offered transceivers (so the checks above can fail)', async () => {
    const { pc, media, idle, ours } = setup();
    media.execute({ type: 'media-open', video: false });
    media.execute({ type: 'media-attach-on-offer' });
    await idle();
    await media.beforeAnswer();
    expect(ours().map((t) => t.kind)).toEqual(['audio']);
    expect(pc.transceivers.map((t) => t.direction)).toEqual(['sendrecv', 'recvonly']);
  });

  it('a call accepted and then ended before the caller offered: the next offer gets nothing', async () => {
    const { media, idle, ours } = setup();
    media.execute({ type: 'media-open', video: true });
    media.execute({ type: 'media-attach-on-offer' });
    media.execute({ type: 'media-close' });
    await idle();
    await media.beforeAnswer();
    expect(ours()).toEqual([]);
  });
});
