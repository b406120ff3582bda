// The perfect-negotiation machine on its own: glare on either side, rollbacks, restarts that wait for a
// pending change, stale messages from before a reconnect code.
import { describe, expect, it } from 'vitest';
import {
  type NegCommand,
  type NegEvent,
  negotiationFor,
  RESTART_SETTLE_MS,
} from '../../../src/rtc/inband/neg-model.ts';
import { candMessage, descMessage, refusedMessage } from '../../../src/rtc/inband/signal.ts';
import { run } from './neg-run.ts';

const IMPOLITE = negotiationFor('offerer');
const POLITE = negotiationFor('answerer');

const offer = (sdp: string, restart = false, gen = 0): NegEvent => ({
  type: 'signal',
  message: descMessage('offer', sdp, restart, gen),
});
const answer = (sdp: string, gen = 0): NegEvent => ({
  type: 'signal',
  message: descMessage('answer', sdp, false, gen),
});
const cand = (gen = 0): NegEvent => ({
  type: 'signal',
  message: candMessage('candidate:1 1 udp 1 192.0.2.1 9 typ host', '0', 0, gen),
});
const NEEDED: NegEvent = { type: 'negotiation-needed' };
const RESTART: NegEvent = { type: 'restart-ice' };
const SETTLED: NegEvent = { type: 'restart-settled' };
const SETTLE_TIMER: NegCommand = { type: 'start-timer', id: 'restart-settle', ms: RESTART_SETTLE_MS };

describe('negotiation: one side changes', () => {
  it('offer → answer → stable, with the offer and answer sent in-band', () => {
    const a = run(IMPOLITE, NEEDED);
    expect(a.commands).toEqual([{ type: 'make-offer', iceRestart: false }]);
    const sent = run(a.state, { type: 'local-offer', sdp: 'v=0 A' });
    expect(sent.commands).toEqual([
      { type: 'send-signal', message: descMessage('offer', 'v=0 A', false, 0) },
    ]);
    const b = run(POLITE, offer('v=0 A'));
    expect(b.commands).toEqual([{ type: 'answer-offer', sdp: 'v=0 A' }]);
    const answered = run(b.state, { type: 'local-answer', sdp: 'v=0 B' });
    expect(answered.state.phase).toBe('stable');
    expect(answered.commands).toEqual([
      { type: 'send-signal', message: descMessage('answer', 'v=0 B', false, 0) },
    ]);
    const done = run(sent.state, answer('v=0 B'), { type: 'answer-applied' });
    expect(done.commands).toEqual([{ type: 'apply-remote-answer', sdp: 'v=0 B' }]);
    expect(done.state).toEqual(IMPOLITE);
  });

  it('a change asked for while busy is offered once stable, not before', () => {
    const busy = run(IMPOLITE, NEEDED, { type: 'local-offer', sdp: 'v=0 1' }, NEEDED);
    expect(busy.commands.filter((c) => c.type === 'make-offer')).toHaveLength(1);
    const after = run(busy.state, answer('v=0 r'), { type: 'answer-applied' });
    expect(after.commands.at(-1)).toEqual({ type: 'make-offer', iceRestart: false });
  });

  it('an answer nobody asked for (stale, or to a rolled-back offer) is ignored', () => {
    expect(run(POLITE, answer('v=0 x'))).toEqual({ state: POLITE, commands: [] });
  });
});

describe('negotiation: glare', () => {
  // Both sides made an offer; each receives the other's.
  const aOffering = run(IMPOLITE, NEEDED, { type: 'local-offer', sdp: 'v=0 A' }).state;
  const bOffering = run(POLITE, NEEDED, { type: 'local-offer', sdp: 'v=0 B' }).state;

  it('the impolite side ignores the colliding offer and its candidates', () => {
    const a = run(aOffering, offer('v=0 B'), cand());
    expect(a.commands).toEqual([]);
    expect(a.state).toMatchObject({ phase: 'offer-sent', ignoring: true });
  });

  it('after ignoring a colliding offer, the candidates that follow the peer’s answer are taken', () => {
    const a = run(aOffering, offer('v=0 B'), cand(), answer('v=0 B-answer'), cand());
    expect(a.commands.map((c) => c.type)).toEqual(['apply-remote-answer', 'add-candidate']);
  });

  it('the polite side rolls back (answer-offer), answers, then offers its own change again', () => {
    const b = run(bOffering, offer('v=0 A'));
    expect(b.commands).toEqual([{ type: 'answer-offer', sdp: 'v=0 A' }]);
    expect(b.state).toMatchObject({ phase: 'answering', again: true });
    const answered = run(b.state, cand(), { type: 'local-answer', sdp: 'v=0 B2' });
    expect(answered.commands.map((c) => c.type)).toEqual(['add-candidate', 'send-signal', 'make-offer']);
  });

  it('glare while the polite offer is still being made: the late local offer is dropped, not sent', () => {
    const making = run(POLITE, NEEDED).state;
    const b = run(making, offer('v=0 A'), { type: 'local-offer', sdp: 'v=0 late' });
    expect(b.commands).toEqual([{ type: 'answer-offer', sdp: 'v=0 A' }]);
  });

  it('both restart at once: the polite restart is satisfied by the impolite one (one restart, not two)', () => {
    const bRestarting = run(POLITE, RESTART, { type: 'local-offer', sdp: 'v=0 B' }).state;
    expect(bRestarting.restart).toBe('in-offer');
    const b = run(bRestarting, offer('v=0 A', true), { type: 'local-answer', sdp: 'v=0 B2' });
    expect(b.state).toMatchObject({ phase: 'stable', restart: 'no' });
    expect(b.commands.filter((c) => c.type === 'make-offer')).toEqual([]);
  });

  it('the polite restart rolled back by a plain offer is redone after it', () => {
    const bRestarting = run(POLITE, RESTART, { type: 'local-offer', sdp: 'v=0 B' }).state;
    const b = run(bRestarting, offer('v=0 A', false), { type: 'local-answer', sdp: 'v=0 B2' });
    expect(b.commands.at(-1)).toEqual({ type: 'make-offer', iceRestart: true });
  });
});

describe('negotiation: candidates', () => {
  const local = (cand: string, ufrag: string | null = 'new1'): NegEvent => ({
    type: 'local-candidate',
    cand,
    mid: '0',
    mline: 0,
    ufrag,
  });

  it('candidates gathered while our offer is being made go out after it, never before, with their ufrag', () => {
    const making = run(POLITE, RESTART, local('c1'), local('c2'));
    expect(making.commands).toEqual([{ type: 'make-offer', iceRestart: true }]);
    const sent = run(making.state, { type: 'local-offer', sdp: 'v=0 r' }, local('c3'));
    expect(sent.commands).toEqual([
      { type: 'send-signal', message: descMessage('offer', 'v=0 r', true, 0) },
      { type: 'send-signal', message: candMessage('c1', '0', 0, 0, 'new1') },
      { type: 'send-signal', message: candMessage('c2', '0', 0, 0, 'new1') },
      { type: 'send-signal', message: candMessage('c3', '0', 0, 0, 'new1') },
    ]);
    expect(sent.state.held).toEqual([]);
  });

  it('candidates gathered while our answer is being made go out after it', () => {
    const answered = run(IMPOLITE, offer('v=0 r', true), local('c1'), { type: 'local-answer', sdp: 'v=0 a' });
    expect(answered.commands.filter((c) => c.type === 'send-signal').map((c) => c.message.t)).toEqual([
      'desc',
      'cand',
    ]);
  });

  it('the peer’s ufrag reaches the browser; a failed offer drops what it held', () => {
    const took = run(IMPOLITE, { type: 'signal', message: candMessage('c', '0', 0, 0, 'peer') });
    expect(took.commands).toEqual([{ type: 'add-candidate', cand: 'c', mid: '0', mline: 0, ufrag: 'peer' }]);
    const failed = run(POLITE, RESTART, local('c1'), {
      type: 'negotiation-failed',
      step: 'offer',
      detail: 'x',
    });
    expect(failed.state.held).toEqual([]);
    expect(failed.commands.filter((c) => c.type === 'send-signal')).toEqual([]);
  });
});

describe('negotiation: restarts', () => {
  it('the Starter (impolite) never offers a restart: it asks the Joiner, which restarts', () => {
    const asked = run(IMPOLITE, RESTART);
    expect(asked.commands).toEqual([{ type: 'send-signal', message: { v: 1, t: 'restart' } }]);
    expect(asked.state).toEqual(IMPOLITE);
    const joiner = run(POLITE, { type: 'signal', message: { v: 1, t: 'restart' } });
    expect(joiner.commands).toEqual([{ type: 'make-offer', iceRestart: true }]);
    // The Starter ignores such a request (it is never the one to restart).
    expect(run(IMPOLITE, { type: 'signal', message: { v: 1, t: 'restart' } }).commands).toEqual([]);
  });

  it('a restart while a change is pending waits for it, then offers with iceRestart', () => {
    const busy = run(POLITE, NEEDED, { type: 'local-offer', sdp: 'v=0 1' }, RESTART);
    expect(busy.commands.filter((c) => c.type === 'make-offer')).toHaveLength(1);
    expect(busy.state.restart).toBe('wanted');
    const after = run(busy.state, answer('v=0 r'), { type: 'answer-applied' });
    expect(after.commands.at(-1)).toEqual({ type: 'make-offer', iceRestart: true });
    const sent = run(after.state, { type: 'local-offer', sdp: 'v=0 2' });
    expect(sent.commands).toEqual([{ type: 'send-signal', message: descMessage('offer', 'v=0 2', true, 0) }]);
  });

  it('asking twice restarts once', () => {
    const twice = run(POLITE, RESTART, RESTART);
    expect(twice.commands).toEqual([{ type: 'make-offer', iceRestart: true }]);
  });

  it('a restart asked for while the last one settles is folded into it (Firefox fails on back-to-back ones)', () => {
    const restarted = run(POLITE, RESTART, { type: 'local-offer', sdp: 'v=0 r' }, answer('v=0 a'), {
      type: 'answer-applied',
    });
    expect(restarted.commands.at(-1)).toEqual(SETTLE_TIMER);
    expect(restarted.state).toMatchObject({ phase: 'stable', restart: 'no', settling: true });
    const again = run(restarted.state, RESTART, { type: 'signal', message: { v: 1, t: 'restart' } });
    expect(again.commands).toEqual([]);
    expect(run(again.state, SETTLED)).toEqual({ state: POLITE, commands: [] });
  });

  it('a change asked for while a restart settles is offered once it has settled', () => {
    const restarted = run(POLITE, RESTART, { type: 'local-offer', sdp: 'v=0 r' }, answer('v=0 a'), {
      type: 'answer-applied',
    }).state;
    const waiting = run(restarted, NEEDED);
    expect(waiting.commands).toEqual([]);
    expect(run(waiting.state, SETTLED).commands).toEqual([{ type: 'make-offer', iceRestart: false }]);
  });

  it('the answerer of a restart holds its own offers too, and answers the peer meanwhile', () => {
    const answering = run(IMPOLITE, offer('v=0 r', true));
    expect(answering.commands).toEqual([{ type: 'answer-offer', sdp: 'v=0 r' }, SETTLE_TIMER]);
    const answered = run(answering.state, { type: 'local-answer', sdp: 'v=0 a' }, NEEDED);
    expect(answered.commands.map((c) => c.type)).toEqual(['send-signal']);
    expect(run(answered.state, offer('v=0 x')).commands).toEqual([{ type: 'answer-offer', sdp: 'v=0 x' }]);
    expect(run(answered.state, SETTLED).commands).toEqual([{ type: 'make-offer', iceRestart: false }]);
  });

  it('settling ends mid-exchange: the exchange finishes first, then what waited goes', () => {
    const answering = run(IMPOLITE, offer('v=0 r', true), NEEDED, SETTLED);
    expect(answering.state).toMatchObject({ phase: 'answering', settling: false, again: true });
    const done = run(answering.state, { type: 'local-answer', sdp: 'v=0 a' });
    expect(done.commands.at(-1)).toEqual({ type: 'make-offer', iceRestart: false });
  });

  it('a failed offer gives up (no retry loop) and leaves the machine stable', () => {
    const failed = run(POLITE, RESTART, { type: 'negotiation-failed', step: 'offer', detail: 'x' });
    expect(failed.state).toEqual(POLITE);
  });
});

describe('negotiation: reconnect codes', () => {
  it('maker (the Joiner): code offer, then the answer carried back; a new generation begins', () => {
    expect(run(IMPOLITE, { type: 'make-reconnect-code' }).commands).toEqual([]); // the Starter reads codes
    const made = run(POLITE, { type: 'make-reconnect-code' }, { type: 'reconnect-offer', sdp: 'v=0 code' });
    expect(made.commands).toEqual([{ type: 'make-reconnect-offer' }]);
    expect(made.state.code).toEqual({ kind: 'offer', sdp: 'v=0 code' });
    const done = run(
      made.state,
      { type: 'accept-reconnect-answer', sdp: 'v=0 ans' },
      { type: 'answer-applied' },
    );
    expect(done.commands).toEqual([{ type: 'apply-remote-answer', sdp: 'v=0 ans' }, SETTLE_TIMER]);
    expect(done.state).toMatchObject({ phase: 'stable', gen: 1, code: null, settling: true });
  });

  it('taker (the Starter): answers the code even while its own in-band offer was out, then drops stale ones', () => {
    const pending = run(IMPOLITE, NEEDED, { type: 'local-offer', sdp: 'v=0 old' }).state;
    const took = run(
      pending,
      { type: 'accept-reconnect-offer', sdp: 'v=0 code' },
      { type: 'reconnect-answer', sdp: 'v=0 ans' },
    );
    expect(took.commands).toEqual([{ type: 'answer-reconnect-offer', sdp: 'v=0 code' }, SETTLE_TIMER]);
    expect(took.state).toMatchObject({ phase: 'stable', gen: 1, restart: 'no', code: { kind: 'answer' } });
    // An offer queued before the outage and delivered after the reconnect must not undo it.
    expect(run(took.state, offer('v=0 stale', true, 0), cand(0)).commands).toEqual([]);
    // The peer's messages of the new generation are taken.
    expect(run(took.state, offer('v=0 new', false, 1)).commands).toEqual([
      { type: 'answer-offer', sdp: 'v=0 new' },
    ]);
  });

  it('in-band messages and restarts wait while a code is being made', () => {
    const making = run(POLITE, { type: 'make-reconnect-code' }).state;
    expect(
      run(making, offer('v=0 x'), RESTART, {
        type: 'local-candidate',
        cand: 'c',
        mid: '0',
        mline: 0,
        ufrag: 'u',
      }).commands,
    ).toEqual([]);
  });
});

describe('negotiation: an offer the peer cannot answer', () => {
  const refused = (gen = 0): NegEvent => ({ type: 'signal', message: refusedMessage(gen) });

  it('a failed answer step refuses the offer, in the current generation', () => {
    const r = run({ ...IMPOLITE, gen: 4 }, offer('v=0 o', false, 4), {
      type: 'negotiation-failed',
      step: 'answer',
      detail: 'x',
    });
    expect(r.commands).toContainEqual({ type: 'send-signal', message: refusedMessage(4) });
    expect(r.state.phase).toBe('stable');
    // Other failed steps had nothing of the peer's to refuse.
    const own = run(POLITE, NEEDED, { type: 'negotiation-failed', step: 'offer', detail: 'x' });
    expect(own.commands.filter((c) => c.type === 'send-signal')).toEqual([]);
  });

  it('the offerer takes its offer back and gives up that round (a restart it carried included)', () => {
    const sent = run(POLITE, RESTART, { type: 'local-offer', sdp: 'v=0 r' }).state;
    expect(sent).toMatchObject({ phase: 'offer-sent', restart: 'in-offer' });
    const r = run(sent, refused());
    expect(r.commands).toEqual([{ type: 'abandon-offer' }]);
    expect(r.state).toMatchObject({ phase: 'stable', restart: 'no' });
  });

  it('a refusal that is stale, or arrives with no offer of ours on the wire, changes nothing', () => {
    const sent = run({ ...POLITE, gen: 2 }, NEEDED, { type: 'local-offer', sdp: 'v=0 o' }).state;
    expect(run(sent, refused(1)).state).toBe(sent);
    expect(run(POLITE, refused()).commands).toEqual([]);
    const answering = run(POLITE, offer('v=0 o')).state;
    expect(run(answering, refused()).commands).toEqual([]);
  });
});
