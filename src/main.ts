// Boot: settings, language, the controller, the UI; then deep links and the service worker.

import { createController } from './app/controller.ts';
import { loadSettings, saveSettings } from './app/settings.ts';
import { takeSharedFiles, withoutShareMarker } from './app/shared-files.ts';
import { registerServiceWorker } from './pwa/register.ts';
import { mountApp } from './ui/app-view.ts';
import { pickLocale, translator } from './ui/i18n/index.ts';
import { updateBanner } from './ui/update-banner.ts';
import './ui/styles.css';

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
const linkBase = location.href.split('#')[0] ?? location.href;
const controller = createController({
  RTCPeerConnection: window.RTCPeerConnection,
  appVersion: `Pigeon ${__APP_VERSION__}`,
  linkBase,
  settings,
  onSettings: (s) => {
    settings = s;
    saveSettings(storage, s);
  },
});

let locale = pickLocale(navigator.languages ?? [navigator.language], settings.locale);
mountApp(root, controller, {
  locale,
  onLocale: (l) => {
    locale = l;
    controller.dispatch({ type: 'save-settings', settings: { ...settings, locale: l } });
  },
});

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

/** A code in the fragment (a link opened by a camera app or a chat): take it in, then clear it. */
function takeLinkCode(): void {
  const code = location.hash.slice(1);
  if (code === '') return;
  history.replaceState(null, '', linkBase);
  let text = code;
  try {
    text = decodeURIComponent(code);
  } catch {
    // Not percent-encoded after all: the codec judges the raw text.
  }
  controller.dispatch({ type: 'submit-code', text });
}
takeLinkCode();
// Files shared to the app wait in Cache Storage until a page takes them (the marker only says a share just
// happened; files left by a page closed before taking them are offered too).
if (typeof caches !== 'undefined')
  void takeSharedFiles(caches).then((files) => {
    if (files.length > 0) controller.dispatch({ type: 'files', intent: { type: 'shared', files } });
  });
window.addEventListener('hashchange', takeLinkCode);
window.addEventListener('pagehide', () => controller.leave());
