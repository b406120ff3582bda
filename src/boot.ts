// Boot: settings, language, the controller, the UI; then deep links and the service worker. Started by main.ts
// only in a top-level page.

import { createController } from './app/controller.ts';
import { defaultDeviceName } from './app/device-name.ts';
import { HANDOFF_CHANNEL, handOff, serveHandoffs } from './app/handoff.ts';
import { helloApp } from './app/hello.ts';
import { codeOfLaunch, type LaunchQueue, takeLaunches } from './app/launch.ts';
import { loadSettings, saveSettings } from './app/settings.ts';
import { takeSharedFiles, withoutShareMarker } from './app/shared-files.ts';
import { codeWaiting, screenWake } from './app/wake-lock.ts';
import { registerServiceWorker } from './pwa/register.ts';
import { mountApp } from './ui/app-view.ts';
import { loadLocale, pickLocale, translator } from './ui/i18n/index.ts';
import { updateBanner } from './ui/update-banner.ts';

export async function boot(): Promise<void> {
  const storage = (() => {
    try {
      return window.localStorage;
    } catch {
      return null;
    }
  })();
  let settings = loadSettings(storage);
  const root = document.getElementById('app');
  if (!root) throw new Error('index.html has no #app');

  // Opened by a share from another app (public/share-target.js): the marker leaves the address bar first, so no
  // link this page makes carries it.
  const unmarked = withoutShareMarker(location.href);
  if (unmarked !== null) history.replaceState(null, '', unmarked);
  /** The code this page was opened with, if any (its launch, for an installed app, is skipped: launch.ts). */
  const openingCode = codeOfLaunch(location.href);
  const linkBase = location.href.split('#')[0] ?? location.href;
  const controller = createController({
    RTCPeerConnection: window.RTCPeerConnection,
    appVersion: helloApp(__APP_VERSION__),
    linkBase,
    relayHook: testRelayHook,
    settings,
    defaultName: defaultDeviceName(navigator),
    // Lazy: IndexedDB and idb-keyval load when a session or Settings first needs them.
    deviceStore: () => import('./app/device-store.ts').then((m) => m.browserDeviceStore()),
    onSettings: (s) => {
      settings = s;
      saveSettings(storage, s);
    },
  });

  // Only the language shown is downloaded; the first screen waits for it (one small chunk, cached offline).
  let locale = await loadLocale(pickLocale(navigator.languages ?? [navigator.language], settings.locale));
  mountApp(root, controller, {
    locale,
    onLocale: (l) => {
      locale = l;
      controller.dispatch({ type: 'save-settings', settings: { ...settings, locale: l } });
    },
  });

  // The screen stays on while a code waits to be read.
  const wake = screenWake('wakeLock' in navigator ? navigator.wakeLock : undefined, document);
  controller.subscribe((s) => wake.want(codeWaiting(s)));

  const updates = registerServiceWorker();
  const banner = updateBanner(
    () => translator(locale),
    () => void updates.applyUpdate(),
  );
  document.body.append(banner.el);
  controller.subscribe((s) => banner.update(s));
  updates.onUpdateReady(() => banner.offer());
  // A page left open (an installed app) also learns of new versions: when it comes back into view, and hourly.
  const UPDATE_CHECK_MS = 60 * 60 * 1000;
  setInterval(() => void updates.checkForUpdate(), UPDATE_CHECK_MS);
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible') void updates.checkForUpdate();
  });

  const tabs = typeof BroadcastChannel === 'undefined' ? null : new BroadcastChannel(HANDOFF_CHANNEL);
  if (tabs !== null) serveHandoffs(tabs, (text) => controller.takeIfOwn(text));

  /** The fragment's code (a link opened by a camera app or a chat), taken out of the address bar. */
  function linkCode(): string | null {
    const code = codeOfLaunch(location.href);
    if (code !== null) history.replaceState(null, '', linkBase);
    return code;
  }

  /** A page opened by a link first offers its code to the tab it may belong to (app/handoff.ts). */
  async function takeOpeningCode(): Promise<void> {
    const text = linkCode(); // the opening code, now out of the address bar
    if (text === null) return;
    if (tabs !== null && (await handOff(tabs, text))) controller.dispatch({ type: 'handed-off' });
    else controller.dispatch({ type: 'submit-code', text });
  }
  void takeOpeningCode();
  // Files shared to the app wait in Cache Storage until a page takes them (the marker only says a share just
  // happened; files left by a page closed before taking them are offered too).
  if (typeof caches !== 'undefined')
    void takeSharedFiles(caches).then((files) => {
      if (files.length > 0) controller.dispatch({ type: 'files', intent: { type: 'shared', files } });
    });
  // The installed app's window, launched again by a code's link (manifest launch_handler 'focus-existing'):
  // the code is for this page, as is one opened in this very tab.
  const launches = (window as { launchQueue?: LaunchQueue }).launchQueue;
  if (launches !== undefined)
    takeLaunches(launches, openingCode, (text) => controller.dispatch({ type: 'submit-code', text }));
  window.addEventListener('hashchange', () => {
    const text = linkCode();
    if (text !== null) controller.dispatch({ type: 'submit-code', text });
  });
  window.addEventListener('pagehide', () => controller.leave());
}

/**
 * The e2e tests' tampering relay (issue 16, proof 3): a function a test puts at `window.pigeonTestRelay` sees
 * each envelope this page forwards for other group members and returns what goes on. Nothing sets it but a
 * test; a script that could set it could already do anything on this page.
 */
function testRelayHook(raw: string): string {
  const hook = (globalThis as { pigeonTestRelay?: unknown }).pigeonTestRelay;
  return typeof hook === 'function' ? String(hook(raw)) : raw;
}
