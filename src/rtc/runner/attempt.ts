// One connection attempt: the RTCPeerConnection, the session's data channel, and what hangs off them (in-band
// negotiation, call media), wired to the session's events. The runner holds at most one at a time.

import type { GatherPlan } from '../base/gather.ts';
import { whenOpen } from '../base/opened.ts';
import type { DataChannelLike, PeerConnectionConstructor, PeerConnectionLike } from '../base/peer.ts';
import { type CallMedia, createCallMedia, type MediaDevicesLike } from '../call/media.ts';
import { parseControl } from '../inband/control.ts';
import { createNegotiator, type Negotiator } from '../inband/inband.ts';
import { pathVerdict } from '../link/check.ts';
import { type ConnectionDetails, summarizeStats } from '../link/stats.ts';
import type { PathVerdict, SessionEvent } from '../model/types.ts';

export const CHANNEL_LABEL = 'pigeon';
/**
 * Negotiated id 0: both sides create the same channel themselves, so it opens with the transport and needs no
 * in-band open handshake. Ordered, because chat and control messages must not overtake each other.
 */
export const CHANNEL_INIT: RTCDataChannelInit = { negotiated: true, id: 0, ordered: true };
/**
 * Closing the channel first lets queued messages (a bye) go out; pc.close() follows once the channel reports
 * closed, or after this long at most.
 */
export const CLOSE_GRACE_MS = 500;
/**
 * A last message (a bye) gets this long before its channel is closed: node-datachannel 0.33.4 dropped messages
 * that a Chromium page sent right before closing the channel (5 of 8 tries in scripts/close-order-probe.ts, none
 * with 200 ms between), and the terminal peer then read a hang-up as the app having stopped answering.
 */
export const FLUSH_BEFORE_CLOSE_MS = 250;

export interface Attempt {
  readonly pc: PeerConnectionLike;
  readonly channel: DataChannelLike;
  readonly negotiator: Negotiator;
  readonly media: CallMedia;
  /** Aborting it detaches every listener and cancels gathering. */
  readonly controller: AbortController;
}

export function quietly(action: () => void): void {
  try {
    action();
  } catch {
    // Closing something already closed (or half torn down by the browser) is not an error worth reporting.
  }
}

/** Resolves when the channel reports closed or after `ms`, whichever is first; leaves nothing behind. */
function channelClosed(channel: DataChannelLike, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const own = new AbortController();
    const finish = (): void => {
      clearTimeout(timer);
      own.abort();
      resolve();
    };
    const timer = setTimeout(finish, ms);
    channel.addEventListener('close', finish, { signal: own.signal });
  });
}

export async function readDetails(pc: PeerConnectionLike): Promise<ConnectionDetails | null> {
  const sctp = (pc as { sctp?: RTCSctpTransport | null }).sctp ?? null;
  try {
    const report = await pc.getStats();
    const states = {
      ice: pc.iceConnectionState,
      dtls: sctp?.transport.state ?? null,
      sctp: sctp?.state ?? null,
    };
    return summarizeStats(report.values(), states);
  } catch {
    return null;
  }
}

/** What carries the connection (link/check.ts); 'none' when the stats cannot be read. */
export async function readPath(pc: PeerConnectionLike): Promise<PathVerdict> {
  try {
    const report = await pc.getStats();
    return pathVerdict(report.values(), pc.localDescription?.sdp, pc.remoteDescription?.sdp);
  } catch {
    return 'none';
  }
}

export interface AttemptDeps {
  readonly RTCPeerConnection: PeerConnectionConstructor;
  readonly config: RTCConfiguration;
  readonly devices: MediaDevicesLike | undefined;
  /** Read at each gathering, so settings changed since apply. */
  readonly plan: () => GatherPlan;
  readonly now: () => number;
}

/** A new connection with its channel and listeners; `emit` receives everything it reports. */
export function openAttempt(deps: AttemptDeps, emit: (event: SessionEvent) => void): Attempt {
  const { now } = deps;
  const pc = new deps.RTCPeerConnection(deps.config);
  const channel = pc.createDataChannel(CHANNEL_LABEL, CHANNEL_INIT);
  const controller = new AbortController();
  const listen = { signal: controller.signal };
  pc.addEventListener(
    'connectionstatechange',
    () =>
      emit({ type: 'connection-state', state: pc.connectionState, ice: pc.iceConnectionState, at: now() }),
    listen,
  );
  const received = (data: unknown) => {
    const parsed = parseControl(data);
    emit(
      parsed.ok
        ? { type: 'message', message: parsed.value, at: now() }
        : { type: 'message-invalid', error: parsed.error },
    );
  };
  channel.addEventListener('close', () => emit({ type: 'channel-closed' }), listen);
  whenOpen(
    channel,
    { open: () => emit({ type: 'channel-open', at: now() }), message: received },
    controller.signal,
  );
  const media = createCallMedia(pc, deps.devices, controller.signal, emit);
  const negotiator = createNegotiator(pc, deps.plan, controller.signal, emit, () => media.beforeAnswer());
  return { pc, channel, controller, negotiator, media };
}

/** Detaches every listener, stops local media, and closes the channel, then the connection. */
export function releaseAttempt(current: Attempt): void {
  current.controller.abort();
  current.media.dispose();
  const { pc, channel } = current;
  if (channel.readyState !== 'open') {
    quietly(() => channel.close());
    quietly(() => pc.close());
    return;
  }
  setTimeout(() => {
    quietly(() => channel.close());
    void channelClosed(channel, CLOSE_GRACE_MS).then(() => quietly(() => pc.close()));
  }, FLUSH_BEFORE_CLOSE_MS);
}
