// A peer that chats faster than a person can (chat-rate.ts): past its burst, messages are dropped unacknowledged
// and the session says so until CHAT_LIMITED_NOTICE_MS after the last drop; the allowance refills with time.
import { describe, expect, it } from 'vitest';
import { type ControlMessage, chatMessage } from '../../../src/rtc/inband/control.ts';
import {
  CHAT_BURST,
  CHAT_LIMITED_NOTICE_MS,
  CHAT_REFILL_MS,
  takeChat,
} from '../../../src/rtc/model/chat-rate.ts';
import type { Command, SessionState } from '../../../src/rtc/model/types.ts';
import { reduce } from '../../../src/rtc/session/session.ts';
import { AT, STATES } from './session-samples.ts';

function chat(n: number): ControlMessage {
  const m = chatMessage(`p${n}`, `flood ${n}`, AT);
  if (!m.ok) throw new Error('sample chat refused');
  return m.value;
}

/** The peer's messages n..n+count-1, all arriving at `at`: the state after, and every command. */
function flood(from: SessionState, n: number, count: number, at: number) {
  let state = from;
  const commands: Command[] = [];
  for (let i = n; i < n + count; i++) {
    const r = reduce(state, { type: 'message', message: chat(i), at });
    state = r.state;
    commands.push(...r.commands);
  }
  return { state, commands };
}

const peerEntries = (s: SessionState) =>
  s.kind === 'connected' ? s.chat.filter((e) => e.from === 'peer') : [];
const acks = (commands: readonly Command[]) =>
  commands.filter((c) => c.type === 'send' && c.message.t === 'ack').length;

describe('the peer’s chat allowance', () => {
  it('a burst of 100 at once: the first CHAT_BURST are shown and acknowledged, the rest dropped, and it says so', () => {
    const { state, commands } = flood(STATES.connected, 0, 100, AT);
    expect(peerEntries(state)).toHaveLength(CHAT_BURST);
    expect(acks(commands)).toBe(CHAT_BURST);
    expect(state).toMatchObject({ kind: 'connected', chatLimited: true });
    // Each drop restarts the notice's time.
    const timers = commands.filter((c) => c.type === 'start-timer' && c.id === 'chat-limited');
    expect(timers).toHaveLength(100 - CHAT_BURST);
    expect(timers[0]).toEqual({ type: 'start-timer', id: 'chat-limited', ms: CHAT_LIMITED_NOTICE_MS });

    // The notice goes when its timer fires; the chat shown stays.
    const quiet = reduce(state, { type: 'timer', id: 'chat-limited' }).state;
    expect(quiet.kind === 'connected' && quiet.chatLimited).toBeUndefined();
    expect(peerEntries(quiet)).toHaveLength(CHAT_BURST);

    // A second later the allowance has refilled by 1000 / CHAT_REFILL_MS messages, no more.
    const later = flood(quiet, 100, 10, AT + 1_000);
    expect(peerEntries(later.state)).toHaveLength(CHAT_BURST + 1_000 / CHAT_REFILL_MS);
  });

  it('a person’s pace is never limited', () => {
    let state: SessionState = STATES.connected;
    for (let i = 0; i < 500; i++) state = flood(state, i, 1, AT + i * CHAT_REFILL_MS).state;
    expect(peerEntries(state)).toHaveLength(500);
    expect(state.kind === 'connected' && state.chatLimited).toBeUndefined();
  });

  it('the bucket: full at first, never above CHAT_BURST, one message per CHAT_REFILL_MS', () => {
    expect(takeChat(undefined, 5)).toEqual({ tokens: CHAT_BURST - 1, at: 5 });
    expect(takeChat({ tokens: 0, at: 0 }, CHAT_REFILL_MS - 1)).toBeNull();
    expect(takeChat({ tokens: 0, at: 0 }, CHAT_REFILL_MS)).toEqual({ tokens: 0, at: CHAT_REFILL_MS });
    expect(takeChat({ tokens: 3, at: 0 }, 10 ** 9)).toEqual({ tokens: CHAT_BURST - 1, at: 10 ** 9 });
    // An event time before the last (a clock step back) refills nothing.
    expect(takeChat({ tokens: 0.5, at: 100 }, 50)).toBeNull();
  });
});
