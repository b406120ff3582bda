// Files shared from another app wait for the person: say so on every screen, with "Send" while connected and
// "Don't send" always. Nothing shared goes out by itself (any website can post to the share target).

import type { AppState } from '../app/controller.ts';
import { h, replace } from './dom.ts';
import type { ScreenContext } from './screen.ts';

export interface SharedNotice {
  readonly el: HTMLElement;
  update(state: AppState, ctx: ScreenContext): void;
}

export function sharedNotice(): SharedNotice {
  const text = h('span', { 'data-testid': 'shared-count' });
  const hint = h('span', { class: 'muted' });
  const sendButton = h('button', { type: 'button', class: 'primary' });
  const discard = h('button', { type: 'button', class: 'link', 'data-testid': 'shared-discard' });
  const el = h(
    'p',
    { class: 'shared-notice', role: 'status', 'data-testid': 'shared-notice', hidden: true },
    text,
    hint,
    sendButton,
    discard,
  );
  let send: ScreenContext['send'] = () => undefined;
  sendButton.addEventListener('click', () => send({ type: 'files', intent: { type: 'send-shared' } }));
  discard.addEventListener('click', () => send({ type: 'files', intent: { type: 'discard-shared' } }));
  return {
    el,
    update(state, ctx) {
      send = ctx.send;
      const count = state.files.waitingShared;
      el.hidden = count === 0;
      if (count === 0) return;
      const connected = state.session.kind === 'connected';
      replace(text, ctx.t(count === 1 ? 'files.sharedWaitingOne' : 'files.sharedWaiting', { count }));
      hint.hidden = connected;
      replace(hint, ctx.t('files.sharedConnect'));
      sendButton.hidden = !connected;
      replace(sendButton, ctx.t('files.sharedSend'));
      // The chat's own button is "Send" too: this one's name says what it sends.
      sendButton.setAttribute(
        'aria-label',
        ctx.t(count === 1 ? 'files.sharedSendNameOne' : 'files.sharedSendName', { count }),
      );
      replace(discard, ctx.t('files.sharedDiscard'));
    },
  };
}
