import { describe, expect, it } from 'vitest';
import {
  canAdd,
  encodeGroup,
  initialGroup,
  MAX_MEMBERS,
  MAX_RELAYED_PER_PAIR,
  parseGroup,
  reduceGroup,
  relayedLink,
} from '../../../src/group/index.ts';
import { id, Net } from './sim.ts';

const A = id('a');
const B = id('b');
const C = id('c');
const D = id('d');
const E = id('e');

/** Every pair of the devices linked exactly once: each device has the others up and nothing else live. */
function expectMesh(net: Net, devices: readonly string[]): void {
  for (const d of devices) {
    const others = devices.filter((o) => o !== d).sort();
    expect(net.up(d as never), `links of ${d.slice(0, 1)}`).toEqual(others);
    const live = net.state(d as never).members.filter((m) => m.status.kind === 'linking');
    expect(live).toEqual([]);
  }
}

/** The pairs that were made in-band, each once, offered by the smaller id. */
function expectOffersBySmallerId(net: Net): void {
  const offers = net.connects.filter((c) => c.command.role === 'offerer');
  const pairs = offers.map((c) => [c.device, c.command.peer].sort().join('-'));
  expect(new Set(pairs).size).toBe(pairs.length);
  for (const c of offers) expect(c.device < c.command.peer).toBe(true);
}

describe('group roster: introductions', () => {
  it('a pair made by codes is a group of two; the starter admitted the joiner', () => {
    const net = new Net();
    net.add(A, B);
    net.pair(A, B);
    net.run();
    expectMesh(net, [A, B]);
    const b = net.state(A).members[0];
    expect(b).toMatchObject({ id: B, name: 'name-b', introducedBy: null, admitted: true });
    expect(net.state(B).members[0]).toMatchObject({ id: A, introducedBy: null, admitted: false });
    expect(net.connects).toEqual([]);
  });

  it('a third device joins one member with one exchange; its link to the other is made through that member', () => {
    const net = new Net();
    net.add(A, B, C);
    net.pair(A, B);
    net.run();
    net.pair(A, C);
    net.run();
    expectMesh(net, [A, B, C]);
    const cAtB = net.state(B).members.find((m) => m.id === C);
    expect(cAtB).toMatchObject({ introducedBy: A, status: { kind: 'up', link: relayedLink(C) } });
    expect(net.state(C).members.find((m) => m.id === B)).toMatchObject({ introducedBy: A });
    // One offer and one answer through A, forwarded as sent.
    expect(net.state(A).relayed).toEqual({ [`${B}>${C}`]: 1, [`${C}>${B}`]: 1 });
    expectOffersBySmallerId(net);
  });

  it('four devices, the fourth joining through B: a full mesh of 6 links, each made once', () => {
    const net = new Net();
    net.add(A, B, C, D);
    net.pair(A, B);
    net.run();
    net.pair(A, C);
    net.run();
    net.pair(B, D);
    net.run();
    expectMesh(net, [A, B, C, D]);
    expect(net.connects.filter((c) => c.command.role === 'offerer')).toHaveLength(3);
    expectOffersBySmallerId(net);
    expect(canAdd(net.state(A))).toBe(false);
  });

  it('simultaneous joins at two members (C at A, D at B) still link every pair once', () => {
    const net = new Net();
    net.add(A, B, C, D);
    net.pair(A, B);
    net.run();
    // Both code links open before either member has heard of the other's newcomer.
    net.pair(A, C);
    net.pair(B, D);
    net.run();
    expectMesh(net, [A, B, C, D]);
    expectOffersBySmallerId(net);
    // C and D heard of each other from whichever member linked to both first.
    const dAtC = net.state(C).members.find((m) => m.id === D);
    expect([A, B]).toContain(dAtC?.introducedBy);
  });

  it('two groups of two merge into one mesh when a member of one joins a member of the other', () => {
    const net = new Net();
    net.add(A, B, C, D);
    net.pair(A, B);
    net.pair(C, D);
    net.run();
    net.pair(A, C);
    net.run();
    expectMesh(net, [A, B, C, D]);
    expectOffersBySmallerId(net);
  });
});

describe('group roster: limits', () => {
  it('a fifth device is refused clearly; the four carry on', () => {
    const net = new Net();
    net.add(A, B, C, D, E);
    net.pair(A, B);
    net.pair(A, C);
    net.pair(A, D);
    net.run();
    expectMesh(net, [A, B, C, D]);
    net.pair(A, E);
    net.run();
    expect(net.state(E).refused).toBe('group-full');
    expect(net.up(E)).toEqual([]);
    expectMesh(net, [A, B, C, D]);
  });

  it('two joins racing for the last place never make five (both may be refused)', () => {
    const net = new Net();
    net.add(A, B, C, D, E);
    net.pair(A, B);
    net.pair(A, E);
    net.run();
    expectMesh(net, [A, B, E]);
    net.pair(A, C);
    net.pair(B, D);
    net.run();
    for (const d of [A, B, C, D, E]) {
      const live = net.state(d).members.filter((m) => m.status.kind !== 'gone' && m.status.kind !== 'failed');
      expect(1 + live.length).toBeLessThanOrEqual(MAX_MEMBERS);
    }
    // The original three are still linked to each other.
    for (const [x, y] of [
      [A, B],
      [A, E],
      [B, E],
    ] as const)
      expect(net.up(x)).toContain(y);
    // A newcomer is either in the mesh or told the group is full.
    for (const n of [C, D]) {
      const inside = net.up(n).length === 3;
      expect(inside || net.state(n).refused === 'group-full').toBe(true);
    }
  });

  it('a relay forwards at most MAX_RELAYED_PER_PAIR envelopes for one pair', () => {
    const net = new Net();
    net.add(A, B, C);
    net.pair(A, B);
    net.pair(A, C);
    net.run();
    let a = net.state(A);
    const bLink = a.members.find((m) => m.id === B)?.status;
    const cLink = a.members.find((m) => m.id === C)?.status;
    if (bLink?.kind !== 'up' || cLink?.kind !== 'up') throw new Error('not linked');
    const text = JSON.stringify({ v: 1, t: 'relay', from: B, to: C, body: '{}' });
    const parsed = parseGroup(text);
    if (!parsed.ok) throw new Error('bad envelope');
    let forwarded = 0;
    for (let i = 0; i < MAX_RELAYED_PER_PAIR + 10; i++) {
      const t = reduceGroup(a, { type: 'message', link: bLink.link, message: parsed.value });
      a = t.state;
      const sends = t.commands.filter((c) => c.type === 'send' && c.link === cLink.link);
      // Forwarded untouched, and marked as another member's.
      for (const c of sends) expect(c).toEqual({ type: 'send', link: cLink.link, text, relayed: true });
      forwarded += sends.length;
    }
    // Two of the pair's budget went to the B–C exchange itself.
    expect(forwarded).toBe(MAX_RELAYED_PER_PAIR - 1);
  });
});

/** A, B, C, D in a full mesh: B added D, A the others. */
function fourMesh(): Net {
  const net = new Net();
  net.add(A, B, C, D);
  net.pair(A, B);
  net.pair(A, C);
  net.pair(B, D);
  net.run();
  return net;
}

describe('group roster: members leaving', () => {
  it('a member that vanishes is gone on all others, who keep their links', () => {
    const net = fourMesh();
    net.drop(D, 'vanished');
    net.run();
    for (const d of [A, B, C]) {
      expect(net.state(d).members.find((m) => m.id === D)?.status).toEqual({
        kind: 'gone',
        reason: 'vanished',
      });
    }
    expectMesh(net, [A, B, C]);
  });

  it('a link that went silent and heals (a network change) brings its member back, in a full group too', () => {
    const net = fourMesh();
    expectMesh(net, [A, B, C, D]);
    const before = net.state(A).members.find((m) => m.id === D);
    net.silenceAndHeal(A, D);
    net.run();
    expectMesh(net, [A, B, C, D]);
    // Still the member B introduced, not one that joined by codes.
    expect(net.state(A).members.find((m) => m.id === D)?.introducedBy).toBe(before?.introducedBy);
    expect(before?.introducedBy).toBe(B);
  });

  it('the introducing member leaving (bye) ends nothing else; the group carries on and can add again', () => {
    const net = new Net();
    net.add(A, B, C, D);
    net.pair(A, B);
    net.pair(A, C);
    net.run();
    net.drop(A, 'left');
    net.run();
    expect(net.state(B).members.find((m) => m.id === A)?.status).toEqual({ kind: 'gone', reason: 'left' });
    expectMesh(net, [B, C]);
    expect(canAdd(net.state(C))).toBe(true);
    net.pair(C, D);
    net.run();
    expectMesh(net, [B, C, D]);
  });

  it('a relay that goes while a link is being made through it fails that link only', () => {
    const net = new Net();
    net.add(A, B, C);
    net.pair(A, B);
    net.run();
    // C's hello reaches A and A's rosters go out; A vanishes before it forwards the offer.
    let b = net.state(B);
    const toA = b.members[0]?.status;
    if (toA?.kind !== 'up') throw new Error('not linked');
    const roster = parseGroup(encodeGroup({ t: 'roster', members: [{ id: C, name: 'c' }] }));
    if (!roster.ok) throw new Error('bad roster');
    b = reduceGroup(b, { type: 'message', link: toA.link, message: roster.value }).state;
    expect(b.members.find((m) => m.id === C)?.status.kind).toBe('linking');
    const after = reduceGroup(b, { type: 'link-closed', link: toA.link, reason: 'vanished' });
    expect(after.state.members.find((m) => m.id === C)?.status).toEqual({
      kind: 'failed',
      reason: 'relay-gone',
    });
    expect(after.commands).toContainEqual({ type: 'close', link: relayedLink(C), reason: 'relay-gone' });
  });
});

describe('group roster: what is not believed', () => {
  it('a link made in-band whose hello names another member fails', () => {
    const net = new Net();
    net.add(A, B, C);
    net.pair(A, B);
    net.pair(A, C);
    net.run();
    const s = initialGroup(B, 'b');
    const roster = parseGroup(encodeGroup({ t: 'roster', members: [{ id: C, name: 'c' }] }));
    const helloA = parseGroup(encodeGroup({ t: 'hello', id: A, name: 'a', size: 1 }));
    const helloD = parseGroup(encodeGroup({ t: 'hello', id: D, name: 'd', size: 1 }));
    if (!roster.ok || !helloA.ok || !helloD.ok) throw new Error('bad message');
    let t = reduceGroup(s, { type: 'link-open', link: 'x', admitted: true });
    t = reduceGroup(t.state, { type: 'message', link: 'x', message: helloA.value });
    t = reduceGroup(t.state, { type: 'message', link: 'x', message: roster.value });
    t = reduceGroup(t.state, { type: 'message', link: relayedLink(C), message: helloD.value });
    expect(t.state.members.find((m) => m.id === C)?.status).toEqual({
      kind: 'failed',
      reason: 'wrong-member',
    });
    expect(t.commands).toEqual([{ type: 'close', link: relayedLink(C), reason: 'wrong-member' }]);
  });

  it('messages on a link whose hello was not heard, and a hello with our own id, are refused', () => {
    const s = initialGroup(A, 'a');
    const roster = parseGroup(encodeGroup({ t: 'roster', members: [{ id: C, name: 'c' }] }));
    const self = parseGroup(encodeGroup({ t: 'hello', id: A, name: 'me', size: 1 }));
    if (!roster.ok || !self.ok) throw new Error('bad message');
    expect(reduceGroup(s, { type: 'message', link: 'x', message: roster.value })).toEqual({
      state: s,
      commands: [],
    });
    expect(reduceGroup(s, { type: 'message', link: 'x', message: self.value }).commands).toEqual([
      { type: 'close', link: 'x', reason: 'self' },
    ]);
  });
});
