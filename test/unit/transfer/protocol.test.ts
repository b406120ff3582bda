// The files protocol's framing and control messages: round trips, bounds, and no input ever throws.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decodeChunk,
  encodeChunk,
  encodeFilesMessage,
  type FilesMessage,
  FRAME_HEADER_BYTES,
  MAX_CONTROL_CHARS,
  parseFilesMessage,
} from '../../../src/transfer/protocol.ts';

const ID = '0f8fad5b-d9cb-469f-a165-70867728950e';
const SHA = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

describe('chunk frames', () => {
  it('round-trip stream number, offset and payload, offsets beyond 4 GiB included', () => {
    const payload = new Uint8Array([1, 2, 3, 250]);
    for (const offset of [0, 1, 0xffff_ffff, 0x1_0000_0000, 5 * 2 ** 40 + 7, Number.MAX_SAFE_INTEGER]) {
      const frame = encodeChunk(7, offset, payload);
      expect(frame.length).toBe(FRAME_HEADER_BYTES + payload.length);
      const back = decodeChunk(frame.buffer);
      expect(back.ok && back.value.offset).toBe(offset);
      expect(back.ok && back.value.n).toBe(7);
      expect(back.ok && [...back.value.payload]).toEqual([...payload]);
    }
  });

  it('refuses short frames, foreign bytes, other versions and unsafe offsets', () => {
    expect(decodeChunk(new Uint8Array(5))).toEqual({ ok: false, error: { kind: 'short' } });
    const frame = encodeChunk(1, 0, new Uint8Array(3));
    const foreign = frame.slice();
    foreign[0] = 0;
    expect(decodeChunk(foreign)).toEqual({ ok: false, error: { kind: 'bad-magic' } });
    const future = frame.slice();
    future[1] = 9;
    expect(decodeChunk(future)).toEqual({ ok: false, error: { kind: 'bad-version' } });
    const huge = frame.slice();
    new DataView(huge.buffer).setUint32(8, 0xffff_ffff);
    expect(decodeChunk(huge)).toEqual({ ok: false, error: { kind: 'bad-offset' } });
    const lying = frame.slice();
    new DataView(lying.buffer).setUint16(2, 999);
    expect(decodeChunk(lying)).toEqual({ ok: false, error: { kind: 'short' } });
  });

  it('never throws on any bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        decodeChunk(bytes);
      }),
    );
  });
});

describe('control messages', () => {
  const samples: FilesMessage[] = [
    { v: 1, t: 'hello', maxChunk: 65536, seen: false },
    { v: 1, t: 'offer', id: ID, n: 3, name: 'a.txt', size: 10, type: 'text/plain' },
    { v: 1, t: 'accept', id: ID, offset: 123 },
    { v: 1, t: 'decline', id: ID },
    { v: 1, t: 'cancel', id: ID, reason: 'user' },
    { v: 1, t: 'ack', id: ID, offset: 2 ** 40 },
    { v: 1, t: 'done', id: ID, size: 10, sha256: SHA },
    { v: 1, t: 'result', id: ID, ok: false },
  ];

  it.each(samples)('round-trips %j', (m) => {
    const { v: _v, ...rest } = m;
    expect(parseFilesMessage(encodeFilesMessage(rest as Parameters<typeof encodeFilesMessage>[0]))).toEqual({
      ok: true,
      value: m,
    });
  });

  it.each([
    ['not JSON', 'nope', 'not-json'],
    ['an array', '[1]', 'not-json'],
    ['another version', '{"v":2,"t":"hello","maxChunk":65536}', 'bad-version'],
    ['an unknown type', '{"v":1,"t":"gift","id":"x"}', 'unknown-type'],
    ['a negative size', `{"v":1,"t":"offer","id":"${ID}","n":1,"name":"a","size":-1,"type":""}`, 'bad-field'],
    [
      'a fractional size',
      `{"v":1,"t":"offer","id":"${ID}","n":1,"name":"a","size":1.5,"type":""}`,
      'bad-field',
    ],
    [
      'a size beyond 2^53',
      `{"v":1,"t":"offer","id":"${ID}","n":1,"name":"a","size":1e20,"type":""}`,
      'bad-field',
    ],
    [
      'a stream number beyond 32 bits',
      `{"v":1,"t":"offer","id":"${ID}","n":4294967296,"name":"a","size":1}`,
      'bad-field',
    ],
    ['a name that is not text', `{"v":1,"t":"offer","id":"${ID}","n":1,"name":5,"size":1}`, 'bad-field'],
    ['an over-long id', `{"v":1,"t":"decline","id":"${'x'.repeat(65)}"}`, 'bad-field'],
    ['a digest that is not hex', `{"v":1,"t":"done","id":"${ID}","size":1,"sha256":"zz"}`, 'bad-field'],
    ['a tiny chunk limit', '{"v":1,"t":"hello","maxChunk":10}', 'bad-field'],
  ])('refuses %s', (_what, text, kind) => {
    const r = parseFilesMessage(text);
    expect(r.ok ? 'accepted' : r.error.kind).toBe(kind);
  });

  it('refuses an over-long message before parsing it', () => {
    const r = parseFilesMessage(`{"v":1,"t":"offer","name":"${'x'.repeat(MAX_CONTROL_CHARS)}"}`);
    expect(r.ok ? 'accepted' : r.error.kind).toBe('too-large');
  });

  it('accepts a 10,000-character name on the wire (it is shortened later, not refused)', () => {
    const r = parseFilesMessage(
      encodeFilesMessage({ t: 'offer', id: ID, n: 0, name: 'y'.repeat(10_000), size: 1, type: '' }),
    );
    expect(r.ok && r.value.t === 'offer' && r.value.name.length).toBe(10_000);
  });

  it('an unknown cancel reason is read as an error', () => {
    const r = parseFilesMessage(`{"v":1,"t":"cancel","id":"${ID}","reason":"bored"}`);
    expect(r.ok && r.value.t === 'cancel' && r.value.reason).toBe('error');
  });

  it('never throws on any text', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.json()), (text) => {
        parseFilesMessage(text);
      }),
    );
  });
});
