// Picks the language from the browser's list (or the person's choice) and fills {placeholders}. English is
// built in; every other catalogue is a lazy chunk, so a page downloads only the language it shows.

import { en, type MessageKey } from './en.ts';

export type Locale = 'en' | 'zh-CN';
export const LOCALES: readonly { readonly id: Locale; readonly name: string }[] = [
  { id: 'en', name: 'English' },
  { id: 'zh-CN', name: '简体中文' },
];
type Catalogue = Record<MessageKey, string>;
const LOADERS: Record<Locale, () => Promise<Catalogue>> = {
  en: () => Promise.resolve(en),
  'zh-CN': async () => (await import('./zh-CN.ts')).zhCN,
};
const loaded: Partial<Record<Locale, Catalogue>> = { en };

/**
 * Makes a language ready for `translator`. Resolves to the locale to use: the one asked for, or English when
 * its catalogue cannot be had (offline before the service worker cached it).
 */
export async function loadLocale(locale: Locale): Promise<Locale> {
  if (loaded[locale] !== undefined) return locale;
  try {
    loaded[locale] = await LOADERS[locale]();
    return locale;
  } catch {
    return 'en';
  }
}

export function pickLocale(languages: readonly string[], saved: string | null): Locale {
  if (saved === 'en' || saved === 'zh-CN') return saved;
  for (const lang of languages) {
    const l = lang.toLowerCase();
    if (l.startsWith('zh')) return 'zh-CN';
    if (l.startsWith('en')) return 'en';
  }
  return 'en';
}

export type Translate = (key: MessageKey, params?: Record<string, string | number>) => string;

/** Strings of a loaded language (`loadLocale` first); English for one not loaded. */
export function translator(locale: Locale): Translate {
  const cat = loaded[locale] ?? en;
  return (key, params = {}) => cat[key].replace(/\{(\w+)\}/g, (m, name: string) => String(params[name] ?? m));
}

/** A name from elsewhere (the peer's device name) as a message parameter: bidi-isolated (FSI … PDI), so a
 * right-to-left one keeps its place in the sentence. */
export const isolate = (text: string): string => `\u2068${text}\u2069`;

export type { MessageKey };
