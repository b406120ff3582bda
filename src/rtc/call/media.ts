// Call media on the live connection: capture, tracks on and off the connection, mute, camera switch, and the
// peer's tracks as they arrive. Steps run in one queue (capture is slow; attach must wait for it).
// Transceivers are reused from call to call, so a session's SDP does not grow with every call.

import type { MediaPeerLike, PeerConnectionLike } from '../base/peer.ts';
import { describeError } from '../base/result.ts';
import type { CallCommand, CallEvent, MediaChanged } from './call.ts';

export type MediaDevicesLike = Pick<MediaDevices, 'getUserMedia' | 'enumerateDevices'>;

export interface CallMedia {
  execute(command: Exclude<CallCommand, { type: 'send-call' }>): void;
  readonly local: () => MediaStream | null;
  readonly remote: () => MediaStream | null;
  /** Called while answering an offer, before the answer is made: our tracks go on the offered transceivers. */
  beforeAnswer(): Promise<void>;
  /** Stops every local track. */
  dispose(): void;
}

const hasTransceivers = (pc: object): pc is MediaPeerLike & { addTrack: RTCPeerConnection['addTrack'] } =>
  'getTransceivers' in pc && 'addTrack' in pc;

export function createCallMedia(
  pc: PeerConnectionLike,
  devices: MediaDevicesLike | undefined,
  signal: AbortSignal,
  emit: (event: CallEvent | MediaChanged) => void,
): CallMedia {
  let local: MediaStream | null = null;
  let remote: MediaStream | null = null;
  /** The callee's tracks wait for the caller's offer (see call.ts). */
  let attachOnOffer = false;
  let queue: Promise<void> = Promise.resolve();
  const changed = () => emit({ type: 'media-changed' });

  function receive(tracks: readonly MediaStreamTrack[]): void {
    const fresh = tracks.filter((track) => !remote?.getTracks().includes(track));
    if (fresh.length === 0) return;
    remote ??= new MediaStream();
    for (const track of fresh) remote.addTrack(track);
    changed();
  }

  pc.addEventListener('track', (event) => receive([(event as RTCTrackEvent).track]), { signal });
  // Also from the transceivers once each exchange settles: the peer's tracks are the receivers of every
  // transceiver currently receiving, in case a browser's track event came before we listened or not at all.
  pc.addEventListener(
    'signalingstatechange',
    () => {
      // Only during a call (our media is open): after one, the transceivers stay but nothing is shown.
      if (local === null || pc.signalingState !== 'stable' || !hasTransceivers(pc)) return;
      receive(
        pc
          .getTransceivers()
          .filter((t) => t.currentDirection === 'sendrecv' || t.currentDirection === 'recvonly')
          .map((t) => t.receiver.track),
      );
    },
    { signal },
  );

  function enqueue(work: () => Promise<void>): void {
    queue = queue.then(async () => {
      if (signal.aborted) return;
      try {
        await work();
      } catch (error) {
        if (!signal.aborted) emit({ type: 'media-failed', detail: describeError(error) });
      }
    });
  }

  /** What the person turned on or off; kept for a capture still being opened (a muted call carried on). */
  let enabled = { mic: true, cam: true };

  function applyEnabled(): void {
    for (const track of local?.getAudioTracks() ?? []) track.enabled = enabled.mic;
    for (const track of local?.getVideoTracks() ?? []) track.enabled = enabled.cam;
  }

  function stopLocal(): void {
    for (const track of local?.getTracks() ?? []) track.stop();
    local = null;
  }

  async function open(video: boolean): Promise<void> {
    if (local !== null && local.getVideoTracks().length > 0 === video) {
      emit({ type: 'media-opened' });
      return;
    }
    if (devices === undefined) throw new Error('this browser has no camera or microphone access');
    stopLocal();
    const stream = await devices.getUserMedia({ audio: true, video });
    if (signal.aborted) {
      for (const track of stream.getTracks()) track.stop();
      return;
    }
    local = stream;
    applyEnabled();
    changed();
    emit({ type: 'media-opened' });
  }

  async function attach(): Promise<void> {
    const stream = local;
    if (stream === null || !hasTransceivers(pc)) return;
    for (const track of stream.getTracks()) {
      const spare = pc
        .getTransceivers()
        .find(
          (t) =>
            t.currentDirection !== 'stopped' &&
            t.mid !== null &&
            t.receiver.track.kind === track.kind &&
            t.sender.track === null,
        );
      if (spare === undefined) {
        pc.addTrack(track, stream);
        continue;
      }
      spare.direction = 'sendrecv';
      await spare.sender.replaceTrack(track);
      spare.sender.setStreams?.(stream);
    }
  }

  async function detach(): Promise<void> {
    attachOnOffer = false;
    const tracks = local?.getTracks() ?? [];
    if (hasTransceivers(pc)) {
      for (const t of pc.getTransceivers()) {
        if (t.sender.track === null || !tracks.includes(t.sender.track)) continue;
        await t.sender.replaceTrack(null);
        if (t.currentDirection !== 'stopped') t.direction = 'recvonly';
      }
    }
    stopLocal();
    // The call is over: the next one starts with microphone and camera on (call.ts says so too).
    enabled = { mic: true, cam: true };
    remote = null;
    changed();
  }

  async function switchCamera(): Promise<void> {
    const current = local?.getVideoTracks()[0];
    if (devices === undefined || local === null || current === undefined || !hasTransceivers(pc)) return;
    const cameras = (await devices.enumerateDevices()).filter((d) => d.kind === 'videoinput');
    if (cameras.length < 2) return;
    const at = cameras.findIndex((d) => d.deviceId === current.getSettings().deviceId);
    const next = cameras[(at + 1) % cameras.length];
    if (next === undefined) return;
    const fresh = (
      await devices.getUserMedia({ video: { deviceId: { exact: next.deviceId } } })
    ).getVideoTracks()[0];
    if (fresh === undefined) return;
    fresh.enabled = current.enabled;
    const sender = pc.getTransceivers().find((t) => t.sender.track === current)?.sender;
    await sender?.replaceTrack(fresh);
    local.removeTrack(current);
    current.stop();
    local.addTrack(fresh);
    changed();
  }

  function execute(command: Exclude<CallCommand, { type: 'send-call' }>): void {
    switch (command.type) {
      case 'media-open':
        enqueue(() => open(command.video));
        return;
      case 'media-attach':
        enqueue(attach);
        return;
      case 'media-attach-on-offer':
        attachOnOffer = true;
        return;
      case 'media-close':
        enqueue(detach);
        return;
      case 'media-enable':
        enabled = { mic: command.mic, cam: command.cam };
        applyEnabled();
        changed();
        return;
      case 'media-switch-camera':
        enqueue(switchCamera);
        return;
    }
  }

  return {
    execute,
    local: () => local,
    remote: () => remote,
    async beforeAnswer() {
      // The accept went out after capture, so the tracks are there when the caller's offer is answered.
      if (!attachOnOffer || local === null) return;
      attachOnOffer = false;
      await attach();
    },
    dispose: () => {
      stopLocal();
      remote = null;
    },
  };
}
