// The catalogues: English and Simplified Chinese carry the same keys, every Chinese string is translated,
// placeholders survive translation, nothing is empty; and the language choice and placeholder filling.
import { describe, expect, it } from 'vitest';
import { en } from '../../src/ui/i18n/en.ts';
import { LOCALES, loadLocale, pickLocale, translator } from '../../src/ui/i18n/index.ts';
import { zhCN } from '../../src/ui/i18n/zh-CN.ts';

/** Keys whose Chinese text may equal the English one (brand names, units). Empty: everything is translated. */
const SAME_IN_BOTH: ReadonlySet<string> = new Set<string>([]);

const CATALOGUES: Readonly<Record<string, Readonly<Record<string, string>>>> = { en, 'zh-CN': zhCN };
const placeholders = (s: string): string[] => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1] ?? '').sort();

describe('catalogues', () => {
  it('en and zh-CN have exactly the same keys', () => {
    expect(Object.keys(zhCN).sort()).toEqual(Object.keys(en).sort());
  });

  it('every zh-CN string differs from the English one (outside the allow-list)', () => {
    const untranslated = Object.entries(en)
      .filter(([key, text]) => !SAME_IN_BOTH.has(key) && zhCN[key as keyof typeof en] === text)
      .map(([key]) => key);
    expect(untranslated).toEqual([]);
    // The allow-list names only keys that exist and really are the same.
    for (const key of SAME_IN_BOTH)
      expect(zhCN[key as keyof typeof en], key).toBe(en[key as keyof typeof en]);
  });

  it('every zh-CN string is Chinese: it holds at least one CJK character', () => {
    const notChinese = Object.entries(zhCN)
      .filter(([key, text]) => !SAME_IN_BOTH.has(key) && !/\p{Script=Han}/u.test(text))
      .map(([key]) => key);
    expect(notChinese).toEqual([]);
  });

  it('the Chinese string has the same {placeholders} as the English one', () => {
    for (const [key, text] of Object.entries(en)) {
      expect(placeholders(zhCN[key as keyof typeof en]), key).toEqual(placeholders(text));
    }
  });

  it('no value is empty or only blank, in any catalogue', () => {
    for (const [locale, cat] of Object.entries(CATALOGUES)) {
      for (const [key, text] of Object.entries(cat)) expect(text.trim(), `${locale} ${key}`).not.toBe('');
    }
  });

  it('every locale the picker offers has a catalogue', () => {
    expect(LOCALES.map((l) => l.id).sort()).toEqual(Object.keys(CATALOGUES).sort());
  });
});

describe('pickLocale', () => {
  it('follows the browser languages in order, Chinese variants to zh-CN', () => {
    expect(pickLocale(['zh-CN', 'en-US'], null)).toBe('zh-CN');
    expect(pickLocale(['zh'], null)).toBe('zh-CN');
    expect(pickLocale(['en-GB', 'zh-CN'], null)).toBe('en');
    expect(pickLocale(['de-DE', 'zh-CN'], null)).toBe('zh-CN');
  });

  it('falls back to English', () => {
    expect(pickLocale([], null)).toBe('en');
    expect(pickLocale(['fr-FR', 'de'], null)).toBe('en');
  });

  it("the person's saved choice wins over the browser; an unknown saved value is ignored", () => {
    expect(pickLocale(['zh-CN'], 'en')).toBe('en');
    expect(pickLocale(['en-US'], 'zh-CN')).toBe('zh-CN');
    expect(pickLocale(['zh-CN'], 'klingon')).toBe('zh-CN');
  });
});

describe('translator', () => {
  it('fills placeholders in either language; Chinese once loaded, English until then', async () => {
    expect(translator('en')('code.length', { n: 42 })).toBe('42 characters');
    const early = translator('zh-CN');
    expect(early('home.start')).toBe(en['home.start']);
    await loadLocale('zh-CN');
    // A translator made before the catalogue arrived speaks Chinese from then on.
    expect(early('home.start')).toBe('发起');
    expect(translator('zh-CN')('code.length', { n: 42 })).toBe('42 个字符');
    expect(translator('zh-CN')('home.start')).toBe('发起');
  });

  it('leaves a placeholder visible when its value is missing, rather than printing "undefined"', () => {
    expect(translator('en')('chat.tooLong')).toBe(en['chat.tooLong']);
  });
});
