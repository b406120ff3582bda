// A code for a new conversation arrived while one is live (app/controller.ts confirmReplace): ask before the
// live one ends. Shown above every screen, so a link opened into a window mid-chat is answered where it lands.

import type { AppState } from '../app/controller.ts';
import { h, replace } from './dom.ts';
import type { ScreenContext } from './screen.ts';

export interface ReplacePrompt {
  readonly el: HTMLElement;
  update(state: AppState, ctx: ScreenContext): void;
}

export function replacePrompt(): ReplacePrompt {
  const question = h('strong', { id: 'replace-question' });
  const hint = h('span', { class: 'muted' });
  const yes = h('button', { type: 'button', class: 'danger' });
  const keep = h('button', { type: 'button', class: 'primary' });
  const el = h(
    'div',
    { class: 'replace-prompt', role: 'alertdialog', 'aria-labelledby': 'replace-question', hidden: true },
    question,
    hint,
    h('span', { class: 'actions' }, keep, yes),
  );
  let send: ScreenContext['send'] = () => undefined;
  yes.addEventListener('click', () => send({ type: 'replace-session' }));
  keep.addEventListener('click', () => send({ type: 'keep-session' }));
  let shown = false;
  return {
    el,
    update(state, ctx) {
      send = ctx.send;
      el.hidden = !state.confirmReplace;
      replace(question, ctx.t('replace.question'));
      replace(hint, ctx.t('replace.hint'));
      replace(yes, ctx.t('replace.replace'));
      replace(keep, ctx.t('replace.keep'));
      // Keep is where the focus lands: the safe answer, one key away.
      if (state.confirmReplace && !shown) keep.focus();
      shown = state.confirmReplace;
    },
  };
}
