// Files shared from another app wait for a connection: say so on every screen, and let the person drop them.

import type { AppState } from '../app/controller.ts';
import { h, replace } from './dom.ts';
import type { ScreenContext } from './screen.ts';

export interface SharedNotice {
  readonly el: HTMLElement;
  update(state: AppState, ctx: ScreenContext): void;
}

export function sharedNotice(): SharedNotice {
  const text = h('span', { 'data-testid': 'shared-count' });
  const discard = h('button', { type: 'button', class: 'link', 'data-testid': 'shared-discard' });
  const el = h(
    'p',
    { class: 'shared-notice', role: 'status', 'data-testid': 'shared-notice', hidden: true },
    text,
    discard,
  );
  let send: ScreenContext['send'] = () => undefined;
  discard.addEventListener('click', () => send({ type: 'files', intent: { type: 'discard-shared' } }));
  return {
    el,
    update(state, ctx) {
      send = ctx.send;
      const count = state.files.waitingShared;
      el.hidden = count === 0;
      if (count === 0) return;
      replace(text, ctx.t(count === 1 ? 'files.sharedWaitingOne' : 'files.sharedWaiting', { count }));
      replace(discard, ctx.t('files.sharedDiscard'));
    },
  };
}
