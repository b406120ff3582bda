// A scriptable stand-in for RTCPeerConnection / RTCDataChannel: records what the runner does and lets a test
// play the browser's part (candidates, connection states, channel open, incoming messages).

import type { DataChannelLike, PeerConnectionLike } from '../../../src/rtc/base/peer.ts';

type Listener = (event: Event) => void;

const FINGERPRINT =
  'sha-256 4F:1C:9A:22:61:0B:7E:D5:3A:C8:90:11:5E:6D:72:AF:03:B4:28:E9:5C:17:6A:8D:F0:42:99:3B:C6:71:0E:D2';

function sdp(setup: string, ufrag: string): string {
  return [
    'v=0',
    `o=- 46117317 2 IN IP4 127.0.0.1`,
    's=-',
    't=0 0',
    'a=group:BUNDLE 0',
    'm=application 9 UDP/DTLS/SCTP webrtc-datachannel',
    'c=IN IP4 0.0.0.0',
    `a=ice-ufrag:${ufrag}`,
    'a=ice-pwd:asd88fgpdd777uzjYhagZg12',
    `a=fingerprint:${FINGERPRINT}`,
    `a=setup:${setup}`,
    'a=mid:0',
    'a=sctp-port:5000',
    '',
  ].join('\r\n');
}

export const OFFER_SDP = sdp('actpass', 'offr');
/** What a browser's createAnswer() returns to an actpass offer: it picks the active (DTLS client) role. */
export const BROWSER_ANSWER_SDP = sdp('active', 'answ');
/** Its answer to an offer pinned `active`: passive (JSEP: the answerer takes the other role). */
export const PASSIVE_ANSWER_SDP = sdp('passive', 'answ');

export class FakeTarget {
  private readonly listeners = new Map<string, Set<Listener>>();

  addEventListener(type: string, listener: Listener, options?: AddEventListenerOptions): void {
    if (options?.signal?.aborted) return;
    const set = this.listeners.get(type) ?? new Set<Listener>();
    this.listeners.set(type, set);
    set.add(listener);
    options?.signal?.addEventListener('abort', () => set.delete(listener), { once: true });
  }

  /** Listeners still attached, of one type or of all. */
  listenerCount(type?: string): number {
    if (type !== undefined) return this.listeners.get(type)?.size ?? 0;
    let total = 0;
    for (const set of this.listeners.values()) total += set.size;
    return total;
  }

  protected fire(type: string, fields: Record<string, unknown> = {}): void {
    const event = Object.assign(new Event(type), fields);
    for (const listener of [...(this.listeners.get(type) ?? [])]) listener(event);
  }
}

export class FakeDataChannel extends FakeTarget implements DataChannelLike {
  readyState: RTCDataChannelState = 'connecting';
  bufferedAmount = 0;
  readonly sent: string[] = [];
  closeCalls = 0;
  /** The other side's channel, once linked: what we send arrives there. */
  remote: FakeDataChannel | undefined;
  /** When true, close() stays in 'closing' (a peer that never acknowledges the stream reset). */
  stallClose = false;

  constructor(
    readonly label: string,
    readonly init: RTCDataChannelInit,
  ) {
    super();
  }

  send(data: string): void {
    if (this.readyState !== 'open') throw new DOMException('channel not open', 'InvalidStateError');
    this.sent.push(data);
    const remote = this.remote;
    if (remote !== undefined) queueMicrotask(() => remote.receive(data));
  }

  close(): void {
    this.closeCalls++;
    if (this.readyState === 'closing' || this.readyState === 'closed') return;
    this.readyState = 'closing';
    // Like a browser: 'closed' comes later, once the stream reset completes.
    if (!this.stallClose) queueMicrotask(() => this.finishClose());
  }

  // --- the browser's part ---

  open(): void {
    this.readyState = 'open';
    this.fire('open');
  }

  receive(data: unknown): void {
    if (this.readyState === 'open') this.fire('message', { data });
  }

  finishClose(): void {
    if (this.readyState === 'closed') return;
    this.readyState = 'closed';
    this.fire('close');
    this.remote?.finishClose();
  }

  /** What was sent, parsed. */
  sentMessages(): Record<string, unknown>[] {
    return this.sent.map((text) => JSON.parse(text) as Record<string, unknown>);
  }
}

export interface FakeOptions {
  /** Delay before setLocalDescription resolves (with fake timers). */
  readonly setLocalDelayMs?: number;
  readonly failCreateOffer?: boolean;
}

export class FakePeerConnection extends FakeTarget implements PeerConnectionLike {
  localDescription: { type: RTCSdpType; sdp: string } | null = null;
  remoteDescription: { type: RTCSdpType; sdp: string } | null = null;
  signalingState: RTCSignalingState = 'stable';
  /** Candidates given to addIceCandidate, and configurations given to setConfiguration. */
  readonly addedCandidates: RTCIceCandidateInit[] = [];
  readonly configurations: RTCConfiguration[] = [];
  /** Offers created with iceRestart: each gets a fresh ufrag, like a browser's. */
  restarts = 0;
  /** Makes the next setRemoteDescription / createOffer fail once. */
  failNextRemote = false;
  iceGatheringState: RTCIceGatheringState = 'new';
  iceConnectionState: RTCIceConnectionState = 'new';
  connectionState: RTCPeerConnectionState = 'new';
  /** Every API call in order, e.g. 'createAnswer', 'setLocalDescription:answer'. */
  readonly calls: string[] = [];
  /** The exact descriptions passed to setLocalDescription. */
  readonly localSet: RTCSessionDescriptionInit[] = [];
  readonly channels: FakeDataChannel[] = [];
  closeCalls = 0;

  constructor(
    readonly config: RTCConfiguration,
    private readonly options: FakeOptions = {},
  ) {
    super();
  }

  get channel(): FakeDataChannel {
    const channel = this.channels[0];
    if (channel === undefined) throw new Error('no data channel was created');
    return channel;
  }

  createDataChannel(label: string, init: RTCDataChannelInit): FakeDataChannel {
    this.calls.push('createDataChannel');
    const channel = new FakeDataChannel(label, init);
    this.channels.push(channel);
    return channel;
  }

  async createOffer(options: RTCOfferOptions = {}): Promise<RTCSessionDescriptionInit> {
    this.calls.push(options.iceRestart === true ? 'createOffer:restart' : 'createOffer');
    if (this.options.failCreateOffer === true)
      throw new DOMException('cannot create offer', 'OperationError');
    if (options.iceRestart === true) this.restarts++;
    return this.created({
      type: 'offer',
      sdp: this.restarts === 0 ? OFFER_SDP : sdp('actpass', `rst${this.restarts}`),
    });
  }

  /** What createOffer/createAnswer returned last: the only SDP setLocalDescription takes (no munging). */
  private lastCreated: RTCSessionDescriptionInit | null = null;

  private created(description: RTCSessionDescriptionInit): RTCSessionDescriptionInit {
    this.lastCreated = description;
    return description;
  }

  async createAnswer(): Promise<RTCSessionDescriptionInit> {
    this.calls.push('createAnswer');
    if (this.remoteDescription === null) throw new DOMException('no remote offer', 'InvalidStateError');
    const offerActive = /^a=setup:active\r?$/m.test(this.remoteDescription.sdp);
    return this.created({ type: 'answer', sdp: offerActive ? PASSIVE_ANSWER_SDP : BROWSER_ANSWER_SDP });
  }

  async setLocalDescription(description: RTCSessionDescriptionInit): Promise<void> {
    this.calls.push(`setLocalDescription:${description.type}`);
    if (description.type === 'rollback') {
      if (this.signalingState === 'stable')
        throw new DOMException('nothing to roll back', 'InvalidStateError');
      this.signalingState = 'stable';
      return;
    }
    const expected = description.type === 'offer' ? ['stable', 'have-local-offer'] : ['have-remote-offer'];
    if (!expected.includes(this.signalingState))
      throw new DOMException(`setLocal ${description.type} in ${this.signalingState}`, 'InvalidStateError');
    // As a browser that refuses munged descriptions would: only what it created itself goes in.
    if (description.sdp !== undefined && description.sdp !== this.lastCreated?.sdp)
      throw new DOMException('local description edited after create', 'InvalidModificationError');
    this.signalingState = description.type === 'offer' ? 'have-local-offer' : 'stable';
    this.localSet.push(description);
    const delay = this.options.setLocalDelayMs ?? 0;
    if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
    this.localDescription = { type: description.type, sdp: description.sdp ?? '' };
    this.iceGatheringState = 'gathering';
    this.fire('icegatheringstatechange');
  }

  async setRemoteDescription(description: RTCSessionDescriptionInit): Promise<void> {
    this.calls.push(`setRemoteDescription:${description.type}`);
    if (this.connectionState === 'closed') throw new DOMException('closed', 'InvalidStateError');
    if (description.sdp?.startsWith('v=0') !== true) throw new DOMException('bad sdp', 'OperationError');
    if (this.failNextRemote) {
      this.failNextRemote = false;
      throw new DOMException('refused', 'OperationError');
    }
    // Like a browser without implicit rollback: the runner must roll back itself.
    const expected = description.type === 'offer' ? 'stable' : 'have-local-offer';
    if (this.signalingState !== expected)
      throw new DOMException(`setRemote ${description.type} in ${this.signalingState}`, 'InvalidStateError');
    this.signalingState = description.type === 'offer' ? 'have-remote-offer' : 'stable';
    this.remoteDescription = { type: description.type ?? 'offer', sdp: description.sdp };
  }

  async addIceCandidate(candidate: RTCIceCandidateInit): Promise<void> {
    this.calls.push('addIceCandidate');
    if (this.remoteDescription === null) throw new DOMException('no remote description', 'InvalidStateError');
    this.addedCandidates.push(candidate);
  }

  setConfiguration(configuration: RTCConfiguration): void {
    this.configurations.push(configuration);
  }

  stats: unknown[] = [];
  async getStats(): Promise<RTCStatsReport> {
    return new Map(this.stats.map((s, i) => [String(i), s])) as unknown as RTCStatsReport;
  }

  /** The browser's negotiationneeded (tracks or directions changed). */
  needNegotiation(): void {
    this.fire('negotiationneeded');
  }

  close(): void {
    // Browsers fire no events on close().
    this.closeCalls++;
    this.signalingState = 'closed';
    this.connectionState = 'closed';
    this.iceConnectionState = 'closed';
  }

  // --- the browser's part ---

  emitCandidate(type: 'host' | 'srflx' | 'relay', address = '192.0.2.10'): void {
    const line = `candidate:1 1 udp 2122260223 ${address} 50000 typ ${type}`;
    if (this.localDescription !== null) this.localDescription.sdp += `a=${line}\r\n`;
    this.fire('icecandidate', { candidate: { candidate: line, type } });
  }

  /** The empty candidate browsers send at the end of a generation, before (or instead of) 'complete'. */
  emitEndOfCandidates(): void {
    this.fire('icecandidate', { candidate: { candidate: '', type: null } });
  }

  completeGathering(): void {
    this.iceGatheringState = 'complete';
    this.fire('icegatheringstatechange');
    this.fire('icecandidate', { candidate: null });
  }

  setConnectionState(state: RTCPeerConnectionState, ice: RTCIceConnectionState = iceFor(state)): void {
    this.connectionState = state;
    this.iceConnectionState = ice;
    this.fire('connectionstatechange');
  }
}

function iceFor(state: RTCPeerConnectionState): RTCIceConnectionState {
  return state === 'connecting' ? 'checking' : state;
}

/** A constructor to inject as `deps.RTCPeerConnection`, and every instance it made. */
export function createFakeRtc(options: FakeOptions = {}) {
  const instances: FakePeerConnection[] = [];
  class RTCPeerConnection extends FakePeerConnection {
    constructor(config: RTCConfiguration) {
      super(config, options);
      instances.push(this);
    }
  }
  return {
    RTCPeerConnection,
    instances,
    last(): FakePeerConnection {
      const pc = instances.at(-1);
      if (pc === undefined) throw new Error('no RTCPeerConnection was created');
      return pc;
    },
  };
}

/** Joins two fakes as if ICE, DTLS and SCTP succeeded: messages flow both ways. */
export function link(a: FakePeerConnection, b: FakePeerConnection): void {
  a.channel.remote = b.channel;
  b.channel.remote = a.channel;
  a.setConnectionState('connected');
  b.setConnectionState('connected');
  a.channel.open();
  b.channel.open();
}
