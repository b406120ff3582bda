// The safety words of a connected session (docs/safety-words.md): the symbols both devices derive, a one-line
// hint, and "They match" / "They differ". Renders the session's SasState; the reducer does the rest. Loaded
// with its symbol list once a session connects (safety-slot.ts), to keep them out of the first load.

import { SAFETY_SYMBOLS, type SasState } from '../../rtc/index.ts';
import { append, h, replace } from '../dom.ts';
import type { ScreenContext } from '../screen.ts';
import type { Panel } from './safety-slot.ts';

/** Fills `el`, the region the slot put on screen (its accessible name is set there). */
export function safetyPanel(ctx: ScreenContext, el: HTMLElement): Panel {
  const { t, send } = ctx;
  const zh = ctx.locale === 'zh-CN';
  const words = h('ol', { class: 'safety-words' });
  const note = h('p', { class: 'hint', role: 'status' });
  const match = h(
    'button',
    { type: 'button', onclick: () => send({ type: 'session', intent: { type: 'sas-match' } }) },
    t('safety.match'),
  );
  const differ = h(
    'button',
    {
      type: 'button',
      class: 'danger',
      onclick: () => send({ type: 'session', intent: { type: 'sas-differ' } }),
    },
    t('safety.differ'),
  );
  const buttons = h('div', { class: 'row' }, match, differ);
  append(el, [h('h2', { class: 'safety-title' }, t('safety.title')), words, note, buttons]);
  let shown: SasState | null = null;
  let confirmed = false;
  let before = false;
  let inGroup = false;
  return {
    el,
    update(state) {
      const sas = state.session.kind === 'connected' ? state.session.sas : null;
      const local = state.session.kind === 'connected' && state.session.verified !== null;
      // A device verified before (app/trust.ts) needs no comparing; its words stay readable for the other
      // person, whose device may have forgotten this one.
      const known = state.trust.peer?.kind === 'known';
      // In a group the roster shows every link's words with its own buttons, this link's among them.
      const group = state.group.active;
      if (sas === shown && local === confirmed && known === before && group === inGroup) return;
      shown = sas;
      confirmed = local;
      before = known;
      inGroup = group;
      el.hidden = sas === null || group;
      const symbols = sas?.kind === 'shown' ? sas.symbols : [];
      replace(
        words,
        ...symbols.map((i) => {
          const s = SAFETY_SYMBOLS[i];
          return h('li', {}, h('span', { 'aria-hidden': 'true' }, s?.emoji ?? '?'), ' ', zh ? s?.zh : s?.en);
        }),
      );
      words.hidden = symbols.length === 0;
      buttons.hidden = !(sas?.kind === 'shown' && !local);
      // Nothing to confirm for a device verified before; ending the session stays possible.
      match.hidden = known;
      replace(
        note,
        known && sas?.kind === 'shown' && !local ? t('safety.knownBefore') : noteFor(sas, local, t),
      );
    },
  };
}

/** local: this device's person said they match. */
function noteFor(sas: SasState | null, local: boolean, t: ScreenContext['t']): string {
  if (sas === null) return '';
  switch (sas.kind) {
    case 'unverifiable':
      return t('safety.unverifiable');
    case 'waiting':
      return t('safety.waiting');
    case 'shown':
      if (local && sas.remote) return t('safety.verified');
      if (local) return t('safety.waitingPeer');
      return sas.remote ? `${t('safety.hint')} ${t('safety.peerMatched')}` : t('safety.hint');
  }
}
