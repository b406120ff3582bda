import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ackMessage,
  byeMessage,
  chatMessage,
  encodeControl,
  FEATURES,
  helloMessage,
  MAX_APP_CHARS,
  MAX_APP_DISPLAY_CHARS,
  MAX_CHAT_CHARS,
  MAX_FEATURE_CHARS,
  MAX_FEATURES,
  MAX_ID_CHARS,
  MAX_MESSAGE_CHARS,
  MAX_NAME_CHARS,
  MAX_NAME_DISPLAY_CHARS,
  type OutgoingMessage,
  PING,
  PONG,
  parseControl,
  validateChatText,
} from '../../../src/rtc/inband/control.ts';

// --- generators ---

const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((unit) => String.fromCharCode(unit));
/** Any code point, lone surrogates and control characters included: text is data, whatever it holds. */
const anyChar = fc.oneof(fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }), loneSurrogate);
const anyText = (maxLength: number) => fc.string({ unit: anyChar, maxLength });
const chatText = anyText(200).filter((text) => text.trim() !== '');
const id = fc.string({ minLength: 1, maxLength: MAX_ID_CHARS });

const validMessage: fc.Arbitrary<OutgoingMessage> = fc.oneof(
  fc.record(
    {
      v: fc.constant(1 as const),
      t: fc.constant('hello' as const),
      // Display text already (the receiver shows it as one; the tests below cover what it changes).
      app: fc
        .stringMatching(/^[A-Za-z0-9.]( ?[A-Za-z0-9.-])*$/)
        .filter((a) => a.length <= MAX_APP_DISPLAY_CHARS),
      features: fc.array(fc.string({ minLength: 1, maxLength: MAX_FEATURE_CHARS }), {
        maxLength: MAX_FEATURES,
      }),
      name: fc
        .stringMatching(/^[A-Za-z0-9]( ?[A-Za-z0-9'-])*$/)
        .filter((a) => a.length <= MAX_NAME_DISPLAY_CHARS),
    },
    { requiredKeys: ['v', 't', 'app', 'features'] },
  ),
  fc.record({
    v: fc.constant(1 as const),
    t: fc.constant('chat' as const),
    id,
    text: chatText,
    ts: fc.nat({ max: Number.MAX_SAFE_INTEGER }),
  }),
  id.map(ackMessage),
  fc.constant(PING),
  fc.constant(PONG),
  fc.constantFrom('hangup', 'page-closed', 'rejected', 'other').map(byeMessage),
);

/** Mostly-plausible JSON objects: the right keys with wrong or hostile values. */
const nearMiss = fc
  .record(
    {
      v: fc.oneof(fc.integer({ min: -2, max: 5 }), fc.double(), fc.string(), fc.constant(null)),
      t: fc.oneof(
        fc.constantFrom('hello', 'chat', 'ack', 'ping', 'pong', 'bye', 'file', '__proto__'),
        fc.string(),
      ),
      id: fc.oneof(fc.string(), fc.integer(), fc.constant(null)),
      text: fc.oneof(anyText(50), fc.integer(), fc.array(fc.string())),
      ts: fc.oneof(fc.integer(), fc.double(), fc.string()),
      app: fc.anything(),
      features: fc.oneof(fc.array(fc.anything()), fc.string()),
      reason: fc.anything(),
    },
    { requiredKeys: [] },
  )
  .map((record) => JSON.stringify(record));

const hostileInput = fc.oneof(
  fc.anything(),
  fc.string(),
  fc.json(),
  nearMiss,
  validMessage.map(encodeControl).chain((text) =>
    // Cut a valid message short anywhere.
    fc.nat({ max: text.length }).map((cut) => text.slice(0, cut)),
  ),
);

describe('parseControl', () => {
  it('never throws, whatever arrives', () => {
    fc.assert(
      fc.property(hostileInput, (input) => {
        const result = parseControl(input);
        expect(typeof result.ok).toBe('boolean');
      }),
      { numRuns: 2_000 },
    );
  });

  it('round-trips every valid message', () => {
    fc.assert(
      fc.property(validMessage, (message) => {
        expect(parseControl(encodeControl(message))).toEqual({ ok: true, value: message });
      }),
      { numRuns: 1_000 },
    );
  });

  it('round-trips the longest chat, even of characters JSON must escape', () => {
    for (const char of ['x', '\u0000', '\ud800', '😀', '"']) {
      const message = chatMessage('id', char.repeat(MAX_CHAT_CHARS), 1);
      if (!message.ok) throw new Error(`could not build a chat of ${JSON.stringify(char)}`);
      const encoded = encodeControl(message.value);
      expect(encoded.length).toBeLessThanOrEqual(MAX_MESSAGE_CHARS);
      expect(parseControl(encoded)).toEqual({ ok: true, value: message.value });
    }
  });

  it('refuses what is not a v1 control message, saying why', () => {
    const cases: [unknown, string][] = [
      [new ArrayBuffer(4), 'not-text'],
      ['x'.repeat(MAX_MESSAGE_CHARS + 1), 'too-large'],
      ['{"v":1,"t":"ping"', 'not-json'],
      ['[1,2]', 'not-an-object'],
      ['null', 'not-an-object'],
      ['{"t":"ping"}', 'bad-version'],
      ['{"v":0,"t":"ping"}', 'bad-version'],
      ['{"v":1.5,"t":"ping"}', 'bad-version'],
      ['{"v":1}', 'bad-field'],
      ['{"v":1,"t":"file"}', 'unknown-type'],
      ['{"v":1,"t":"chat","id":"a","text":"hi","ts":-1}', 'bad-field'],
      ['{"v":1,"t":"chat","id":"","text":"hi","ts":1}', 'bad-field'],
      ['{"v":1,"t":"chat","id":"a","text":"<b>hi</b>","ts":"now"}', 'bad-field'],
      ['{"v":1,"t":"chat","id":"a","text":"   ","ts":1}', 'empty-text'],
      [`{"v":1,"t":"chat","id":"a","text":"${'y'.repeat(MAX_CHAT_CHARS + 1)}","ts":1}`, 'text-too-long'],
      [`{"v":1,"t":"ack","id":"${'i'.repeat(MAX_ID_CHARS + 1)}"}`, 'bad-field'],
      [
        `{"v":1,"t":"hello","app":"x","features":${JSON.stringify(Array(MAX_FEATURES + 1).fill('f'))}}`,
        'bad-field',
      ],
      ['{"v":1,"t":"hello","app":"x","features":[1]}', 'bad-field'],
      ['{"v":1,"t":"bye"}', 'bad-field'],
      ['{"v":1,"t":"refused"}', 'bad-field'],
      ['{"v":1,"t":"refused","gen":-1}', 'bad-field'],
    ];
    for (const [input, kind] of cases) {
      const result = parseControl(input);
      expect(result.ok ? 'accepted' : result.error.kind, String(input).slice(0, 80)).toBe(kind);
    }
  });

  it('reads a refusal of an offer with its generation', () => {
    expect(parseControl('{"v":1,"t":"refused","gen":3}')).toEqual({
      ok: true,
      value: { v: 1, t: 'refused', gen: 3 },
    });
  });

  it('tolerates unknown types and changed shapes from a newer version as "unknown"', () => {
    expect(parseControl('{"v":2,"t":"file-offer","size":9}')).toEqual({
      ok: true,
      value: { v: 2, t: 'unknown', type: 'file-offer' },
    });
    expect(parseControl('{"v":3,"t":"chat","body":{"parts":[]}}')).toEqual({
      ok: true,
      value: { v: 3, t: 'unknown', type: 'chat' },
    });
    // A newer chat that still has the v1 fields is understood as a chat.
    expect(parseControl('{"v":2,"t":"chat","id":"a","text":"hi","ts":5,"reply":"b"}')).toEqual({
      ok: true,
      value: { v: 1, t: 'chat', id: 'a', text: 'hi', ts: 5 },
    });
    // Unknown bye reasons are kept as 'other'; the reason text is never echoed back.
    expect(parseControl('{"v":1,"t":"bye","reason":"moved to another tab"}')).toEqual({
      ok: true,
      value: byeMessage('other'),
    });
  });

  it('takes fields from the message itself, never from its prototype', () => {
    const result = parseControl('{"v":1,"t":"ack","__proto__":{"id":"injected"}}');
    expect(result.ok).toBe(false);
  });

  it('keeps chat text as data: markup is neither stripped nor interpreted', () => {
    const text = '<img src=x onerror=alert(1)> & &amp;';
    expect(parseControl(JSON.stringify({ v: 1, t: 'chat', id: 'a', text, ts: 1 }))).toEqual({
      ok: true,
      value: { v: 1, t: 'chat', id: 'a', text, ts: 1 },
    });
  });
});

describe('chat text limits on send', () => {
  it('counts characters, not UTF-16 units', () => {
    expect(validateChatText('😀'.repeat(MAX_CHAT_CHARS)).ok).toBe(true);
    expect(validateChatText('😀'.repeat(MAX_CHAT_CHARS + 1))).toEqual({
      ok: false,
      error: { kind: 'text-too-long', length: MAX_CHAT_CHARS + 1, max: MAX_CHAT_CHARS },
    });
  });

  it('refuses empty text and text over the limit with a tagged error', () => {
    expect(chatMessage('a', ' \t\n', 1)).toEqual({ ok: false, error: { kind: 'empty-text' } });
    const long = chatMessage('a', 'x'.repeat(MAX_CHAT_CHARS + 10), 1);
    expect(long.ok ? null : long.error.kind).toBe('text-too-long');
    expect(chatMessage('a', 'x'.repeat(MAX_CHAT_CHARS), 1).ok).toBe(true);
  });

  it('reports the real length of huge pasted text', () => {
    const huge = validateChatText('x'.repeat(5_000_000));
    expect(huge.ok ? null : huge.error).toEqual({
      kind: 'text-too-long',
      length: 5_000_000,
      max: MAX_CHAT_CHARS,
    });
  });
});

describe('hello', () => {
  it('announces the app version (bounded) and this build’s features', () => {
    expect(helloMessage('0.1.0')).toEqual({ v: 1, t: 'hello', app: '0.1.0', features: FEATURES });
    expect(helloMessage('v'.repeat(500)).app).toHaveLength(MAX_APP_CHARS);
    const parsed = parseControl(encodeControl(helloMessage('v'.repeat(500))));
    expect(parsed.ok).toBe(true);
  });

  const appOf = (app: string) => {
    const r = parseControl(JSON.stringify({ v: 1, t: 'hello', app, features: [] }));
    if (!r.ok || r.value.t !== 'hello') throw new Error('hello refused');
    return r.value.app;
  };

  it.each([
    ['bidi override and isolates', 'Pigeon \u202Egnp.exe\u202C \u2066x\u2069', 'Pigeon gnp.exe x'],
    ['spaces around an invisible one', 'Pigeon \u200B 1.0', 'Pigeon 1.0'],
    ['arabic letter mark, zero-widths, BOM', 'Pi\u061Cg\u200Be\u200Do\uFEFFn', 'Pigeon'],
    ['line and paragraph separators, controls', 'Pigeon\u2028\u2029\n\t1.0\u0007', 'Pigeon 1.0'],
    ['tag characters and soft hyphens', 'Pi\u00ADgeon\u{E0041}\u{E007F}', 'Pigeon'],
    ['a pile of combining marks', `Z${'\u0301'.repeat(50)}oe`, 'Z\u0301\u0301oe'],
    ['only invisible characters', '\u202E\u200B\u2066', ''],
  ])('the peer’s app name is shown as display text: %s', (_, raw, shown) => {
    expect(appOf(raw)).toBe(shown);
  });

  it('the peer’s app name is bounded for display', () => {
    expect([...appOf('界'.repeat(MAX_APP_CHARS))]).toHaveLength(MAX_APP_DISPLAY_CHARS);
  });
});

describe('hello: the device name', () => {
  const nameOf = (name: unknown): string | undefined => {
    const r = parseControl(
      JSON.stringify({ v: 1, t: 'hello', app: 'Pigeon 0.1.0', features: ['chat'], name }),
    );
    if (!r.ok || r.value.t !== 'hello') throw new Error('hello refused');
    expect(r.value.features).toEqual(['chat']);
    return r.value.name;
  };

  it('is sent as display text, bounded, and left out when there is none', () => {
    expect(helloMessage('0.1.0', FEATURES, 'Pixel 8')).toEqual({
      v: 1,
      t: 'hello',
      app: '0.1.0',
      features: FEATURES,
      name: 'Pixel 8',
    });
    expect(helloMessage('0.1.0', FEATURES, '  Anna’s\n\u202Ephone ').name).toBe('Anna’s phone');
    expect([...(helloMessage('0.1.0', FEATURES, '界'.repeat(100)).name ?? '')]).toHaveLength(
      MAX_NAME_DISPLAY_CHARS,
    );
    expect(helloMessage('0.1.0', FEATURES, '\u200B ')).not.toHaveProperty('name');
    expect(helloMessage('0.1.0')).not.toHaveProperty('name');
  });

  it('round-trips', () => {
    const r = parseControl(encodeControl(helloMessage('Pigeon 0.1.0', ['chat'], 'Firefox on Linux')));
    expect(r.ok && r.value.t === 'hello' && r.value.name).toBe('Firefox on Linux');
  });

  it.each([
    ['bidi override', 'Pixel \u202E8 lexiP\u202C', 'Pixel 8 lexiP'],
    ['line breaks, tabs and controls', 'Pixel\n\t8\u0007', 'Pixel 8'],
    ['zero-widths and a pile of marks', `P\u200Bi${'\u0301'.repeat(30)}xel`, 'Pi\u0301\u0301xel'],
    ['markup, which stays text', '<img src=x onerror=alert(1)>', '<img src=x onerror=alert(1)>'],
  ])('the peer’s name is shown as display text: %s', (_, raw, shown) => {
    expect(nameOf(raw)).toBe(shown);
  });

  it('is bounded: at most 40 characters shown, and a longer raw field is dropped', () => {
    expect([...(nameOf('界'.repeat(MAX_NAME_DISPLAY_CHARS + 10)) ?? '')]).toHaveLength(
      MAX_NAME_DISPLAY_CHARS,
    );
    expect(nameOf('x'.repeat(MAX_NAME_CHARS))).toHaveLength(MAX_NAME_DISPLAY_CHARS);
    expect(nameOf('x'.repeat(MAX_NAME_CHARS + 1))).toBeUndefined();
  });

  it.each([
    ['a number', 8],
    ['an object', { toString: 'Pixel' }],
    ['an empty string', ''],
    ['only invisible characters', '\u202E\u200B'],
    ['null', null],
  ])('a name that is %s is left out, and the hello still counts', (_, name) => {
    expect(nameOf(name)).toBeUndefined();
  });

  it('an own "name" is read, an inherited one never', () => {
    const raw = '{"v":1,"t":"hello","app":"x","features":[],"__proto__":{"name":"Evil"}}';
    const r = parseControl(raw);
    expect(r.ok && r.value.t === 'hello' && r.value.name).toBeUndefined();
  });
});
