import type { AppState } from '../../app/controller.ts';
import { cleanDeviceName, MAX_DEVICE_NAME_CHARS } from '../../app/device-name.ts';
import { checkIceSettings, type IceSettingsError } from '../../app/settings.ts';
import { h, replace } from '../dom.ts';
import type { Screen, ScreenContext } from '../screen.ts';
import { rememberedSection } from './remembered.ts';

const PROBLEM = {
  'invalid-stun': 'settings.invalidUrl',
  'invalid-turn': 'settings.invalidTurn',
  'turn-needs-credentials': 'settings.turnNeedsCredentials',
  'relay-needs-turn': 'settings.relayNeedsTurn',
} as const satisfies Record<IceSettingsError, string>;

export function settingsScreen(state: AppState, ctx: ScreenContext): Screen {
  const { t, send } = ctx;
  // Empty means the default, which the field shows as its placeholder.
  const name = h('input', {
    id: 'device-name',
    type: 'text',
    value: state.settings.name,
    placeholder: state.defaultName,
    // UTF-16 units: room for 40 characters of any script; cleanDeviceName bounds the characters.
    maxlength: MAX_DEVICE_NAME_CHARS * 2,
    autocomplete: 'off',
  });
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
    h('label', { for: 'device-name' }, t('settings.name')),
    name,
    h('p', { class: 'muted' }, t('settings.nameHelp', { name: state.defaultName })),
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
      name: cleanDeviceName(name.value),
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
  // Settings is its own chunk (app-view.ts), the remembered devices' list in it.
  const section = rememberedSection(ctx);
  section.update(state);
  const update = (next: AppState) => section.update(next);
  return { el: h('div', { class: 'stack' }, form, section.el), update, dispose: section.dispose };
}
