// Under "Connected to …": a device verified before ("Pixel 8 — verified before"), or a warning when the peer
// calls itself what a remembered device was called but shows another certificate. Names are set as text,
// isolated so a right-to-left one keeps its place.

import type { AppState } from '../../app/controller.ts';
import { h, replace } from '../dom.ts';
import { isolate } from '../i18n/index.ts';
import type { ScreenContext } from '../screen.ts';

export function trustNote(ctx: ScreenContext): { el: HTMLElement; update(state: AppState): void } {
  const el = h('p', { class: 'state', role: 'status', 'aria-live': 'polite', hidden: true });
  let key = '';
  return {
    el,
    update(state) {
      const peer = state.session.kind === 'connected' ? state.trust.peer : null;
      const next =
        peer?.kind === 'known'
          ? ctx.t('trust.known', { name: isolate(peer.device.name || ctx.t('remembered.unnamed')) })
          : peer?.kind === 'impostor'
            ? ctx.t('trust.impostor', { name: isolate(peer.name) })
            : '';
      if (next === key) return;
      key = next;
      el.hidden = next === '';
      el.className = `state trust-note ${peer?.kind === 'impostor' ? 'failed' : 'ok'}`;
      el.setAttribute('role', peer?.kind === 'impostor' ? 'alert' : 'status');
      replace(el, next);
    },
  };
}
