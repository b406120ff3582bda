// Where the safety words go on the live screen: the region ("Safety words") is there from the start; what fills
// it (screens/safety.ts and its 64 symbols with names in two languages) is loaded the first time a session is
// connected, which keeps it out of the first load (budget: scripts/size.ts).

import type { AppState } from '../../app/controller.ts';
import { h } from '../dom.ts';
import type { ScreenContext } from '../screen.ts';

export interface Panel {
  readonly el: HTMLElement;
  update(state: AppState): void;
}

export function safetySlot(ctx: ScreenContext): Panel {
  const el = h('section', { class: 'panel safety', 'aria-label': ctx.t('safety.title') });
  el.hidden = true;
  let panel: Panel | null = null;
  let loading = false;
  let latest: AppState | null = null;
  return {
    el,
    update(state) {
      latest = state;
      if (panel !== null) return panel.update(state);
      if (loading || state.session.kind !== 'connected') return;
      loading = true;
      void import('./safety.ts').then(({ safetyPanel }) => {
        panel = safetyPanel(ctx, el);
        if (latest !== null) panel.update(latest);
      });
    },
  };
}
