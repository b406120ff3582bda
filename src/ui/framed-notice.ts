// What a framed page shows instead of the app (app/framed.ts): a short notice and a link to open it in its
// own tab. The link is the page's address without its fragment: a code in it is not joined through a frame.

import { h, replace } from './dom.ts';
import type { Translate } from './i18n/index.ts';

export function showFramedNotice(root: HTMLElement, t: Translate, href: string): void {
  const own = href.split('#')[0] ?? href;
  replace(
    root,
    h(
      'main',
      { class: 'framed' },
      h('h1', {}, t('app.name')),
      h('p', { role: 'alert' }, t('framed.notice')),
      h('a', { href: own, target: '_blank', rel: 'noopener noreferrer' }, t('framed.open')),
    ),
  );
}
