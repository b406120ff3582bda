// The shell: a header (home, settings, language) and one screen at a time. A screen is rebuilt only when
// its key changes (so the camera, focus and typed text survive ordinary updates) and patched otherwise.

import type { AppState, Controller } from '../app/controller.ts';
import { h, keepingFocus, replace } from './dom.ts';
import { type Locale, loadLocale, translator } from './i18n/index.ts';
import { replacePrompt } from './replace-prompt.ts';
import { lazyScreen, type Screen, type ScreenContext } from './screen.ts';
import { handedOffScreen, homeScreen, languagePicker } from './screens/home.ts';
import { sessionKey, sessionScreen } from './screens/session.ts';
import { sharedNotice } from './shared-notice.ts';

export interface MountOptions {
  readonly locale: Locale;
  readonly onLocale: (l: Locale) => void;
}

export function mountApp(root: HTMLElement, controller: Controller, opts: MountOptions): () => void {
  let locale = opts.locale;
  let ctx: ScreenContext = {
    send: controller.dispatch,
    t: translator(locale),
    locale,
    details: controller.details,
    draft: { value: '' },
  };
  const header = h('header', { class: 'top' });
  const main = h('div', { class: 'screen' });
  const shared = sharedNotice();
  const asking = replacePrompt();
  replace(root, header, asking.el, shared.el, main);
  let key = '';
  let screen: Screen | null = null;

  function renderHeader(state: AppState): void {
    const { t, send } = ctx;
    document.documentElement.lang = locale;
    document.title = t('app.name');
    const home = state.view === 'home';
    replace(
      header,
      home
        ? h('h1', {}, t('app.name'))
        : h(
            'button',
            { type: 'button', class: 'link', 'data-testid': 'back', onclick: () => send({ type: 'home' }) },
            `← ${t('nav.back')}`,
          ),
      h('span', { class: 'spacer' }),
      languagePicker(
        locale,
        (wanted) => {
          // The choice is kept at once (a reload right after it must not lose it); the screen follows once
          // the language's strings are in.
          opts.onLocale(wanted);
          void loadLocale(wanted).then((l) => {
            locale = l;
            ctx = { ...ctx, t: translator(l), locale: l };
            key = '';
            render(controller.getState());
          });
        },
        ctx,
      ),
      state.view === 'settings'
        ? null
        : h(
            'button',
            {
              type: 'button',
              class: 'link',
              'data-testid': 'settings',
              onclick: () => send({ type: 'settings' }),
            },
            t('nav.settings'),
          ),
    );
  }

  function build(state: AppState): Screen {
    const plain = (el: HTMLElement): Screen => ({ el, update() {}, dispose() {} });
    if (state.view === 'home') return plain(homeScreen(ctx));
    // Settings is not on the way to a first connection: its own chunk.
    if (state.view === 'settings')
      return lazyScreen(
        () =>
          import('./screens/settings.ts').then(
            (m) => (s: AppState | null) => m.settingsScreen(s ?? state, ctx),
          ),
        state,
      );
    if (state.view === 'handed-off') return plain(handedOffScreen(ctx));
    return sessionScreen(state, ctx);
  }

  function render(state: AppState): void {
    const own = state.view === 'home' || state.view === 'settings' || state.view === 'handed-off';
    const next = own ? state.view : sessionKey(state);
    if (next !== key) {
      key = next;
      keepingFocus(main, () => {
        screen?.dispose();
        screen = build(state);
        renderHeader(state);
        replace(main, screen.el);
      });
      main.dataset.screen = next.split(':').slice(0, 2).join(':');
    }
    screen?.update(state);
    shared.update(state, ctx);
    asking.update(state, ctx);
  }

  const unsubscribe = controller.subscribe(render);
  render(controller.getState());
  return () => {
    unsubscribe();
    screen?.dispose();
  };
}
