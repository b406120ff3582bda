import { describe, expect, it } from 'vitest';
import {
  ackMessage,
  byeMessage,
  KEEPALIVE_INTERVAL_MS,
  PEER_SILENCE_MS,
  PING,
  PONG,
} from '../../../src/rtc/inband/control.ts';
import { liveFor, RESTART_GRACE_MS } from '../../../src/rtc/link/live.ts';
import { CHAT_BURST } from '../../../src/rtc/model/chat-rate.ts';
import type {
  Command,
  SessionEvent,
  SessionState,
  TimerId,
  Transition,
} from '../../../src/rtc/model/types.ts';
import { INITIAL_STATE, LATE_ANSWER_DEADLINE_MS, reduce } from '../../../src/rtc/session/session.ts';
import {
  AT,
  conn,
  EVENTS,
  type EventName,
  eventNames,
  PENDING_CHAT,
  STATES,
  type StateName,
  stateNames,
} from './session-samples.ts';

// --- expected transitions; every pair not listed must be ignored ---

const CLOSE: Command = { type: 'close' };
const start = (id: TimerId, ms: number): Command => ({ type: 'start-timer', id, ms });
const cancel = (id: TimerId): Command => ({ type: 'cancel-timer', id });
const HEARD = start('silence', PEER_SILENCE_MS);
const OPENED = [{ type: 'send-hello' }, start('keepalive', KEEPALIVE_INTERVAL_MS), HEARD] as const;
const CONNECTED_TEARDOWN = [cancel('keepalive'), cancel('silence'), CLOSE];
const BYE_TEARDOWN = [
  cancel('keepalive'),
  cancel('silence'),
  { type: 'send', message: byeMessage('hangup') },
  CLOSE,
];
const CONNECTING_TEARDOWN = [cancel('connect-deadline'), CLOSE];
const CREATE: Command = { type: 'create-offer' };
const ANSWER: Command = { type: 'apply-offer-and-answer', offerSdp: 'REMOTE-OFFER' };

const gatheringOfferer: SessionState = STATES.gatheringOfferer;
/** start and join without secrets (no safety words): the fingerprints are still followed (session/sas.ts). */
const NO_SECRETS = { own: new Uint8Array(0), commit: null, peer: null, offerFp: null, answerFp: null };
/** What a lost connection keeps for the one that carries it on. */
const PRIOR = { prior: { sas: { kind: 'unverifiable' as const }, fingerprints: null, verified: null } };
const gatheringAnswerer: SessionState = STATES.gatheringAnswerer;
const hungUp: SessionState = { kind: 'closed', reason: 'local-hangup', chat: [] };
const fail = (role: 'offerer' | 'answerer', reason: string, detail: string) => ({
  kind: 'failed',
  role,
  reason,
  detail,
});
const connectedAs = (role: 'offerer' | 'answerer') => ({
  kind: 'connected',
  role,
  since: AT,
  peer: null,
  chat: [],
  live: liveFor(role),
  sas: { kind: 'unverifiable' as const },
  fingerprints: null,
  verified: null,
});

type Expected = { readonly state: unknown; readonly commands: readonly unknown[] };
const TABLE: Partial<Record<`${StateName}|${EventName}`, Expected>> = {
  // Beginning an exchange: from rest, or abandoning a code on screen (both tapped Start; a new offer came).
  'idle|start': { state: { ...gatheringOfferer, sas: NO_SECRETS }, commands: [CREATE] },
  'idle|join': { state: { ...gatheringAnswerer, sas: NO_SECRETS }, commands: [ANSWER] },
  'offerReady|start': { state: { ...gatheringOfferer, sas: NO_SECRETS }, commands: [CLOSE, CREATE] },
  'offerReady|join': { state: { ...gatheringAnswerer, sas: NO_SECRETS }, commands: [CLOSE, ANSWER] },
  'answerReady|start': { state: { ...gatheringOfferer, sas: NO_SECRETS }, commands: [CLOSE, CREATE] },
  'answerReady|join': { state: { ...gatheringAnswerer, sas: NO_SECRETS }, commands: [CLOSE, ANSWER] },
  'closed|start': { state: { ...gatheringOfferer, sas: NO_SECRETS }, commands: [CREATE] },
  'closed|join': { state: { ...gatheringAnswerer, sas: NO_SECRETS }, commands: [ANSWER] },
  'failed|start': { state: { ...gatheringOfferer, sas: NO_SECRETS }, commands: [CREATE] },
  'failed|join': { state: { ...gatheringAnswerer, sas: NO_SECRETS }, commands: [ANSWER] },
  // Hang up.
  'gatheringOfferer|hangup': { state: hungUp, commands: [CLOSE] },
  'gatheringAnswerer|hangup': { state: hungUp, commands: [CLOSE] },
  'offerReady|hangup': { state: hungUp, commands: [CLOSE] },
  'answerReady|hangup': { state: hungUp, commands: [CLOSE] },
  'connectingOfferer|hangup': { state: hungUp, commands: CONNECTING_TEARDOWN },
  'connectingAnswerer|hangup': { state: hungUp, commands: CONNECTING_TEARDOWN },
  'connected|hangup': { state: { ...hungUp, chat: PENDING_CHAT }, commands: BYE_TEARDOWN },
  // Reset: back to idle from anywhere, releasing what the state held.
  'gatheringOfferer|reset': { state: INITIAL_STATE, commands: [CLOSE] },
  'gatheringAnswerer|reset': { state: INITIAL_STATE, commands: [CLOSE] },
  'offerReady|reset': { state: INITIAL_STATE, commands: [CLOSE] },
  'answerReady|reset': { state: INITIAL_STATE, commands: [CLOSE] },
  'connectingOfferer|reset': { state: INITIAL_STATE, commands: CONNECTING_TEARDOWN },
  'connectingAnswerer|reset': { state: INITIAL_STATE, commands: CONNECTING_TEARDOWN },
  'connected|reset': { state: INITIAL_STATE, commands: BYE_TEARDOWN },
  'closed|reset': { state: INITIAL_STATE, commands: [] },
  'failed|reset': { state: INITIAL_STATE, commands: [] },
  // Gathering.
  'gatheringOfferer|gathered': { state: { kind: 'offer-ready', sdp: 'LOCAL', createdAt: AT }, commands: [] },
  'gatheringOfferer|gatherFailed': { state: fail('offerer', 'gather-failed', 'boom'), commands: [CLOSE] },
  'gatheringAnswerer|gathered': {
    state: { kind: 'answer-ready', sdp: 'LOCAL', createdAt: AT },
    commands: [],
  },
  'gatheringAnswerer|gatherFailed': { state: fail('answerer', 'gather-failed', 'boom'), commands: [CLOSE] },
  'gatheringAnswerer|applyOfferFailed': {
    state: fail('answerer', 'bad-offer', 'bad sdp'),
    commands: [CLOSE],
  },
  // Offerer waits for the answer code.
  'offerReady|acceptAnswer': {
    state: {
      kind: 'connecting',
      role: 'offerer',
      since: AT,
      answerLateBy: AT - (STATES.offerReady as { createdAt: number }).createdAt,
    },
    commands: [
      { type: 'apply-answer', answerSdp: 'REMOTE-ANSWER' },
      start('connect-deadline', LATE_ANSWER_DEADLINE_MS),
    ],
  },
  // Answerer waits (passive) for the offerer to apply its answer.
  'answerReady|connConnected': {
    state: { kind: 'connecting', role: 'answerer', since: AT },
    commands: [start('connect-deadline', LATE_ANSWER_DEADLINE_MS)],
  },
  'answerReady|channelOpen': { state: connectedAs('answerer'), commands: OPENED },
  // An ICE failure may still be followed by the offerer's checks; a refused handshake over a working path is final.
  'answerReady|connFailedDtls': {
    state: fail('answerer', 'dtls-failed', 'the secure handshake failed'),
    commands: [CLOSE],
  },
  // Connecting.
  'connectingOfferer|channelOpen': {
    state: connectedAs('offerer'),
    commands: [cancel('connect-deadline'), ...OPENED],
  },
  // The offerer ignores a 'failed' while connecting (Chromium reports one for a few ms before connecting to a
  // late Firefox answer); its deadline decides. A prompt answer that never connects is a network failure.
  'connectingOfferer|timerConnect': {
    state: fail('offerer', 'ice-failed', 'no network path to the other device'),
    commands: CONNECTING_TEARDOWN,
  },
  'connectingOfferer|applyAnswerFailed': {
    state: fail('offerer', 'bad-answer', 'bad sdp'),
    commands: CONNECTING_TEARDOWN,
  },
  'connectingAnswerer|channelOpen': {
    state: connectedAs('answerer'),
    commands: [cancel('connect-deadline'), ...OPENED],
  },
  'connectingAnswerer|connFailedIce': {
    state: fail('answerer', 'ice-failed', 'no network path to the other device'),
    commands: CONNECTING_TEARDOWN,
  },
  'connectingAnswerer|connFailedDtls': {
    state: fail('answerer', 'dtls-failed', 'the secure handshake failed'),
    commands: CONNECTING_TEARDOWN,
  },
  'connectingAnswerer|timerConnect': {
    state: fail('answerer', 'channel-failed', 'connected, but the data channel did not open'),
    commands: CONNECTING_TEARDOWN,
  },
  // Connected.
  'connected|sendChat': {
    state: {
      ...STATES.connected,
      chat: [...PENDING_CHAT, { from: 'me', id: 'c9', text: 'hello', ts: AT, status: 'pending' }],
    },
    commands: [{ type: 'send', message: { v: 1, t: 'chat', id: 'c9', text: 'hello', ts: AT } }],
  },
  'connected|msgHello': {
    state: { ...STATES.connected, peer: { app: '0.1.0', features: ['chat'] } },
    commands: [],
  },
  'connected|msgChat': {
    state: {
      ...STATES.connected,
      chat: [...PENDING_CHAT, { from: 'peer', id: 'r1', text: 'yo', ts: 42, receivedAt: AT }],
      // The first message from the peer takes one from its full allowance (chat-rate.ts).
      chatAllowance: { tokens: CHAT_BURST - 1, at: AT },
    },
    commands: [{ type: 'send', message: ackMessage('r1') }],
  },
  // An answer to one of ours is noted with its time: then both directions carried (app/reconnect.ts).
  'connected|msgAck': {
    state: { ...STATES.connected, chat: [{ ...PENDING_CHAT[0], status: 'delivered' }], answeredAt: AT },
    commands: [HEARD],
  },
  // Only answers to our own messages (pong, ack) keep the link alive: the peer's own may arrive one way only.
  'connected|msgPing': { state: STATES.connected, commands: [{ type: 'send', message: PONG }] },
  'connected|msgPong': { state: { ...STATES.connected, answeredAt: AT }, commands: [HEARD] },
  'connected|msgUnknown': { state: STATES.connected, commands: [] },
  'connected|messageInvalid': { state: STATES.connected, commands: [] },
  'connected|msgBye': {
    state: { kind: 'closed', reason: 'remote-hangup', chat: PENDING_CHAT },
    commands: CONNECTED_TEARDOWN,
  },
  // A session with a conversation is ended, not failed: its chat (and received files) stay on screen.
  'connected|msgByeRejected': {
    state: { kind: 'closed', reason: 'remote-rejected', chat: PENDING_CHAT },
    commands: CONNECTED_TEARDOWN,
  },
  'connected|timerKeepalive': {
    state: STATES.connected,
    commands: [{ type: 'send', message: PING }, start('keepalive', KEEPALIVE_INTERVAL_MS)],
  },
  // A silent peer: the session says so but keeps its connection, so a reconnect code can bring it back.
  'connected|timerSilence': {
    state: {
      kind: 'closed',
      reason: 'peer-gone',
      chat: PENDING_CHAT,
      resume: {
        role: 'offerer',
        since: 3_000,
        peer: null,
        live: { ...STATES.connected.live, link: 'down' },
        sas: { kind: 'unverifiable' },
        fingerprints: null,
        verified: null,
      },
    },
    commands: [],
  },
  // 'disconnected' often recovers by itself: restart ICE only if it has not after a grace period.
  'connected|connDisconnected': {
    state: {
      ...STATES.connected,
      live: { ...STATES.connected.live, link: 'unstable', conn: 'disconnected' },
    },
    commands: [start('restart', RESTART_GRACE_MS)],
  },
  // No bye came first: never a hang-up (a killed browser closes its transport as it dies).
  'connected|channelClosed': {
    state: { kind: 'closed', reason: 'peer-gone', chat: PENDING_CHAT },
    commands: CONNECTED_TEARDOWN,
  },
  // ICE failed, DTLS and SCTP still there: restart ICE in-band at once. The Starter (offerer) asks the Joiner,
  // which offers every restart.
  // The state is remembered: a restart that has not brought it back to 'connected' when it settles is redone.
  'connected|connConnecting': {
    state: { ...STATES.connected, live: { ...STATES.connected.live, conn: 'connecting' } },
    commands: [],
  },
  'connected|connFailedIce': {
    state: { ...STATES.connected, live: { ...STATES.connected.live, link: 'unstable', conn: 'failed' } },
    commands: [cancel('restart'), { type: 'send-signal', message: { v: 1, t: 'restart' } }],
  },
  'connected|connFailedDtls': {
    state: { kind: 'closed', reason: 'connection-lost', chat: PENDING_CHAT, ...PRIOR },
    commands: CONNECTED_TEARDOWN,
  },
  'connected|connClosed': {
    state: { kind: 'closed', reason: 'connection-lost', chat: PENDING_CHAT, ...PRIOR },
    commands: CONNECTED_TEARDOWN,
  },
};

const pairs = stateNames.flatMap((s) => eventNames.map((e) => [s, e] as const));

describe('reduce: every state × every event', () => {
  it('the table only names real states and events', () => {
    const known = new Set(pairs.map(([s, e]) => `${s}|${e}`));
    expect(Object.keys(TABLE).filter((key) => !known.has(key))).toEqual([]);
  });

  it.each(pairs)('%s + %s', (stateName, eventName) => {
    const state: SessionState = STATES[stateName];
    const result: Transition = reduce(state, EVENTS[eventName]);
    const expected = TABLE[`${stateName}|${eventName}`];
    if (expected === undefined) {
      // Ignored: the very same state object, and nothing for the runner to do.
      expect(result.state).toBe(state);
      expect(result.commands).toEqual([]);
    } else {
      expect(result.state).toEqual(expected.state);
      expect(result.commands).toEqual(expected.commands);
    }
  });
});

describe('reduce: details', () => {
  it('a call can be ended while the peer is silent: the camera and microphone are released at once', () => {
    const live = {
      ...STATES.connected.live,
      link: 'down' as const,
      call: {
        phase: 'active' as const,
        id: 'c1',
        video: true,
        mic: true,
        cam: true,
        peerMic: true,
        peerCam: true,
        accepting: false,
      },
    };
    const silent: SessionState = {
      kind: 'closed',
      reason: 'peer-gone',
      chat: [],
      resume: {
        role: 'offerer',
        since: 3_000,
        peer: null,
        live,
        sas: { kind: 'unverifiable' },
        fingerprints: null,
        verified: null,
      },
    };
    const ended = reduce(silent, { type: 'call-end' });
    expect(ended.commands).toContainEqual({ type: 'media-close' });
    expect(ended.state.kind === 'closed' && ended.state.resume?.live.call.phase).toBe('idle');
  });

  it('an ack for an unknown or already delivered message changes nothing but liveness and its time', () => {
    const unknown = reduce(STATES.connected, { type: 'message', message: ackMessage('nope'), at: AT });
    expect(unknown.state).toEqual({ ...STATES.connected, answeredAt: AT });
    expect(unknown.commands).toEqual([HEARD]);
    const once = reduce(STATES.connected, EVENTS.msgAck).state;
    const twice = reduce(once, EVENTS.msgAck);
    expect(twice.state).toEqual(once);
  });

  it('a repeated chat from the peer is logged once but acknowledged each time', () => {
    const first = reduce(STATES.connected, EVENTS.msgChat);
    const again = reduce(first.state, EVENTS.msgChat);
    expect(again.state.kind === 'connected' && again.state.chat.length).toBe(PENDING_CHAT.length + 1);
    expect(again.commands).toContainEqual({ type: 'send', message: ackMessage('r1') });
  });

  it('an answerer: a failure before ICE connected is ice-failed; after it, dtls-failed', () => {
    const checking = reduce(STATES.connectingAnswerer, conn('failed', 'checking'));
    expect(checking.state).toMatchObject({ reason: 'ice-failed' });
    const completed = reduce(STATES.connectingAnswerer, conn('failed', 'completed'));
    expect(completed.state).toMatchObject({ reason: 'dtls-failed' });
  });

  it('an offerer waits out a passing failure for its deadline', () => {
    const r = reduce(STATES.connectingOfferer, conn('failed', 'disconnected'));
    expect(r.state).toBe(STATES.connectingOfferer);
    expect(r.commands).toEqual([]);
  });

  it('never throws on an event of unknown shape', () => {
    const hostile = [{ type: 'nonsense' }, { type: 'timer', id: 'other' }, {}];
    for (const state of Object.values(STATES)) {
      for (const event of hostile) {
        const result = reduce(state, event as unknown as SessionEvent);
        expect(result.state).toBe(state);
        expect(result.commands).toEqual([]);
      }
    }
  });
});
