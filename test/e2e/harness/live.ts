// Page-side readings and waits for what comes after pairing: calls and their media, the connection's ICE
// credentials and signaling, the details panel. All read through the UI's data-testids or the test probe.
import { type AppPage, MESSAGE_TIMEOUT_MS } from './app.ts';

export const MEDIA_TIMEOUT_MS = 30_000;

export interface VideoReading {
  readonly width: number;
  readonly time: number;
  readonly frames: number | null;
  readonly hasStream: boolean;
}

export function callPhase(app: AppPage): Promise<string | null> {
  return app.evaluate(
    () => document.querySelector('[data-testid="call"]')?.getAttribute('data-phase') ?? null,
    undefined,
  );
}

export function waitCallPhase(
  app: AppPage,
  phase: string,
  timeoutMs = MEDIA_TIMEOUT_MS,
): Promise<string | null> {
  return app.poll(
    `call phase ${phase}`,
    () => callPhase(app),
    (p) => p === phase,
    timeoutMs,
  );
}

export function readRemoteVideo(app: AppPage): Promise<VideoReading> {
  return app.evaluate(() => {
    const v = document.querySelector('[data-testid="remote-video"]');
    if (!(v instanceof HTMLVideoElement)) return { width: 0, time: 0, frames: null, hasStream: false };
    const quality = typeof v.getVideoPlaybackQuality === 'function' ? v.getVideoPlaybackQuality() : null;
    return {
      width: v.videoWidth,
      time: v.currentTime,
      frames: quality?.totalVideoFrames ?? null,
      hasStream: v.srcObject instanceof MediaStream && v.srcObject.getVideoTracks().length > 0,
    };
  }, undefined);
}

/** One page's live connection for a failure message: transceivers, signaling, and its recent events. */
export async function connectionReport(app: AppPage): Promise<string> {
  const summary = await app.evaluate(() => {
    const probe = (window as unknown as { __pigeonProbe?: { pcs: RTCPeerConnection[] } }).__pigeonProbe;
    const pc = probe?.pcs.at(-1);
    if (pc === undefined) return 'no connection';
    const list = pc
      .getTransceivers()
      .map(
        (t) =>
          `${t.mid}:${t.receiver.track.kind} ${t.direction}/${t.currentDirection} send=${t.sender.track?.readyState ?? '-'}`,
      );
    return `${pc.signalingState} ${pc.connectionState} [${list.join('; ')}]`;
  }, undefined);
  const events = (await app.peerConnectionEvents()).at(-1)?.filter((e) => !e.includes(' cand')) ?? [];
  return `${app.name}: ${summary}\n${events.join(' | ')}`;
}

/** Runs `step`; if it fails, the error carries both sides' connection reports. */
export async function reportingBothSides<T>(apps: readonly AppPage[], step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (error) {
    const reports = await Promise.all(apps.map(connectionReport));
    throw new Error(`${String(error)}\n--- both sides ---\n${reports.join('\n')}`);
  }
}

/** Signaling stable on ICE credentials other than `old`'s, both ours and the peer's: a restart went through. */
const onNewCredentials = (p: PcReading, old: PcReading | undefined): boolean =>
  p.signaling === 'stable' &&
  p.connection === 'connected' &&
  // A connection just made (a move's, rtc/session/move.ts) is stable with no credentials yet: not there.
  p.localUfrag !== null &&
  p.remoteUfrag !== null &&
  p.localUfrag !== old?.localUfrag &&
  p.remoteUfrag !== old?.remoteUfrag;

/** Waits until each page is on new ICE credentials (see onNewCredentials), against its reading in `before`. */
export function waitNewCredentials(
  apps: readonly AppPage[],
  before: readonly PcReading[],
): Promise<PcReading[]> {
  return Promise.all(
    apps.map((app, i) =>
      app.poll(
        `${app.name} on new ICE credentials`,
        () => livePc(app),
        (p) => onNewCredentials(p, before[i]),
        MEDIA_TIMEOUT_MS,
      ),
    ),
  );
}

/** The peer's video is decoded (a width) and playing (time moves on between two readings). */
export async function waitRemoteVideoPlays(
  app: AppPage,
): Promise<{ first: VideoReading; later: VideoReading }> {
  const first = await app.poll(
    'remote video with a size',
    () => readRemoteVideo(app),
    (r) => r.hasStream && r.width > 0 && r.time > 0,
    MEDIA_TIMEOUT_MS,
  );
  const later = await app.poll(
    'remote video time moving on',
    () => readRemoteVideo(app),
    // Frame counters where the browser keeps them for a stream (Chromium); Firefox reports 0 and only time moves.
    (r) =>
      r.time > first.time + 0.5 &&
      (r.frames === null || first.frames === null || first.frames === 0 || r.frames > first.frames),
    MEDIA_TIMEOUT_MS,
  );
  return { first, later };
}

/** What the call panel says of the peer's microphone: 'true', 'false', or null outside a call. */
export const peerMic = (app: AppPage) =>
  app.evaluate(
    () => document.querySelector('[data-testid="peer-media"]')?.getAttribute('data-mic') ?? null,
    undefined,
  );

/** What the call panel visibly says of the other device's microphone and camera; null when nothing is drawn. */
export const peerNote = (app: AppPage) =>
  app.evaluate(() => {
    const el = document.querySelector<HTMLElement>('[data-testid="peer-media"]');
    return el?.checkVisibility() ? el.textContent : null;
  }, undefined);

/** The other device's name as the header shows it ("Connected to …", bidi-isolated). */
export const headerPeerName = (app: AppPage) =>
  app.evaluate(() => /\u2068(.+?)\u2069/.exec(document.body.textContent ?? '')?.[1] ?? null, undefined);

/** Live tracks among every getUserMedia stream the page opened (0 = camera and microphone released). */
export function liveLocalTracks(app: AppPage): Promise<number> {
  return app.camera().then((c) => c.liveTracks);
}

export function waitLocalReleased(app: AppPage): Promise<number> {
  return app.poll(
    'camera and microphone released',
    () => liveLocalTracks(app),
    (n) => n === 0,
    MESSAGE_TIMEOUT_MS,
  );
}

export interface PcReading {
  readonly signaling: string;
  readonly connection: string;
  readonly localUfrag: string | null;
  readonly remoteUfrag: string | null;
  /** The local description's DTLS fingerprint ('' without one): the session's certificate. */
  readonly fingerprint: string;
  readonly rollbacks: number;
}

/** Counts rollbacks from now on (patches the prototype, so the live connection is covered). */
export function countRollbacks(app: AppPage): Promise<void> {
  return app.evaluate(() => {
    const w = window as unknown as { __rollbacks?: number };
    if (w.__rollbacks !== undefined) return;
    w.__rollbacks = 0;
    const proto = RTCPeerConnection.prototype as unknown as Record<string, (...args: unknown[]) => unknown>;
    const original = proto.setLocalDescription as (...args: unknown[]) => Promise<void>;
    proto.setLocalDescription = function (this: RTCPeerConnection, ...args: unknown[]) {
      if ((args[0] as { type?: string } | undefined)?.type === 'rollback')
        w.__rollbacks = (w.__rollbacks ?? 0) + 1;
      return original.apply(this, args);
    };
  }, undefined);
}

/** Counts this page's ICE-restart offers from now on (patches the prototype, so the live connection is covered). */
export function countRestartOffers(app: AppPage): Promise<void> {
  return app.evaluate(() => {
    const w = window as unknown as { __restartOffers?: number };
    if (w.__restartOffers !== undefined) return;
    w.__restartOffers = 0;
    const proto = RTCPeerConnection.prototype as unknown as Record<string, (...args: unknown[]) => unknown>;
    const original = proto.createOffer as (...args: unknown[]) => Promise<RTCSessionDescriptionInit>;
    proto.createOffer = function (this: RTCPeerConnection, ...args: unknown[]) {
      if ((args[0] as RTCOfferOptions | undefined)?.iceRestart === true)
        w.__restartOffers = (w.__restartOffers ?? 0) + 1;
      return original.apply(this, args);
    };
  }, undefined);
}

export function restartOffers(app: AppPage): Promise<number> {
  return app.evaluate(
    () => (window as unknown as { __restartOffers?: number }).__restartOffers ?? -1,
    undefined,
  );
}

/**
 * Holds every createOffer of this page for `ms` before it resolves, so that offers both sides start at about
 * the same moment are surely both on the wire before either arrives (glare). Delaying the offer's *sending*
 * instead would not do: Chromium stops sending on the old path soon after it applies a restart offer locally.
 */
export function delayOffers(app: AppPage, ms: number): Promise<void> {
  return app.evaluate((delay) => {
    const proto = RTCPeerConnection.prototype as unknown as Record<string, (...args: unknown[]) => unknown>;
    const original = proto.createOffer as (...args: unknown[]) => Promise<RTCSessionDescriptionInit>;
    proto.createOffer = function (this: RTCPeerConnection, ...args: unknown[]) {
      const made = original.apply(this, args);
      return new Promise((resolve, reject) => setTimeout(() => made.then(resolve, reject), delay));
    };
  }, ms);
}

export function livePc(app: AppPage): Promise<PcReading> {
  return app.evaluate(() => {
    const probe = (window as unknown as { __pigeonProbe?: { pcs: RTCPeerConnection[] } }).__pigeonProbe;
    const pc = probe?.pcs.at(-1);
    const ufrag = (sdp: string | undefined) => /a=ice-ufrag:(\S+)/.exec(sdp ?? '')?.[1] ?? null;
    return {
      signaling: pc?.signalingState ?? 'none',
      connection: pc?.connectionState ?? 'none',
      localUfrag: ufrag(pc?.localDescription?.sdp),
      remoteUfrag: ufrag(pc?.remoteDescription?.sdp),
      fingerprint: /a=fingerprint:(.+)/.exec(pc?.localDescription?.sdp ?? '')?.[1]?.trim() ?? '',
      rollbacks: (window as unknown as { __rollbacks?: number }).__rollbacks ?? 0,
    };
  }, undefined);
}

/** A one-way outage at the app level: while deaf, nothing the peer sends on any channel reaches this app. */
export function setDeaf(app: AppPage, deaf: boolean): Promise<void> {
  return app.evaluate((on) => {
    (window as unknown as { __pigeonProbe: { deaf: boolean } }).__pigeonProbe.deaf = on;
  }, deaf);
}

/** Opens the connection details panel and returns what it shows once it has numbers. */
export async function openDetails(app: AppPage): Promise<void> {
  await app.evaluate(() => {
    const d = document.querySelector('[data-testid="details"]');
    if (d instanceof HTMLDetailsElement) d.open = true;
  }, undefined);
}

export interface DetailsReading {
  readonly local: string;
  readonly remote: string;
  readonly path: string;
  readonly states: string;
  readonly bytes: string;
}

export function readDetails(app: AppPage): Promise<DetailsReading> {
  return app.evaluate(() => {
    const d = document.querySelector('[data-testid="details"]');
    const text = (id: string) => document.querySelector(`[data-testid="${id}"]`)?.textContent ?? '';
    return {
      local: d?.getAttribute('data-local') ?? '',
      remote: d?.getAttribute('data-remote') ?? '',
      path: text('details-path'),
      states: text('details-states'),
      bytes: text('details-bytes'),
    };
  }, undefined);
}

/** caller starts a video call, callee accepts; both see the other's video play. */
export async function videoCall(caller: AppPage, callee: AppPage): Promise<void> {
  await caller.tap('call-video');
  await waitCallPhase(callee, 'incoming');
  const calling = await callPhase(caller);
  if (calling !== 'outgoing') throw new Error(`${caller.name}: call phase ${calling}, not outgoing`);
  await callee.tap('call-accept');
  await Promise.all([waitCallPhase(caller, 'active'), waitCallPhase(callee, 'active')]);
  // A call that does not play is usually a negotiation that stopped halfway: the report shows both sides.
  const [atCallee, atCaller] = await reportingBothSides([caller, callee], () =>
    Promise.all([waitRemoteVideoPlays(callee), waitRemoteVideoPlays(caller)]),
  );
  console.log(
    `video: ${callee.name} sees ${atCallee.later.width}px, t ${atCallee.first.time.toFixed(2)}→${atCallee.later.time.toFixed(2)} s; ` +
      `${caller.name} sees ${atCaller.later.width}px, t ${atCaller.first.time.toFixed(2)}→${atCaller.later.time.toFixed(2)} s`,
  );
}

/** The label of the camera each of `side`'s connected connections sends, one entry per connection. */
export const sentCameras = (side: AppPage): Promise<string[]> =>
  side.evaluate(
    () =>
      (window as unknown as { __pigeonProbe: { pcs: RTCPeerConnection[] } }).__pigeonProbe.pcs
        .filter((pc) => pc.connectionState === 'connected')
        .flatMap((pc) => pc.getSenders().flatMap((s) => (s.track?.kind === 'video' ? [s.track.label] : []))),
    undefined,
  );

/** Video frames this page has decoded from the peer so far (inbound-rtp), from getStats. */
export function framesDecoded(app: AppPage): Promise<number> {
  return app.evaluate(async () => {
    const probe = (window as unknown as { __pigeonProbe: { pcs: RTCPeerConnection[] } }).__pigeonProbe;
    const pc = probe.pcs.at(-1);
    if (pc === undefined || pc.connectionState === 'closed') return 0;
    let frames = 0;
    (await pc.getStats()).forEach((s: Record<string, unknown>) => {
      if (s.type === 'inbound-rtp' && s.kind === 'video') frames += Number(s.framesDecoded ?? 0);
    });
    return frames;
  }, undefined);
}

/** The peer's video keeps arriving: `more` frames decoded beyond what is decoded now. */
export async function waitMoreFrames(app: AppPage, more: number): Promise<number> {
  const now = await framesDecoded(app);
  return app.poll(
    `${more} more video frames decoded`,
    () => framesDecoded(app),
    (n) => n >= now + more,
    MEDIA_TIMEOUT_MS,
  );
}
