// A peer's bye{reason:'rejected'}: refusing a connection as it opens is a failed exchange; refusing a session
// that already had a conversation ends it, with its chat (and the files received, which the UI shows under a
// closed session only) still on screen.
import { describe, expect, it } from 'vitest';
import { byeMessage } from '../../../src/rtc/inband/control.ts';
import { liveFor } from '../../../src/rtc/link/live.ts';
import type { SessionEvent, SessionState } from '../../../src/rtc/model/types.ts';
import { reduce } from '../../../src/rtc/session/session.ts';
import { AT, PENDING_CHAT, STATES } from './session-samples.ts';

const REJECTED: SessionEvent = { type: 'message', message: byeMessage('rejected'), at: AT };
const HELLO = { app: 'Pigeon', features: [] };
const fresh: SessionState = { ...STATES.connected, chat: [] };

describe("the peer's rejection", () => {
  it('as the connection opens (no hello, nothing said yet): the exchange failed', () => {
    expect(reduce(fresh, REJECTED).state).toEqual({
      kind: 'failed',
      role: 'offerer',
      reason: 'remote-rejected',
      detail: 'the other device refused the connection',
    });
  });

  it('after its hello: the session is ended as closed, with a reason of its own', () => {
    const r = reduce({ ...fresh, peer: HELLO }, REJECTED);
    expect(r.state).toEqual({ kind: 'closed', reason: 'remote-rejected', chat: [] });
    expect(r.commands).toContainEqual({ type: 'close' });
  });

  it('mid-session, with a call ringing: ended as closed, the chat kept', () => {
    const call = { phase: 'incoming' as const, id: 'c1', video: false };
    const talking: SessionState = {
      ...STATES.connected,
      peer: HELLO,
      live: { ...liveFor('offerer'), call },
    };
    const r = reduce(talking, REJECTED);
    expect(r.state).toEqual({ kind: 'closed', reason: 'remote-rejected', chat: PENDING_CHAT });
  });

  it('a silent session held for resuming is ended the same way, not failed', () => {
    const held: SessionState = {
      kind: 'closed',
      reason: 'peer-gone',
      chat: PENDING_CHAT,
      resume: {
        role: 'answerer',
        since: 1,
        peer: HELLO,
        live: { ...liveFor('answerer'), link: 'down' },
        sas: { kind: 'unverifiable' },
        fingerprints: null,
        verified: null,
      },
    };
    expect(reduce(held, REJECTED).state).toEqual({
      kind: 'closed',
      reason: 'remote-rejected',
      chat: PENDING_CHAT,
    });
  });
});
