// What a live session adds around the chat: the link banner, the call panel and the details panel; and, when the
// peer went quiet, the reconnect panel (make a reconnect code, or read the other device's) under the chat log.

import type { AppState } from '../../app/controller.ts';
import { h, replace } from '../dom.ts';
import { lazyScreen, type Screen, type ScreenContext } from '../screen.ts';
import { callSlot } from './call-slot.ts';
import { codePanel } from './code-panel.ts';
import { inputPanel } from './input-panel.ts';
import { safetySlot } from './safety-slot.ts';

/**
 * The chat screen with the link banner and the call panel under its header ("Connected to …"), above the log,
 * and the details below; all patched in place.
 */
export function withLivePanels(chat: Screen, header: HTMLElement, ctx: ScreenContext): Screen {
  const banner = h('p', {
    class: 'state',
    role: 'status',
    'aria-live': 'polite',
    'data-testid': 'link-state',
  });
  const call = callSlot(ctx);
  // Opened by a tap, updated from getStats: its own chunk, loaded once connected.
  const details = lazyScreen(() => import('./details.ts').then((m) => () => m.detailsPanel(ctx)), null);
  const safety = safetySlot(ctx);
  header.after(banner, safety.el, call.el);
  chat.el.append(details.el);
  return {
    el: chat.el,
    update(state: AppState) {
      chat.update(state);
      const link = state.session.kind === 'connected' ? state.session.live.link : 'up';
      banner.hidden = link === 'up';
      banner.dataset.link = link;
      replace(banner, link === 'up' ? '' : ctx.t('link.unstable'));
      safety.update(state);
      call.update(state);
      details.update(state);
    },
    dispose() {
      call.dispose();
      details.dispose();
      chat.dispose();
    },
  };
}

/**
 * Under a resumable 'peer gone' notice: reconnect by codes, keeping the session (chat, call). Under
 * 'connection lost' (this device's connection is gone): either device makes a new connection's code.
 */
export function reconnectPanel(ctx: ScreenContext, lost: boolean): Screen {
  const { t, send } = ctx;
  const shown = h('div', { class: 'stack', 'data-testid': 'reconnect-code' });
  const input = inputPanel(t('reconnect.read'), ctx);
  const make = h(
    'button',
    {
      type: 'button',
      class: 'primary',
      'data-testid': 'make-reconnect',
      onclick: () => send({ type: 'session', intent: { type: 'make-reconnect-code' } }),
    },
    t('reconnect.make'),
  );
  // Reconnect codes are restart offers, which the Joiner makes (see rtc/inband/negotiation.ts); the Starter reads them.
  const starterHint = h('p', { 'data-testid': 'reconnect-starter-hint' }, t('reconnect.starterHint'));
  // The fallback either device can take: a new connection that carries the session on (chat, call, files).
  const makeNew = h(
    'button',
    {
      type: 'button',
      'data-testid': 'make-new-connection',
      onclick: () => send({ type: 'session', intent: { type: 'make-new-connection-code' } }),
    },
    t('reconnect.makeNew'),
  );
  const newHint = h('p', { class: 'muted' }, t('reconnect.newHint'));
  const el = h(
    'section',
    { class: 'stack reconnect', 'data-testid': 'reconnect' },
    h('p', {}, t(lost ? 'reconnect.explainLost' : 'reconnect.explain')),
    make,
    starterHint,
    newHint,
    makeNew,
    shown,
    input.el,
  );
  let code = '';
  return {
    el,
    update(state: AppState) {
      input.showError(state.inputError);
      const joiner = state.session.kind === 'closed' && state.session.resume?.role === 'answerer';
      make.hidden = !(joiner || lost);
      starterHint.hidden = joiner || lost;
      // Lost: the reconnect code already is a new connection's.
      makeNew.hidden = lost;
      newHint.hidden = lost;
      const next = state.reconnect?.code.text ?? '';
      if (next === code) return;
      code = next;
      const r = state.reconnect;
      if (r === null) return replace(shown);
      const neg = state.session.kind === 'closed' ? state.session.resume?.live.neg : undefined;
      const hint = neg?.code?.kind === 'answer' ? t('reconnect.answerHint') : t('reconnect.offerHint');
      replace(shown, h('p', { role: 'status' }, hint), codePanel(r.code, r.link, ctx));
    },
    dispose: input.dispose,
  };
}
