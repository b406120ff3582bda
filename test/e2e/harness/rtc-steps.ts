// WebRTC steps that run inside a page. `rtcInPage` is serialised into the page by PageHandle.evaluate, so it
// must stay self-contained (no imports, no outside names); the peer connection lives on `window` between steps.
// The typed wrappers below are what tests call.
//
// The channel is negotiated (both sides create it with one id, as the app does: src/rtc/runner/attempt.ts), not
// announced in-band: on a channel announced by a Firefox offerer, Chromium 156 as the answerer sometimes keeps the
// first message it sends in bufferedAmount until its next send, and then only the newer message arrives (3–6 runs
// in 100 under load, measured in session 11). These steps are about the codec, so they use the app's channel.
import type { PageHandle } from './browsers.ts';

export const GATHER_TIMEOUT_MS = 20_000;
export const OPEN_TIMEOUT_MS = 30_000;
/** The one data channel, created by both sides with this id (`negotiated`: no in-band announcement). */
const CHANNEL_ID = 0;

export interface PeerSetup {
  readonly iceServers?: RTCIceServer[];
  readonly iceTransportPolicy?: RTCIceTransportPolicy;
  readonly gatherTimeoutMs?: number;
}

export interface LocalSdp {
  readonly type: 'offer' | 'answer';
  readonly sdp: string;
  /** false when gathering hit the timeout and `sdp` holds only what was gathered by then. */
  readonly gatheringComplete: boolean;
}

export interface CandidateInfo {
  readonly candidateType: string;
  readonly protocol: string;
  readonly address: string;
}

export interface ConnectionInfo {
  readonly connectionState: string;
  readonly iceConnectionState: string;
  /** The ICE username fragment the transport uses now (from stats; absent if the browser does not say). */
  readonly localUfrag?: string;
  readonly local?: CandidateInfo;
  readonly remote?: CandidateInfo;
}

export type RtcCommand =
  | {
      readonly op: 'offer';
      readonly setup: PeerSetup;
      readonly gatherTimeoutMs: number;
      readonly label: string;
      readonly channelId: number;
    }
  | {
      readonly op: 'answer';
      readonly setup: PeerSetup;
      readonly gatherTimeoutMs: number;
      readonly offerSdp: string;
      readonly passive: boolean;
      readonly label: string;
      readonly channelId: number;
    }
  | { readonly op: 'remote'; readonly type: 'offer' | 'answer'; readonly sdp: string }
  | { readonly op: 'restart-offer'; readonly gatherTimeoutMs: number }
  | { readonly op: 'restart-answer'; readonly sdp: string; readonly gatherTimeoutMs: number }
  | { readonly op: 'exchange'; readonly text: string; readonly timeoutMs: number }
  | { readonly op: 'wait-connected'; readonly timeoutMs: number }
  | { readonly op: 'info'; readonly waitMs: number; readonly ufrag?: string }
  | { readonly op: 'close' };

/** The one page function. Every branch returns plain data (it crosses the driver as JSON). */
export async function rtcInPage(cmd: RtcCommand): Promise<unknown> {
  interface State {
    pc: RTCPeerConnection;
    channel: RTCDataChannel | null;
    inbox: string[];
    waiters: Array<() => void>;
  }
  const slot = window as unknown as { __pigeonRtc?: State };
  const notify = (s: State): void => {
    for (const w of s.waiters.splice(0)) w();
  };
  const fresh = (setup: PeerSetup): State => {
    slot.__pigeonRtc?.pc.close();
    const config: RTCConfiguration = { iceServers: setup.iceServers ?? [] };
    if (setup.iceTransportPolicy !== undefined) config.iceTransportPolicy = setup.iceTransportPolicy;
    const s: State = { pc: new RTCPeerConnection(config), channel: null, inbox: [], waiters: [] };
    slot.__pigeonRtc = s;
    s.pc.addEventListener('connectionstatechange', () => notify(s));
    return s;
  };
  const current = (): State => {
    const s = slot.__pigeonRtc;
    if (s === undefined) throw new Error(`rtc step '${cmd.op}': no peer connection on this page yet`);
    return s;
  };
  const adopt = (s: State, ch: RTCDataChannel): void => {
    s.channel = ch;
    ch.addEventListener('message', (e: MessageEvent) => {
      s.inbox.push(String(e.data));
      notify(s);
    });
    ch.addEventListener('open', () => notify(s));
  };
  /** Resolves once `ready()` holds, re-checked on every notify; rejects with `what` after ms. */
  const until = (s: State, ready: () => boolean, ms: number, what: string): Promise<void> =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what}`)), ms);
      const check = (): void => {
        if (ready()) {
          clearTimeout(timer);
          resolve();
        } else s.waiters.push(check);
      };
      check();
    });
  /** setLocalDescription, then wait for gathering to finish (bounded). Listens first, so nothing is missed. */
  const setLocalAndGather = async (s: State, desc: RTCSessionDescriptionInit, ms: number) => {
    let completed = false;
    const gathered = new Promise<void>((resolve) => {
      const onChange = (): void => {
        if (s.pc.iceGatheringState !== 'complete') return;
        completed = true;
        s.pc.removeEventListener('icegatheringstatechange', onChange);
        resolve();
      };
      s.pc.addEventListener('icegatheringstatechange', onChange);
    });
    await s.pc.setLocalDescription(desc);
    await Promise.race([gathered, new Promise((r) => setTimeout(r, ms))]);
    const local = s.pc.localDescription;
    if (local === null) throw new Error('no local description after setLocalDescription');
    return { type: local.type, sdp: local.sdp, gatheringComplete: completed };
  };
  const candidateAt = (stats: RTCStatsReport, id: unknown) => {
    const c = typeof id === 'string' ? (stats.get(id) as Record<string, unknown> | undefined) : undefined;
    if (c === undefined) return undefined;
    return {
      candidateType: String(c.candidateType),
      protocol: String(c.protocol),
      address: String(c.address ?? c.ip ?? ''),
    };
  };

  switch (cmd.op) {
    case 'offer': {
      const s = fresh(cmd.setup);
      adopt(s, s.pc.createDataChannel(cmd.label, { negotiated: true, id: cmd.channelId }));
      return setLocalAndGather(s, await s.pc.createOffer(), cmd.gatherTimeoutMs);
    }
    case 'answer': {
      const s = fresh(cmd.setup);
      adopt(s, s.pc.createDataChannel(cmd.label, { negotiated: true, id: cmd.channelId }));
      // A passive answer the way the app makes one (no edited local description): the remote offer says the
      // offerer will be the DTLS client, so the browser's own answer is passive.
      const offer = cmd.passive ? cmd.offerSdp.replace(/a=setup:actpass/g, 'a=setup:active') : cmd.offerSdp;
      if (cmd.passive && offer === cmd.offerSdp)
        throw new Error('offer had no a=setup:actpass to make active');
      await s.pc.setRemoteDescription({ type: 'offer', sdp: offer });
      return setLocalAndGather(s, await s.pc.createAnswer(), cmd.gatherTimeoutMs);
    }
    case 'remote': {
      await current().pc.setRemoteDescription({ type: cmd.type, sdp: cmd.sdp });
      return null;
    }
    case 'restart-offer': {
      const s = current();
      return setLocalAndGather(s, await s.pc.createOffer({ iceRestart: true }), cmd.gatherTimeoutMs);
    }
    case 'restart-answer': {
      const s = current();
      await s.pc.setRemoteDescription({ type: 'offer', sdp: cmd.sdp });
      return setLocalAndGather(s, await s.pc.createAnswer(), cmd.gatherTimeoutMs);
    }
    case 'exchange': {
      const s = current();
      const open = () => s.channel?.readyState === 'open';
      await until(s, open, cmd.timeoutMs, `data channel open (state ${s.pc.connectionState})`);
      s.channel?.send(cmd.text);
      await until(s, () => s.inbox.length > 0, cmd.timeoutMs, 'a message from the other side');
      return s.inbox.shift();
    }
    case 'wait-connected': {
      const s = current();
      const ok = () => s.pc.connectionState === 'connected';
      await until(s, ok, cmd.timeoutMs, `connectionState connected (is ${s.pc.connectionState})`);
      return null;
    }
    case 'info': {
      const { pc } = current();
      const deadline = Date.now() + cmd.waitMs;
      for (;;) {
        const stats = await pc.getStats();
        let transport: Record<string, unknown> | undefined;
        let pair: Record<string, unknown> | undefined;
        stats.forEach((r: Record<string, unknown>) => {
          if (r.type === 'transport' && typeof r.selectedCandidatePairId === 'string') {
            transport = r;
            pair = stats.get(r.selectedCandidatePairId) as Record<string, unknown> | undefined;
          }
        });
        if (pair === undefined) {
          stats.forEach((r: Record<string, unknown>) => {
            if (r.type === 'candidate-pair' && r.selected === true) pair = r;
          });
        }
        const localUfrag = transport?.iceLocalUsernameFragment;
        const settled = pair !== undefined && (cmd.ufrag === undefined || localUfrag === cmd.ufrag);
        if (settled || Date.now() >= deadline) {
          return {
            connectionState: pc.connectionState,
            iceConnectionState: pc.iceConnectionState,
            localUfrag: typeof localUfrag === 'string' ? localUfrag : undefined,
            local: candidateAt(stats, pair?.localCandidateId),
            remote: candidateAt(stats, pair?.remoteCandidateId),
          };
        }
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    case 'close': {
      slot.__pigeonRtc?.pc.close();
      delete slot.__pigeonRtc;
      return null;
    }
  }
}

const run = <R>(page: PageHandle, cmd: RtcCommand): Promise<R> => page.evaluate(rtcInPage, cmd) as Promise<R>;

/** New peer connection with a data channel; offer gathered to completion (bounded). */
const DEFAULT_LABEL = 'pigeon-e2e';

export const createOffer = (page: PageHandle, setup: PeerSetup = {}, label = DEFAULT_LABEL) =>
  run<LocalSdp>(page, {
    op: 'offer',
    setup,
    gatherTimeoutMs: setup.gatherTimeoutMs ?? GATHER_TIMEOUT_MS,
    label,
    channelId: CHANNEL_ID,
  });

/** New peer connection answering `offerSdp`; with `passive`, the browser's own answer is a=setup:passive. */
export const createAnswer = (
  page: PageHandle,
  offerSdp: string,
  opts: PeerSetup & { passive?: boolean; label?: string } = {},
) =>
  run<LocalSdp>(page, {
    op: 'answer',
    setup: opts,
    gatherTimeoutMs: opts.gatherTimeoutMs ?? GATHER_TIMEOUT_MS,
    offerSdp,
    passive: opts.passive ?? false,
    label: opts.label ?? DEFAULT_LABEL,
    channelId: CHANNEL_ID,
  });

export const applyRemote = (page: PageHandle, type: 'offer' | 'answer', sdp: string) =>
  run<null>(page, { op: 'remote', type, sdp });

export const restartOffer = (page: PageHandle, gatherTimeoutMs = GATHER_TIMEOUT_MS) =>
  run<LocalSdp>(page, { op: 'restart-offer', gatherTimeoutMs });

export const restartAnswer = (page: PageHandle, sdp: string, gatherTimeoutMs = GATHER_TIMEOUT_MS) =>
  run<LocalSdp>(page, { op: 'restart-answer', sdp, gatherTimeoutMs });

/** Waits for the channel to open, sends `text`, and resolves with the first message received. */
export const exchange = (page: PageHandle, text: string, timeoutMs = OPEN_TIMEOUT_MS) =>
  run<string>(page, { op: 'exchange', text, timeoutMs });

export const waitConnected = (page: PageHandle, timeoutMs = OPEN_TIMEOUT_MS) =>
  run<null>(page, { op: 'wait-connected', timeoutMs });

/**
 * The selected candidate pair. With waitMs, polls until one is reported (and, given `ufrag`, until the
 * transport uses that local ufrag, i.e. an ICE restart has taken effect), then returns whatever is known.
 */
export const connectionInfo = (page: PageHandle, waitMs = 0, ufrag?: string) =>
  run<ConnectionInfo>(page, { op: 'info', waitMs, ...(ufrag === undefined ? {} : { ufrag }) });

export const closePeer = (page: PageHandle) => run<null>(page, { op: 'close' });

/** Both sides send at once; resolves with what each received, or says which side got nothing. */
export async function exchangeBothWays(a: PageHandle, b: PageHandle, timeoutMs = OPEN_TIMEOUT_MS) {
  const [atA, atB] = await Promise.allSettled([
    exchange(a, 'ping from A', timeoutMs),
    exchange(b, 'ping from B', timeoutMs),
  ]);
  if (atA.status === 'fulfilled' && atB.status === 'fulfilled') return { atA: atA.value, atB: atB.value };
  const why = (r: PromiseSettledResult<string>) =>
    r.status === 'fulfilled' ? `got ${JSON.stringify(r.value)}` : String(r.reason).split('\n')[0];
  throw new Error(`message exchange failed: at A ${why(atA)}; at B ${why(atB)}`);
}
