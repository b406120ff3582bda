// Shared samples for the reducer tests: one of each state, one of each event (with the variants that matter).

import { ackMessage, byeMessage, MAX_CHAT_CHARS, PING, PONG } from '../../../src/rtc/inband/control.ts';
import { liveFor } from '../../../src/rtc/link/live.ts';
import type { ChatLog } from '../../../src/rtc/model/chat.ts';
import type { SessionEvent, SessionState } from '../../../src/rtc/model/types.ts';
import { INITIAL_STATE } from '../../../src/rtc/session/session.ts';

export const PENDING_CHAT: ChatLog = [{ from: 'me', id: 'm1', text: 'hi', ts: 1, status: 'pending' }];

export const STATES = {
  idle: INITIAL_STATE,
  gatheringOfferer: { kind: 'gathering', role: 'offerer' },
  gatheringAnswerer: { kind: 'gathering', role: 'answerer' },
  offerReady: { kind: 'offer-ready', sdp: 'OFFER', createdAt: 1_000 },
  answerReady: { kind: 'answer-ready', sdp: 'ANSWER', createdAt: 1_000 },
  connectingOfferer: { kind: 'connecting', role: 'offerer', since: 2_000 },
  connectingAnswerer: { kind: 'connecting', role: 'answerer', since: 2_000 },
  connected: {
    kind: 'connected',
    role: 'offerer',
    since: 3_000,
    peer: null,
    chat: PENDING_CHAT,
    live: liveFor('offerer'),
    sas: { kind: 'unverifiable' as const },
    fingerprints: null,
    verified: null,
  },
  closed: { kind: 'closed', reason: 'local-hangup', chat: [] },
  failed: { kind: 'failed', role: 'offerer', reason: 'ice-failed', detail: 'x' },
} as const satisfies Record<string, SessionState>;
export type StateName = keyof typeof STATES;

export const AT = 9_000;
export const conn = (state: RTCPeerConnectionState, ice: RTCIceConnectionState): SessionEvent => ({
  type: 'connection-state',
  state,
  ice,
  at: AT,
});

export const EVENTS = {
  start: { type: 'start' },
  join: { type: 'join', offerSdp: 'REMOTE-OFFER' },
  acceptAnswer: { type: 'accept-answer', answerSdp: 'REMOTE-ANSWER', at: AT },
  sendChat: { type: 'send-chat', id: 'c9', text: 'hello', at: AT },
  sendChatEmpty: { type: 'send-chat', id: 'c8', text: '  \n', at: AT },
  sendChatTooLong: { type: 'send-chat', id: 'c7', text: 'x'.repeat(MAX_CHAT_CHARS + 1), at: AT },
  hangup: { type: 'hangup' },
  reset: { type: 'reset' },
  gathered: { type: 'gathered', sdp: 'LOCAL', at: AT },
  gatherFailed: { type: 'effect-failed', op: 'gather', detail: 'boom' },
  applyOfferFailed: { type: 'effect-failed', op: 'apply-offer', detail: 'bad sdp' },
  applyAnswerFailed: { type: 'effect-failed', op: 'apply-answer', detail: 'bad sdp' },
  connConnecting: conn('connecting', 'checking'),
  connConnected: conn('connected', 'connected'),
  connDisconnected: conn('disconnected', 'disconnected'),
  connFailedIce: conn('failed', 'failed'),
  connFailedDtls: conn('failed', 'connected'),
  connClosed: conn('closed', 'closed'),
  channelOpen: { type: 'channel-open', at: AT },
  channelClosed: { type: 'channel-closed' },
  msgHello: { type: 'message', message: { v: 1, t: 'hello', app: '0.1.0', features: ['chat'] }, at: AT },
  msgChat: { type: 'message', message: { v: 1, t: 'chat', id: 'r1', text: 'yo', ts: 42 }, at: AT },
  msgAck: { type: 'message', message: ackMessage('m1'), at: AT },
  msgPing: { type: 'message', message: PING, at: AT },
  msgPong: { type: 'message', message: PONG, at: AT },
  msgBye: { type: 'message', message: byeMessage('hangup'), at: AT },
  msgByeRejected: { type: 'message', message: byeMessage('rejected'), at: AT },
  msgUnknown: { type: 'message', message: { v: 2, t: 'unknown', type: 'file-offer' }, at: AT },
  messageInvalid: { type: 'message-invalid', error: { kind: 'not-json' } },
  timerConnect: { type: 'timer', id: 'connect-deadline' },
  timerKeepalive: { type: 'timer', id: 'keepalive' },
  timerSilence: { type: 'timer', id: 'silence' },
} as const satisfies Record<string, SessionEvent>;
export type EventName = keyof typeof EVENTS;

export const stateNames = Object.keys(STATES) as StateName[];
export const eventNames = Object.keys(EVENTS) as EventName[];
