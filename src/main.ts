// Entry: the app starts only as the top-level page (app/framed.ts); framed, it says so and does nothing else.

import { isFramed } from './app/framed.ts';
import { boot } from './boot.ts';
import { showFramedNotice } from './ui/framed-notice.ts';
import { loadLocale, pickLocale, translator } from './ui/i18n/index.ts';
import './ui/styles.css';

const root = document.getElementById('app');
if (!root) throw new Error('index.html has no #app');
if (isFramed(window)) {
  const locale = pickLocale(navigator.languages ?? [navigator.language], null);
  const show = () => showFramedNotice(root, translator(locale), location.href);
  void loadLocale(locale).then(show, show);
} else {
  boot();
}
