import type { AppIntent, AppState } from '../app/controller.ts';
import type { ConnectionDetails } from '../rtc/index.ts';
import type { Locale, Translate } from './i18n/index.ts';

/** What every screen gets: the current state, a way to send intents, and the catalogue. */
export interface ScreenContext {
  readonly send: (intent: AppIntent) => void;
  readonly t: Translate;
  /** The language `t` speaks, for what is not a message (the safety symbols' names). English when absent. */
  readonly locale?: Locale;
  /** The connection details panel's numbers (getStats of the live connection). */
  readonly details?: () => Promise<ConnectionDetails | null>;
  /**
   * The chat text being written: kept when the screen changes under it (the connection dropping, say), with
   * the error about it the person already dealt with by changing the text.
   */
  readonly draft?: { value: string; dismissed?: unknown };
}

/** A mounted screen: patched in place while its key stays the same, disposed when it changes. */
export interface Screen {
  readonly el: HTMLElement;
  update(state: AppState): void;
  dispose(): void;
}

export const staticScreen = (el: HTMLElement): Screen => ({ el, update() {}, dispose() {} });

/**
 * A screen whose code is its own chunk, kept off the first load: an empty placeholder until it is in (a few
 * milliseconds from the cache), then the screen, given the latest state (null: none came yet, the first update
 * brings it). Disposed before it came, it never shows.
 */
export function lazyScreen(
  load: () => Promise<(state: AppState | null) => Screen>,
  state: AppState | null,
): Screen {
  const slot = document.createElement('div');
  let screen: Screen | null = null;
  let latest = state;
  let gone = false;
  void load().then((make) => {
    if (gone) return;
    const made = make(latest);
    screen = made;
    if (latest !== null) made.update(latest);
    slot.replaceWith(made.el);
  });
  return {
    get el() {
      return screen?.el ?? slot;
    },
    update(next) {
      latest = next;
      screen?.update(next);
    },
    dispose() {
      gone = true;
      screen?.dispose();
    },
  };
}
