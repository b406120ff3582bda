import { describe, expect, it } from 'vitest';
import {
  encodeBody,
  encodeEnvelope,
  encodeGroup,
  MAX_BODY_CHARS,
  MAX_BODY_SDP_CHARS,
  MAX_GROUP_MESSAGE_CHARS,
  memberIdFrom,
  parseBody,
  parseGroup,
  reduceGroup,
  relayedLink,
} from '../../../src/group/index.ts';
import { id, Net } from './sim.ts';

const A = id('a');
const B = id('b');
const C = id('c');

const relay = (fields: Record<string, unknown>): string =>
  JSON.stringify({ v: 1, t: 'relay', from: A, to: B, body: '{"k":"x"}', ...fields });

describe('group wire: the relay envelope', () => {
  it('round-trips and keeps the exact text it was read from', () => {
    const text = encodeEnvelope(A, B, '{"v":1,"k":"end","a":"1","reason":"x"}');
    if (!text.ok) throw new Error('not encoded');
    const parsed = parseGroup(text.value);
    expect(parsed).toEqual({
      ok: true,
      value: {
        t: 'relay',
        envelope: { from: A, to: B, body: '{"v":1,"k":"end","a":"1","reason":"x"}', raw: text.value },
      },
    });
    // Fields a later version adds are not read, but they stay in the raw text a relay forwards.
    const later = relay({ extra: { sas: 'abc' } });
    const read = parseGroup(later);
    expect(read.ok && read.value.t === 'relay' && read.value.envelope.raw).toBe(later);
  });

  it.each([
    ['from is not a member id', relay({ from: 'A'.repeat(16) }), 'from'],
    ['from is missing', JSON.stringify({ v: 1, t: 'relay', to: B, body: 'x' }), 'from'],
    ['to is the sender', relay({ to: A }), 'to'],
    ['to is a number', relay({ to: 7 }), 'to'],
    ['the body is empty', relay({ body: '' }), 'body'],
    ['the body is not text', relay({ body: { sdp: 'x' } }), 'body'],
    ['the body has a non-ASCII character', relay({ body: 'caf\u00e9' }), 'body'],
    ['the body has a control character', relay({ body: 'a\nb' }), 'body'],
    ['the body is too long', relay({ body: 'x'.repeat(MAX_BODY_CHARS + 1) }), 'body'],
  ])('is refused when %s', (_name, text, fieldName) => {
    expect(parseGroup(text)).toEqual({
      ok: false,
      error: { kind: 'bad-field', type: 'relay', field: fieldName },
    });
  });

  it('refuses what is not a message at all, before reading it', () => {
    expect(parseGroup(new ArrayBuffer(4))).toEqual({ ok: false, error: { kind: 'not-text' } });
    expect(parseGroup('x'.repeat(MAX_GROUP_MESSAGE_CHARS + 1))).toMatchObject({
      error: { kind: 'too-large' },
    });
    expect(parseGroup('{"v":1,')).toEqual({ ok: false, error: { kind: 'not-json' } });
    expect(parseGroup('[1]')).toEqual({ ok: false, error: { kind: 'not-an-object' } });
    expect(parseGroup('{"t":"relay"}')).toEqual({ ok: false, error: { kind: 'bad-version' } });
    expect(parseGroup('{"v":0,"t":"relay"}')).toEqual({ ok: false, error: { kind: 'bad-version' } });
    expect(parseGroup('{"v":1,"t":"nope"}')).toEqual({
      ok: false,
      error: { kind: 'unknown-type', type: 'nope' },
    });
    // Fields come from the object itself, never its prototype.
    const proto = `{"v":1,"t":"gone","__proto__":{"id":"${A}","reason":"left"}}`;
    expect(parseGroup(proto)).toMatchObject({ ok: false, error: { field: 'id' } });
  });

  it('tolerates what a newer version sends, and acts on none of it', () => {
    expect(parseGroup('{"v":2,"t":"vote","x":1}')).toEqual({
      ok: true,
      value: { t: 'unknown', type: 'vote' },
    });
    expect(parseGroup(JSON.stringify({ v: 2, t: 'relay', from: 1 }))).toEqual({
      ok: true,
      value: { t: 'unknown', type: 'relay' },
    });
  });

  it('our own envelope must carry a bounded printable body between two members', () => {
    expect(encodeEnvelope(A, A, 'x')).toEqual({ ok: false, error: { kind: 'same-ends' } });
    expect(encodeEnvelope(A, B, '')).toEqual({ ok: false, error: { kind: 'bad-body' } });
    expect(encodeEnvelope(A, B, '\u00e9')).toEqual({ ok: false, error: { kind: 'bad-body' } });
    const largest = encodeEnvelope(A, B, 'x'.repeat(MAX_BODY_CHARS));
    expect(largest.ok && largest.value.length).toBeLessThanOrEqual(MAX_GROUP_MESSAGE_CHARS);
  });
});

describe('group wire: the other messages', () => {
  it('cleans names and bounds rosters and sizes', () => {
    const hello = parseGroup(JSON.stringify({ v: 1, t: 'hello', id: A, name: ' Ann\u202e\u0000 ', size: 2 }));
    expect(hello).toEqual({ ok: true, value: { t: 'hello', id: A, name: 'Ann', size: 2 } });
    expect(parseGroup(JSON.stringify({ v: 1, t: 'hello', id: A, size: 5 }))).toMatchObject({ ok: false });
    expect(parseGroup(JSON.stringify({ v: 1, t: 'hello', id: A, size: 1.5 }))).toMatchObject({ ok: false });
    const four = [A, B, C, id('d')].map((m) => ({ id: m, name: 'x' }));
    expect(parseGroup(JSON.stringify({ v: 1, t: 'roster', members: four }))).toMatchObject({ ok: false });
    const twice = [A, A].map((m) => ({ id: m, name: 'x' }));
    expect(parseGroup(JSON.stringify({ v: 1, t: 'roster', members: twice }))).toMatchObject({ ok: false });
    const gone = parseGroup(JSON.stringify({ v: 1, t: 'gone', id: A, reason: 'abducted' }));
    expect(gone).toEqual({ ok: true, value: { t: 'gone', id: A, reason: 'vanished' } });
    expect(parseGroup(encodeGroup({ t: 'refused', reason: 'group-full' }))).toEqual({
      ok: true,
      value: { t: 'refused', reason: 'group-full' },
    });
  });

  it('makes member ids from 8 bytes only', () => {
    expect(memberIdFrom(new Uint8Array([0, 1, 2, 3, 0xfc, 0xfd, 0xfe, 0xff]))).toBe('00010203fcfdfeff');
    expect(memberIdFrom(new Uint8Array(7))).toBeNull();
  });

  it('never throws on hostile input', () => {
    const samples: unknown[] = [null, undefined, 1, {}, '', '{}', '"x"', 'null', '{"v":1e400,"t":"relay"}'];
    let seed = 7;
    const next = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed;
    };
    const base = relay({});
    for (let i = 0; i < 2_000; i++) {
      const chars = [...base];
      chars[next() % chars.length] = String.fromCharCode(next() % 0x3000);
      samples.push(chars.join(''));
    }
    for (const s of samples) {
      expect(() => parseGroup(s)).not.toThrow();
      expect(() => parseBody(String(s))).not.toThrow();
    }
  });
});

describe('group wire: the body only the two ends read', () => {
  it('carries the safety words fields as a code does: a 4-byte commitment in an offer, an 8-byte secret in an answer', () => {
    const offer = encodeBody({ k: 'offer', a: '1', sdp: 'v=0\r\n', commit: '0123abcd' });
    const answer = encodeBody({ k: 'answer', a: '1', sdp: 'v=0\r\n', secret: 'fedcba9876543210' });
    if (offer === null || answer === null) throw new Error('not encoded');
    expect(parseBody(offer)).toEqual({
      ok: true,
      value: { k: 'offer', a: '1', sdp: 'v=0\r\n', commit: '0123abcd' },
    });
    expect(parseBody(answer)).toMatchObject({ ok: true, value: { secret: 'fedcba9876543210' } });
    const badCommit = offer.replace('0123abcd', '0123456789abcdef');
    expect(parseBody(badCommit)).toEqual({ ok: false, error: { kind: 'bad-field', field: 'commit' } });
  });

  it('is printable ASCII whatever it carries, and fits an envelope', () => {
    const body = encodeBody({ k: 'end', a: 'z9', reason: 'caf\u00e9 \u{1f600}' });
    expect(body).not.toBeNull();
    expect(encodeEnvelope(A, B, body ?? '').ok).toBe(true);
    expect(parseBody(body ?? '')).toEqual({
      ok: true,
      value: { k: 'end', a: 'z9', reason: 'caf\u00e9 \u{1f600}' },
    });
    expect(encodeBody({ k: 'offer', a: '1', sdp: '\r\n'.repeat(MAX_BODY_SDP_CHARS / 2) })).not.toBeNull();
    expect(encodeBody({ k: 'offer', a: '1', sdp: '\u00e9'.repeat(MAX_BODY_SDP_CHARS) })).toBeNull();
    expect(parseBody('{"v":1,"k":"offer","a":"UPPER","sdp":"x"}')).toMatchObject({ error: { field: 'a' } });
    expect(parseBody('{"v":2,"k":"offer","a":"1","sdp":"x"}')).toEqual({
      ok: false,
      error: { kind: 'bad-version' },
    });
  });
});

describe('group relay: what it refuses to forward, and what it forwards untouched', () => {
  function threeDevices(): Net {
    const net = new Net();
    net.add(A, B, C);
    net.pair(A, B);
    net.pair(A, C);
    net.run();
    return net;
  }
  const linkTo = (net: Net, from: string, to: string): string => {
    const status = net.state(from as never).members.find((m) => m.id === to)?.status;
    if (status?.kind !== 'up') throw new Error('not linked');
    return status.link;
  };

  it('forwards the exact text it received', () => {
    const net = threeDevices();
    expect(net.forwarded).toHaveLength(2);
    for (const text of net.forwarded) {
      const parsed = parseGroup(text);
      expect(parsed.ok && parsed.value.t === 'relay' && parsed.value.envelope.raw).toBe(text);
    }
  });

  it('drops an envelope that speaks for a third member, one to a member it is not linked to, and one to itself from itself', () => {
    const net = threeDevices();
    const a = net.state(A);
    const fromB = linkTo(net, A, B);
    const cases = [
      relay({ from: C, to: B }),
      relay({ from: B, to: id('d') }),
      relay({ from: B, to: A, body: 'x' }),
    ];
    for (const text of cases) {
      const message = parseGroup(text);
      if (!message.ok) throw new Error('bad envelope');
      const t = reduceGroup(a, { type: 'message', link: fromB, message: message.value });
      expect(t.commands.filter((c) => c.type === 'send')).toEqual([]);
    }
  });

  it('a relay that tampers with a description fails that link, and nothing else', () => {
    const net = new Net();
    net.add(A, B, C);
    net.pair(A, B);
    net.run();
    net.tamper = (_relay, text) => text.replace(/offer b{16}/, 'offer mallory');
    net.pair(A, C);
    net.run();
    // B–C never came up; the app's session gives the attempt up and reports it.
    const cAtB = net.state(B).members.find((m) => m.id === C);
    expect(cAtB?.status.kind).toBe('linking');
    net.apply(B, { type: 'link-failed', link: relayedLink(C) });
    expect(net.state(B).members.find((m) => m.id === C)?.status).toEqual({
      kind: 'failed',
      reason: 'attempt-failed',
    });
    expect(net.up(A)).toEqual([B, C]);
    expect(net.up(B)).toEqual([A]);
  });
});
