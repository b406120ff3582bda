// Picks the language from the browser's list (or the person's choice) and fills {placeholders}.

import { en, type MessageKey } from './en.ts';
import { zhCN } from './zh-CN.ts';

export type Locale = 'en' | 'zh-CN';
export const LOCALES: readonly { readonly id: Locale; readonly name: string }[] = [
  { id: 'en', name: 'English' },
  { id: 'zh-CN', name: '简体中文' },
];
const CATALOGUES: Record<Locale, Record<MessageKey, string>> = { en, 'zh-CN': zhCN };

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
  const cat = CATALOGUES[locale];
  return (key, params = {}) => cat[key].replace(/\{(\w+)\}/g, (m, name: string) => String(params[name] ?? m));
}

export type { MessageKey };
