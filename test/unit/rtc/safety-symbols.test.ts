// The safety words' symbol list (src/rtc/base/safety-symbols.ts): one symbol per 6-bit value, each told apart by
// sight and by name in either language.
import { describe, expect, it } from 'vitest';
import { SAFETY_SYMBOLS } from '../../../src/rtc/base/safety-symbols.ts';
import { SAS_SYMBOL_BITS } from '../../../src/rtc/base/sas.ts';

describe('safety symbols', () => {
  it('one per 6-bit value, all distinct as emoji, English names and Chinese names', () => {
    expect(SAFETY_SYMBOLS).toHaveLength(2 ** SAS_SYMBOL_BITS);
    for (const key of ['emoji', 'en', 'zh'] as const)
      expect(new Set(SAFETY_SYMBOLS.map((s) => s[key].toLowerCase())).size, key).toBe(SAFETY_SYMBOLS.length);
  });
  it('every Chinese name is Chinese, every English name plain letters', () => {
    for (const s of SAFETY_SYMBOLS) {
      expect(s.zh, s.en).toMatch(/^\p{Script=Han}+$/u);
      expect(s.en).toMatch(/^[A-Z][a-z]+(?: [a-z]+)?$/);
    }
  });
});
