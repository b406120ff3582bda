// The call machine, the new in-band messages, and the details panel's reading of getStats().
import { describe, expect, it } from 'vitest';
import { type CallEvent, type CallState, callStep, NO_CALL } from '../../../src/rtc/call/call.ts';
import { parseControl } from '../../../src/rtc/inband/control.ts';
import { callMessage, candMessage, descMessage, mediaMessage } from '../../../src/rtc/inband/signal.ts';
import { summarizeStats } from '../../../src/rtc/link/stats.ts';

function run(state: CallState, ...events: CallEvent[]) {
  const commands: unknown[] = [];
  let current = state;
  for (const event of events) {
    const r = callStep(current, event);
    current = r.state;
    commands.push(...r.commands);
  }
  return { state: current, commands };
}
const msg = (m: Parameters<typeof callStep>[1] extends infer E ? E : never) => m;
const incoming = (
  op: 'invite' | 'accept' | 'decline' | 'end',
  id: string,
  video = true,
  polite = false,
): CallEvent => msg({ type: 'call-message', message: callMessage(op, id, video), polite });

describe('calls', () => {
  it('caller: captures at once, attaches tracks only when the callee accepts', () => {
    const out = run(NO_CALL, { type: 'call-start', id: 'c1', video: true });
    expect(out.commands).toEqual([
      { type: 'media-open', video: true },
      { type: 'send-call', message: callMessage('invite', 'c1', true) },
    ]);
    const accepted = run(out.state, incoming('accept', 'c1'));
    expect(accepted.state).toMatchObject({ phase: 'active', mic: true, cam: true });
    expect(accepted.commands).toEqual([{ type: 'media-attach' }]);
  });

  it('callee: sees the invite, accepts (capture, then the accept; tracks wait for the caller’s offer) or declines', () => {
    const ringing = run(NO_CALL, incoming('invite', 'c1', false));
    expect(ringing.state).toEqual({ phase: 'incoming', id: 'c1', video: false });
    expect(ringing.commands).toEqual([]);
    const accepting = run(ringing.state, { type: 'call-accept' });
    // No offer of the callee's own (no media-attach): only the caller offers, so offers never cross.
    expect(accepting.commands).toEqual([
      { type: 'media-open', video: false },
      { type: 'media-attach-on-offer' },
    ]);
    expect(accepting.state).toMatchObject({ phase: 'active', accepting: true });
    const ready = run(accepting.state, { type: 'media-opened' });
    expect(ready.commands).toEqual([{ type: 'send-call', message: callMessage('accept', 'c1', false) }]);
    expect(ready.state).toMatchObject({ phase: 'active', accepting: false });
    // Said once: a later media-opened (camera switched back on) sends nothing.
    expect(run(ready.state, { type: 'media-opened' }).commands).toEqual([]);
    // The caller's own capture being ready is not an accept.
    expect(
      run(NO_CALL, { type: 'call-start', id: 'c2', video: true }, { type: 'media-opened' }).commands,
    ).not.toContainEqual(expect.objectContaining({ message: expect.objectContaining({ op: 'accept' }) }));
    // Capture refused while accepting: the call ends and the caller is told.
    const refused = run(accepting.state, { type: 'media-failed', detail: 'NotAllowedError' });
    expect(refused.state).toEqual({ phase: 'idle', ended: 'media-failed' });
    expect(refused.commands[0]).toEqual({ type: 'send-call', message: callMessage('end', 'c1', false) });
    const declined = run(ringing.state, { type: 'call-decline' });
    expect(declined.state).toEqual({ phase: 'idle', ended: null });
    expect(declined.commands).toEqual([{ type: 'send-call', message: callMessage('decline', 'c1', false) }]);
  });

  it('muted while accepting: the accept is followed by the mute, which the caller can show once active', () => {
    const accepting = run(NO_CALL, incoming('invite', 'c1'), { type: 'call-accept' });
    const muted = run(accepting.state, { type: 'call-mic', on: false }, { type: 'media-opened' });
    expect(muted.commands).toContainEqual({ type: 'media-enable', mic: false, cam: true });
    expect(muted.commands.slice(-2)).toEqual([
      { type: 'send-call', message: callMessage('accept', 'c1', true) },
      { type: 'send-call', message: mediaMessage(false, true) },
    ]);
  });

  it('a declined call releases the caller’s camera and microphone', () => {
    const out = run(NO_CALL, { type: 'call-start', id: 'c1', video: true }, incoming('decline', 'c1'));
    expect(out.state).toEqual({ phase: 'idle', ended: 'declined' });
    expect(out.commands.at(-1)).toEqual({ type: 'media-close' });
  });

  it('mute and camera off are told to the peer, who shows them', () => {
    const active = run(
      NO_CALL,
      { type: 'call-start', id: 'c1', video: true },
      incoming('accept', 'c1'),
    ).state;
    const muted = run(active, { type: 'call-mic', on: false });
    expect(muted.commands).toEqual([
      { type: 'media-enable', mic: false, cam: true },
      { type: 'send-call', message: mediaMessage(false, true) },
    ]);
    const seen = run(
      active,
      msg({ type: 'call-message', message: mediaMessage(false, true), polite: false }),
    );
    expect(seen.state).toMatchObject({ peerMic: false, peerCam: true });
  });

  it('ending: either side; the other releases its media too', () => {
    const active = run(
      NO_CALL,
      { type: 'call-start', id: 'c1', video: true },
      incoming('accept', 'c1'),
    ).state;
    expect(run(active, { type: 'call-end' }).commands).toEqual([
      { type: 'send-call', message: callMessage('end', 'c1', true) },
      { type: 'media-close' },
    ]);
    const ended = run(active, incoming('end', 'c1'));
    expect(ended.state).toEqual({ phase: 'idle', ended: 'remote-ended' });
    expect(ended.commands).toEqual([{ type: 'media-close' }]);
    // An end for another call id changes nothing.
    expect(run(active, incoming('end', 'other')).state).toBe(active);
  });

  it('both call at once: the lower id wins on both sides, exactly one call goes ahead', () => {
    const a = run(NO_CALL, { type: 'call-start', id: 'a', video: true }, incoming('invite', 'b'));
    const b = run(NO_CALL, { type: 'call-start', id: 'b', video: false }, incoming('invite', 'a'));
    expect(a.state).toMatchObject({ phase: 'outgoing', id: 'a' });
    expect(b.state).toMatchObject({ phase: 'active', id: 'a', video: true, accepting: true });
    expect(run(b.state, { type: 'media-opened' }).commands).toEqual([
      { type: 'send-call', message: callMessage('accept', 'a', true) },
    ]);
    expect(run(a.state, incoming('accept', 'a')).state).toMatchObject({ phase: 'active', id: 'a' });
  });

  it('both call at once with one id (a group call): the polite side takes the other’s, one offer follows', () => {
    // The polite side in both roles of the invite: it gives way however the two invites' order falls.
    const start = { type: 'call-start', id: 'g', video: false } as const;
    const impolite = run(NO_CALL, start, incoming('invite', 'g', false, false));
    const polite = run(NO_CALL, start, incoming('invite', 'g', false, true));
    expect(impolite.state).toEqual({ phase: 'outgoing', id: 'g', video: false });
    expect(polite.state).toMatchObject({ phase: 'active', id: 'g', accepting: true });
    expect(polite.commands).toContainEqual({ type: 'media-attach-on-offer' });
    const accept = run(polite.state, { type: 'media-opened' }).commands;
    expect(accept).toEqual([{ type: 'send-call', message: callMessage('accept', 'g', false) }]);
    // The impolite side offers (media-attach); the polite one answers on the offer's transceivers.
    const offers = run(impolite.state, incoming('accept', 'g', false, false));
    expect(offers.state).toMatchObject({ phase: 'active', id: 'g', accepting: false });
    expect(offers.commands).toEqual([{ type: 'media-attach' }]);
  });

  it('a capture failure ends the call and tells the peer', () => {
    const out = run(
      NO_CALL,
      { type: 'call-start', id: 'c1', video: true },
      { type: 'media-failed', detail: 'NotAllowedError' },
    );
    expect(out.state).toEqual({ phase: 'idle', ended: 'media-failed' });
    expect(out.commands.slice(-2)).toEqual([
      { type: 'send-call', message: callMessage('end', 'c1', true) },
      { type: 'media-close' },
    ]);
  });
});

describe('in-band messages (protocol v1, tolerant)', () => {
  it('round-trip and bounds', () => {
    for (const m of [
      descMessage('offer', 'v=0\r\n', true, 2),
      candMessage('candidate:1 1 udp 1 192.0.2.1 9 typ host', '0', 0, 1, 'abcd'),
      callMessage('invite', 'x', true),
      mediaMessage(true, false),
    ]) {
      expect(parseControl(JSON.stringify(m))).toEqual({ ok: true, value: m });
    }
    expect(parseControl(JSON.stringify({ ...descMessage('offer', 'v=0', false, 0), sdp: 'x' })).ok).toBe(
      false,
    );
    expect(parseControl(JSON.stringify({ v: 1, t: 'cand', cand: 'c', mid: 5, mline: 0, gen: 0 })).ok).toBe(
      false,
    );
    // An older build sends no ufrag: taken as null. A bad one is refused.
    const c = 'candidate:1 1 udp 1 192.0.2.1 9 typ host';
    expect(parseControl(JSON.stringify({ v: 1, t: 'cand', cand: c, mid: '0', mline: 0, gen: 0 }))).toEqual({
      ok: true,
      value: candMessage(c, '0', 0, 0, null),
    });
    expect(
      parseControl(JSON.stringify({ v: 1, t: 'cand', cand: c, mid: '0', mline: 0, gen: 0, ufrag: 7 })).ok,
    ).toBe(false);
    // A newer peer's variant of a known type is tolerated, not fatal.
    expect(
      parseControl(JSON.stringify({ v: 2, t: 'call', op: 'transfer', id: 'x', video: true })),
    ).toMatchObject({
      ok: true,
      value: { t: 'unknown', type: 'call' },
    });
  });
});

describe('connection details from getStats()', () => {
  const states = { ice: 'connected', dtls: 'connected', sctp: 'connected' };
  it('Chromium: the transport names the selected pair', () => {
    const report = [
      { id: 'T', type: 'transport', selectedCandidatePairId: 'P2', dtlsState: 'connected' },
      {
        id: 'P1',
        type: 'candidate-pair',
        localCandidateId: 'L1',
        remoteCandidateId: 'R1',
        currentRoundTripTime: 9,
      },
      {
        id: 'P2',
        type: 'candidate-pair',
        localCandidateId: 'L2',
        remoteCandidateId: 'R2',
        currentRoundTripTime: 0.012,
        bytesSent: 500,
        bytesReceived: 700,
      },
      {
        id: 'L2',
        type: 'local-candidate',
        candidateType: 'relay',
        protocol: 'udp',
        address: '10.99.0.2',
        port: 49160,
        relayProtocol: 'udp',
      },
      {
        id: 'R2',
        type: 'remote-candidate',
        candidateType: 'srflx',
        protocol: 'udp',
        address: '10.99.0.1',
        port: 5000,
      },
    ];
    const d = summarizeStats(new Map(report.map((r) => [r.id, r])).entries(), states);
    expect(d).toMatchObject({
      local: { type: 'relay', protocol: 'udp', relayProtocol: 'udp' },
      remote: { type: 'srflx' },
      rtt: 0.012,
      bytesSent: 500,
      bytesReceived: 700,
    });
  });

  it('Firefox: the pair flagged selected; nothing selected yet gives nulls, not a guess', () => {
    const report = [
      {
        id: 'P',
        type: 'candidate-pair',
        selected: true,
        localCandidateId: 'L',
        remoteCandidateId: 'R',
        bytesSent: 1,
      },
      {
        id: 'L',
        type: 'local-candidate',
        candidateType: 'host',
        protocol: 'tcp',
        address: 'x.local',
        port: 9,
      },
    ];
    expect(summarizeStats(report, states)).toMatchObject({
      local: { type: 'host', protocol: 'tcp' },
      remote: null,
      rtt: null,
    });
    expect(summarizeStats([], states)).toMatchObject({ local: null, remote: null, bytesSent: 0 });
  });
});
