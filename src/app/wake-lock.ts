// Keeps the screen on while a code waits to be read (offer or answer shown): a phone that dims and locks in the
// middle of an exchange loses it. Screen Wake Lock where the browser has it (secure contexts); elsewhere nothing.
// The browser drops the lock whenever the page is hidden, so it is taken again when the page comes back.

import type { AppState } from './controller.ts';

/** The part of WakeLockSentinel used here. */
export interface WakeLockSentinelLike {
  release(): Promise<void>;
}

/** The part of navigator.wakeLock used here. */
export interface WakeLockLike {
  request(type: 'screen'): Promise<WakeLockSentinelLike>;
}

/** The part of `document` used here. */
export interface VisibilityLike {
  readonly visibilityState: DocumentVisibilityState;
  addEventListener(type: 'visibilitychange', listener: () => void, options: { signal: AbortSignal }): void;
}

export interface ScreenWake {
  /** Whether the screen should stay on now; called on every app state change (repeats are cheap). */
  want(on: boolean): void;
  /** Releases the lock and stops listening. */
  dispose(): void;
}

/** A code is on screen and the other device has yet to read it. */
export function codeWaiting(state: AppState): boolean {
  const kind = state.session.kind;
  return state.code !== null && (kind === 'offer-ready' || kind === 'answer-ready');
}

/** `wakeLock` undefined (no API, or an insecure page): every call does nothing. */
export function screenWake(wakeLock: WakeLockLike | undefined, page: VisibilityLike): ScreenWake {
  const stop = new AbortController();
  let wanted = false;
  let held: WakeLockSentinelLike | null = null;
  let requesting = false;

  const release = (): void => {
    const sentinel = held;
    held = null;
    // One the browser released already (page hidden) may say so: nothing to report.
    sentinel?.release().catch(() => undefined);
  };

  const sync = (): void => {
    if (wakeLock === undefined || stop.signal.aborted) return;
    const should = wanted && page.visibilityState === 'visible';
    if (!should) {
      release();
      return;
    }
    if (held !== null || requesting) return;
    requesting = true;
    wakeLock.request('screen').then(
      (sentinel) => {
        requesting = false;
        held = sentinel;
        // Things may have changed while the browser granted it.
        sync();
      },
      () => {
        // Refused (battery saver, a permissions policy, the page hidden meanwhile): the code still works.
        requesting = false;
      },
    );
  };

  // Hidden: the browser has released the lock already; releasing ours too forgets it, so it is taken again
  // when the page is visible and a code still waits.
  page.addEventListener('visibilitychange', sync, { signal: stop.signal });

  return {
    want(on) {
      wanted = on;
      sync();
    },
    dispose() {
      wanted = false;
      sync();
      stop.abort();
    },
  };
}
