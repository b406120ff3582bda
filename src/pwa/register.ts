// The only owner of service-worker registration and of the update prompt. A new version waits until the
// person reloads through the prompt; the app hides the prompt while a connection is live, so an update never
// swaps code under a call — not even when another open page of the app applies it (only the page that asks
// reloads; the others keep running and offer the reload once they are free).

import { registerSW } from 'virtual:pwa-register';

export interface UpdateHandle {
  /** Called once a new version is installed and waiting. */
  onUpdateReady(listener: () => void): void;
  /** Activates the waiting version (unless another page already did) and reloads this page. */
  applyUpdate(): Promise<void>;
  /** Asks the server whether a new version exists (also done on every page load). */
  checkForUpdate(): Promise<void>;
}

export function registerServiceWorker(): UpdateHandle {
  const listeners: (() => void)[] = [];
  let ready = false;
  /** This page asked for the new version: it reloads as soon as that version takes control. */
  let applying = false;
  let registration: ServiceWorkerRegistration | undefined;
  const update = registerSW({
    immediate: true,
    onNeedRefresh() {
      ready = true;
      for (const l of listeners) l();
    },
    // The new version took control of every open page because one of them applied it. Only the page that asked
    // reloads (the library would reload them all): another may be in a call. It keeps offering the update.
    onNeedReload() {
      if (applying) window.location.reload();
    },
    onRegisteredSW(_url, reg) {
      registration = reg;
    },
  });
  return {
    onUpdateReady(listener) {
      listeners.push(listener);
      if (ready) listener();
    },
    applyUpdate: async () => {
      applying = true;
      const reg = registration ?? (await navigator.serviceWorker.getRegistration());
      // Another page already activated the new version, which controls this page too: only the reload is left.
      if (!reg?.waiting) {
        window.location.reload();
        return;
      }
      await update(true);
    },
    checkForUpdate: async () => {
      await registration?.update();
    },
  };
}
