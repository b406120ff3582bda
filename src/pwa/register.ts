// The only owner of service-worker registration and of the update prompt. A new version waits until the
// person reloads through the prompt; the app hides the prompt while a connection is live, so an update never
// swaps code under a call.

import { registerSW } from 'virtual:pwa-register';

export interface UpdateHandle {
  /** Called once a new version is installed and waiting. */
  onUpdateReady(listener: () => void): void;
  /** Activates the waiting version and reloads. */
  applyUpdate(): Promise<void>;
  /** Asks the server whether a new version exists (also done on every page load). */
  checkForUpdate(): Promise<void>;
}

export function registerServiceWorker(): UpdateHandle {
  const listeners: (() => void)[] = [];
  let ready = false;
  let registration: ServiceWorkerRegistration | undefined;
  const update = registerSW({
    immediate: true,
    onNeedRefresh() {
      ready = true;
      for (const l of listeners) l();
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
    applyUpdate: () => update(true),
    checkForUpdate: async () => {
      await registration?.update();
    },
  };
}
