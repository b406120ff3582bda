// "New version — Reload", shown only while no exchange or connection is under way: reloading then would
// end the call, or drop a code the other device is about to read.

import type { AppState } from '../app/controller.ts';
import { h } from './dom.ts';
import type { Translate } from './i18n/index.ts';

const LIVE: ReadonlySet<AppState['session']['kind']> = new Set([
  'gathering',
  'offer-ready',
  'answer-ready',
  'connecting',
  'connected',
]);

export interface UpdateBanner {
  readonly el: HTMLElement;
  /** A new version is waiting. */
  offer(): void;
  update(state: AppState): void;
}

export function updateBanner(t: () => Translate, reload: () => void): UpdateBanner {
  let waiting = false;
  let dismissed = false;
  let live = false;
  const text = h('span', {});
  const reloadButton = h('button', {
    type: 'button',
    class: 'primary',
    'data-testid': 'update-reload',
    onclick: reload,
  });
  const later = h('button', { type: 'button', class: 'link', onclick: dismiss });
  function dismiss(): void {
    dismissed = true;
    sync();
  }
  const el = h(
    'div',
    { class: 'update-banner', role: 'status', 'data-testid': 'update-banner', hidden: true },
    text,
    reloadButton,
    later,
  );
  function sync(): void {
    text.textContent = t()('update.available');
    reloadButton.textContent = t()('update.reload');
    later.textContent = t()('update.later');
    el.hidden = !waiting || dismissed || live;
  }
  return {
    el,
    offer() {
      waiting = true;
      sync();
    },
    update(state) {
      live = LIVE.has(state.session.kind);
      sync();
    },
  };
}
