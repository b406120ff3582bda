import type { AppState } from '../../app/controller.ts';
import { checkIceSettings, type IceSettingsError } from '../../app/settings.ts';
import { h, replace } from '../dom.ts';
import type { ScreenContext } from '../screen.ts';

const PROBLEM = {
  'invalid-stun': 'settings.invalidUrl',
  'invalid-turn': 'settings.invalidTurn',
  'turn-needs-credentials': 'settings.turnNeedsCredentials',
  'relay-needs-turn': 'settings.relayNeedsTurn',
} as const satisfies Record<IceSettingsError, string>;

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
  const field = (id: string, value: string, type = 'text') =>
    h('input', { id, type, value, autocomplete: 'off', spellcheck: 'false', 'data-testid': id });
  const turn = field('turn', state.settings.turn);
  turn.setAttribute('inputmode', 'url');
  const turnUser = field('turn-user', state.settings.turnUser);
  const turnCredential = field('turn-credential', state.settings.turnCredential, 'password');
  const relayOnly = h('input', { id: 'relay-only', type: 'checkbox', 'data-testid': 'relay-only' });
  relayOnly.checked = state.settings.relayOnly;
  const message = h('p', { role: 'status', 'aria-live': 'polite', 'data-testid': 'settings-message' });
  const form = h(
    'form',
    { class: 'stack' },
    h('h2', {}, t('settings.title')),
    h('label', { for: 'stun' }, t('settings.stun')),
    stun,
    h('p', { class: 'muted' }, t('settings.stunHelp')),
    h('label', { for: 'turn' }, t('settings.turn')),
    turn,
    h('p', { class: 'muted' }, t('settings.turnHelp')),
    h('label', { for: 'turn-user' }, t('settings.turnUser')),
    turnUser,
    h('label', { for: 'turn-credential' }, t('settings.turnCredential')),
    turnCredential,
    h('label', { class: 'check' }, relayOnly, ` ${t('settings.relayOnly')}`),
    h('button', { type: 'submit', class: 'primary', 'data-testid': 'save-settings' }, t('settings.save')),
    message,
  );
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const next = {
      ...state.settings,
      stun: stun.value.trim(),
      turn: turn.value.trim(),
      turnUser: turnUser.value,
      turnCredential: turnCredential.value,
      relayOnly: relayOnly.checked,
    };
    const problem = checkIceSettings(next);
    if (problem !== null) return replace(message, t(PROBLEM[problem]));
    send({ type: 'save-settings', settings: next });
    replace(message, t('settings.saved'));
  });
  return form;
}
