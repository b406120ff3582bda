// Start and Join: every session state gets its own screen, so the person always sees where things stand.

import type { AppState } from '../../app/controller.ts';
import { h } from '../dom.ts';
import { isolate, type MessageKey } from '../i18n/index.ts';
import { lazyScreen, type Screen, type ScreenContext } from '../screen.ts';
import { callSlot } from './call-slot.ts';
import { chatLog, chatScreen, conversation } from './chat.ts';
import { codePanel } from './code-panel.ts';
import { filesPanel } from './files.ts';
import { type InputPanelOptions, inputPanel } from './input-panel.ts';
import { reconnectPanel, withLivePanels } from './live.ts';
import { trustNote } from './trust-note.ts';

const status = (text: string, kind = 'status') =>
  h('p', { class: `state ${kind}`, role: 'status', 'aria-live': 'polite', 'data-testid': 'state' }, text);

const busy = (text: string) =>
  h('div', { class: 'busy' }, h('span', { class: 'spinner', 'aria-hidden': 'true' }), status(text));

/** A screen with a code input whose error line follows the app state. */
function withInput(
  ctx: ScreenContext,
  heading: string,
  opts: InputPanelOptions,
  ...before: HTMLElement[]
): Screen {
  const input = inputPanel(heading, ctx, opts);
  const el = h('div', { class: 'stack' }, ...before, input.el);
  return { el, update: (s) => input.showError(s.inputError), dispose: input.dispose };
}

/** The live chat screen: the first link's session connected, or a group going on without it. */
function liveScreen(state: AppState, ctx: ScreenContext): Screen {
  const { t } = ctx;
  const header = status('', 'ok');
  const inner = withLivePanels(chatScreen(header, ctx), header, ctx);
  const trust = trustNote(ctx);
  // The roster and "Add a device" are the group's code: loaded once connected.
  const group = lazyScreen(() => import('./group.ts').then((m) => () => m.groupPanel(ctx)), state);
  // The group's call: one call with every member (its own chunk, as the pair's call panel).
  const call = lazyScreen(() => import('./group-call.ts').then((m) => () => m.groupCallPanel(ctx)), state);
  header.after(trust.el, call.el, group.el);
  // The peer's hello arrives after the screen is built: the header follows it.
  const screen: Screen = {
    ...inner,
    update(next) {
      const peer = next.session.kind === 'connected' ? next.session.peer : null;
      // The peer's device name, else its app: display text already (rtc/control.ts), set as text, and
      // isolated so a right-to-left one keeps its place.
      const shown = peer?.name ?? peer?.app;
      const linked = next.group.members.filter((m) => m.link === 'up').length;
      // In a group the first peer is one of several: the header counts them (the roster names them).
      // In a group the group's call takes the pair's call panel's place.
      inner.el.classList.toggle('in-group', next.group.active);
      if (next.group.active)
        header.textContent = linked === 1 ? t('group.headerOne') : t('group.header', { count: linked });
      else
        header.textContent = shown ? t('state.connectedPeer', { app: isolate(shown) }) : t('state.connected');
      trust.update(next);
      inner.update(next);
      call.update(next);
      group.update(next);
    },
    dispose() {
      call.dispose();
      group.dispose();
      inner.dispose();
    },
  };
  screen.update(state);
  return screen;
}

/**
 * The first link's session ended while other members of the group are still linked: the group carries on, on
 * the same screen (its roster shows that member gone).
 */
const groupCarriesOn = (s: AppState): boolean =>
  s.session.kind === 'closed' && s.group.active && s.group.members.some((m) => m.link === 'up');

export function sessionKey(s: AppState): string {
  const { session } = s;
  if (groupCarriesOn(s)) return `${s.view}:connected::${s.code?.text ?? ''}`;
  // A closed screen says why, and offers what fits (the peer went quiet, or this connection is gone): a new
  // reason is a new screen.
  const why = session.kind === 'closed' ? `${session.reason}${session.resume ? '+resume' : ''}` : '';
  return `${s.view}:${session.kind}:${why}:${s.code?.text ?? ''}`;
}

export function sessionScreen(state: AppState, ctx: ScreenContext): Screen {
  const { t, send } = ctx;
  const s = state.session;
  const again = (key: MessageKey = 'action.newSession') =>
    h(
      'button',
      {
        type: 'button',
        class: 'primary',
        'data-testid': 'new-session',
        onclick: () => send({ type: state.view === 'join' ? 'join' : 'start' }),
      },
      t(key),
    );
  switch (s.kind) {
    case 'idle':
      return withInput(ctx, t('state.joinPrompt'), {});
    case 'gathering':
      return { el: busy(t('state.gathering')), update() {}, dispose() {} };
    case 'offer-ready':
      return withInput(
        ctx,
        t('state.takeAnswer'),
        {},
        status(t(s.chat === undefined ? 'state.offerReady' : 'reconnect.newOffer')),
        ...(state.code ? [codePanel(state.code, state.link, ctx)] : []),
        h('p', { class: 'muted' }, t('state.readyFor')),
      );
    case 'answer-ready':
      // The next step is the other device's. Only if the starter had to make a fresh code (its browser gave up
      // waiting) is there something to read here: folded away, second.
      return withInput(
        ctx,
        t('state.newCodeHint'),
        { secondary: true },
        status(t(s.chat === undefined ? 'state.answerReady' : 'reconnect.answerHint')),
        ...(state.code ? [codePanel(state.code, state.link, ctx)] : []),
        // How long it waits is the browsers' (a Chromium answerer waits on, a Firefox pair may not): no number.
        ...(s.chat === undefined ? [h('p', { class: 'muted' }, t('state.answerWaits'))] : []),
      );
    case 'connecting':
      return { el: busy(t('state.connecting')), update() {}, dispose() {} };
    case 'connected':
      return liveScreen(state, ctx);
    case 'closed': {
      if (groupCarriesOn(state)) return liveScreen(state, ctx);
      // What arrived stays saveable after the session ended; nothing new is offered from here.
      const files = filesPanel(ctx, { live: false });
      // The peer went quiet but the connection is held, or this device's connection is gone: reconnect codes
      // carry this conversation on.
      // Until then the person can keep writing: it goes out once the session is carried on.
      const lost = s.resume === undefined && s.reason === 'connection-lost';
      const carriable = s.resume !== undefined || lost;
      const reconnect = carriable ? reconnectPanel(ctx, lost) : null;
      const talk = carriable ? conversation(ctx) : null;
      const call = s.resume === undefined ? null : callSlot(ctx);
      const el = h(
        'div',
        { class: 'stack' },
        status(t(`closed.${s.reason}`), 'closed'),
        call?.el,
        talk?.el ?? chatLog(s.chat, ctx),
        files.el,
        reconnect?.el,
        again(),
      );
      const update = (next: AppState) => {
        talk?.update(next);
        call?.update(next);
        reconnect?.update(next);
        files.update(next);
      };
      update(state);
      return {
        el,
        update,
        dispose: () => {
          reconnect?.dispose();
          call?.dispose();
          files.dispose();
        },
      };
    }
    case 'failed': {
      const fresh = s.reason === 'late-answer-expired';
      return {
        el: h(
          'div',
          { class: 'stack' },
          status(t(`failed.${s.reason}`, { detail: s.detail }), 'failed'),
          again(fresh ? 'action.fresh' : 'action.newSession'),
        ),
        update() {},
        dispose() {},
      };
    }
  }
}
