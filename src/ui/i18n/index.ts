// Picks the language from the browser's list (or the person's choice) and fills {placeholders}.

import { en, type MessageKey } from './en.ts';

export type Locale = 'en' | 'zh-CN';
export const LOCALES: readonly { readonly id: Locale; readonly name: string }[] = [
  { id: 'en', name: 'English' },
  { id: 'zh-CN', name: '简体中文' },
];
/**
 * English is always there; Chinese is loaded when it is chosen (loadLocale), since its text alone is several KB
 * of the first load (budget: scripts/size.ts). A translator asked for before then speaks English.
 */
const CATALOGUES: Partial<Record<Locale, Record<MessageKey, string>>> = { en };

export async function loadLocale(locale: Locale): Promise<void> {
  if (CATALOGUES[locale] !== undefined) return;
  if (locale === 'zh-CN') CATALOGUES['zh-CN'] = (await import('./zh-CN.ts')).zhCN;
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

export function translator(locale: Locale): Translate {
  return (key, params = {}) =>
    (CATALOGUES[locale] ?? en)[key].replace(/\{(\w+)\}/g, (m, name: string) => String(params[name] ?? m));
}

export type { MessageKey };
