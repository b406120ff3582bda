import { h } from '../dom.ts';
import { LOCALES, type Locale } from '../i18n/index.ts';
import type { ScreenContext } from '../screen.ts';

export function homeScreen({ t, send }: ScreenContext): HTMLElement {
  return h(
    'div',
    { class: 'home stack' },
    h('p', { class: 'tagline' }, t('app.tagline')),
    h(
      'button',
      {
        type: 'button',
        class: 'big primary',
        'data-testid': 'start',
        // Named by its word; the hint under it describes it.
        'aria-label': t('home.start'),
        'aria-describedby': 'start-hint',
        onclick: () => send({ type: 'start' }),
      },
      t('home.start'),
      h('small', { id: 'start-hint' }, t('home.startHint')),
    ),
    h(
      'button',
      {
        type: 'button',
        class: 'big',
        'data-testid': 'join',
        'aria-label': t('home.join'),
        'aria-describedby': 'join-hint',
        onclick: () => send({ type: 'join' }),
      },
      t('home.join'),
      h('small', { id: 'join-hint' }, t('home.joinHint')),
    ),
  );
}

/** This page was opened by a code's link, and the code went to the tab waiting for it (app/handoff.ts). */
export function handedOffScreen({ t, send }: ScreenContext): HTMLElement {
  return h(
    'div',
    { class: 'stack', 'data-testid': 'handed-off' },
    h('p', { role: 'status' }, t('handoff.done')),
    h('p', { class: 'muted' }, t('handoff.hint')),
    h(
      'button',
      {
        type: 'button',
        class: 'link',
        'data-testid': 'handed-off-home',
        onclick: () => send({ type: 'home' }),
      },
      t('handoff.home'),
    ),
  );
}

export function languagePicker(
  current: Locale,
  onPick: (l: Locale) => void,
  { t }: ScreenContext,
): HTMLElement {
  const select = h(
    'select',
    { 'aria-label': t('nav.language'), 'data-testid': 'language' },
    ...LOCALES.map((l) => h('option', { value: l.id, selected: l.id === current }, l.name)),
  );
  select.addEventListener('change', () => onPick(select.value as Locale));
  return select;
}
