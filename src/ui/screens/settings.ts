import type { AppState } from '../../app/controller.ts';
import { validStun } from '../../app/settings.ts';
import { h, replace } from '../dom.ts';
import type { ScreenContext } from '../screen.ts';

export function settingsScreen(state: AppState, { t, send }: ScreenContext): HTMLElement {
  const stun = h('input', {
    id: 'stun',
    type: 'text',
    value: state.settings.stun,
    inputmode: 'url',
    autocomplete: 'off',
    spellcheck: 'false',
    'data-testid': 'stun',
  });
  const message = h('p', { role: 'status', 'aria-live': 'polite', 'data-testid': 'settings-message' });
  const form = h(
    'form',
    { class: 'stack' },
    h('h2', {}, t('settings.title')),
    h('label', { for: 'stun' }, t('settings.stun')),
    stun,
    h('p', { class: 'muted' }, t('settings.stunHelp')),
    h('button', { type: 'submit', class: 'primary', 'data-testid': 'save-settings' }, t('settings.save')),
    message,
  );
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const url = stun.value.trim();
    if (!validStun(url)) return replace(message, t('settings.invalidUrl'));
    send({ type: 'save-settings', settings: { ...state.settings, stun: url } });
    replace(message, t('settings.saved'));
  });
  return form;
}
