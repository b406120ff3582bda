// What a hostile peer can make this device do over in-band negotiation is bounded: candidates must name an
// address a peer could have, at most MAX_REMOTE_CANDIDATES reach the browser per ICE generation, and a peer's
// offers do not pile up in the runner's queue.
import { describe, expect, it } from 'vitest';
import { MAX_REMOTE_CANDIDATES } from '../../../src/rtc/inband/candidate.ts';
import { parseControl } from '../../../src/rtc/inband/control.ts';
import { type NegCommand, type NegEvent, negotiationFor } from '../../../src/rtc/inband/neg-model.ts';
import { candMessage, descMessage } from '../../../src/rtc/inband/signal.ts';
import { run } from './neg-run.ts';

const wire = (cand: string) => parseControl(JSON.stringify(candMessage(cand, '0', 0, 0, 'abcd')));

const cand = (i: number, gen = 0): NegEvent => ({
  type: 'signal',
  message: candMessage(
    `candidate:${i} 1 udp 2122260223 192.0.2.${i % 250} 5${i % 1000} typ host`,
    '0',
    0,
    gen,
  ),
});
const offer = (sdp: string, restart = false): NegEvent => ({
  type: 'signal',
  message: descMessage('offer', sdp, restart, 0),
});
const adds = (commands: readonly NegCommand[]) => commands.filter((c) => c.type === 'add-candidate').length;
const answers = (commands: readonly NegCommand[]) => commands.filter((c) => c.type === 'answer-offer').length;

describe('remote candidates', () => {
  it('real browser lines are taken (IPv4, IPv6, mDNS, TCP, relay, end of candidates)', () => {
    for (const line of [
      'candidate:842163049 1 udp 1677729535 203.0.113.7 61665 typ srflx raddr 0.0.0.0 rport 0 generation 0',
      'candidate:2 1 UDP 2122252543 fd99::2 40000 typ host',
      'candidate:1 1 udp 2122260223 3c5f6a1e-0b7d-4c2a-9a51-9d1e2f3a4b5c.local 53421 typ host generation 0',
      'candidate:3 1 tcp 1518280447 10.99.0.2 9 typ host tcptype active',
      'candidate:4 1 udp 41885439 10.99.0.2 3478 typ relay raddr 10.99.0.1 rport 50000',
      'candidate:5 1 UDP 8331263 2001:db8::1:2 3478 typ relay raddr 2001:db8::9 rport 4',
      '',
    ])
      expect(wire(line).ok, line).toBe(true);
  });

  it('nonsense is refused: DNS names, unspecified, loopback, multicast, broadcast, bad type or shape', () => {
    for (const line of [
      'c',
      'candidate:1 1 udp 2122260223 attacker.example 443 typ host',
      'candidate:1 1 udp 2122260223 0.0.0.0 443 typ host',
      'candidate:1 1 udp 2122260223 127.0.0.1 8080 typ host',
      'candidate:1 1 udp 2122260223 ::1 8080 typ host',
      'candidate:1 1 udp 2122260223 :: 8080 typ host',
      'candidate:1 1 udp 2122260223 239.255.255.250 1900 typ host',
      'candidate:1 1 udp 2122260223 ff02::1 1900 typ host',
      'candidate:1 1 udp 2122260223 255.255.255.255 9 typ host',
      'candidate:1 1 udp 2122260223 10.0.0.256 9 typ host',
      'candidate:1 1 udp 2122260223 10.0.0.1 70000 typ host',
      'candidate:1 1 sctp 2122260223 10.0.0.1 9 typ host',
      'candidate:1 1 udp 2122260223 10.0.0.1 9 typ bogus',
      'candidate:1 0 udp 2122260223 10.0.0.1 9 typ host',
      'candidate:1 1 udp 2122260223 10.0.0.1 9',
    ])
      expect(wire(line).ok, line).toBe(false);
  });

  it(`at most ${MAX_REMOTE_CANDIDATES} per ICE generation reach the browser; a restart starts a new count`, () => {
    const flood = Array.from({ length: MAX_REMOTE_CANDIDATES + 50 }, (_, i) => cand(i));
    const first = run(negotiationFor('offerer'), ...flood);
    expect(adds(first.commands)).toBe(MAX_REMOTE_CANDIDATES);
    // The peer's restart offer begins a new generation: its candidates are taken again, as many.
    const restarted = run(
      first.state,
      offer('v=0 R', true),
      { type: 'local-answer', sdp: 'v=0 A' },
      ...flood,
    );
    expect(adds(restarted.commands)).toBe(MAX_REMOTE_CANDIDATES);
    // An ordinary renegotiation (a call's tracks) is the same ICE generation: still bounded.
    const renegotiated = run(first.state, offer('v=0 M'), { type: 'local-answer', sdp: 'v=0 A' }, cand(1));
    expect(adds(renegotiated.commands)).toBe(0);
  });
});

describe("the peer's offers", () => {
  it('one is answered at a time: offers sent while we still answer the last are not queued', () => {
    const flood = Array.from({ length: 1_000 }, (_, i) => offer(`v=0 ${i}`));
    const r = run(negotiationFor('answerer'), ...flood);
    expect(answers(r.commands)).toBe(1);
    // Once answered, the next offer is taken as usual.
    const next = run(r.state, { type: 'local-answer', sdp: 'v=0 A' }, offer('v=0 next'));
    expect(answers(next.commands)).toBe(1);
  });
});
