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
