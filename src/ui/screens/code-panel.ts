// Shows this device's code three ways: a large QR (holding the link, so any camera app opens Pigeon),
// the text code with Copy and Share, and the link.

import type { Code } from '../../codec/index.ts';
import { qrSvg } from '../../qr/render.ts';
import { h, svgNode } from '../dom.ts';
import type { ScreenContext } from '../screen.ts';

const COPIED_NOTICE_MS = 2_000;

export function codePanel(code: Code, link: string | null, { t }: ScreenContext): HTMLElement {
  const prefix = link ? link.slice(0, link.indexOf('#') + 1) : undefined;
  const svg = qrSvg({ code: code.qr, prefix }, { title: t('code.qrTitle') });
  const notice = h('p', { class: 'notice', role: 'status', 'aria-live': 'polite' });
  const copy = async (text: string) => {
    try {
      await navigator.clipboard.writeText(text);
      notice.textContent = t('code.copied');
    } catch {
      notice.textContent = t('code.copyFailed');
    }
    setTimeout(() => {
      notice.textContent = '';
    }, COPIED_NOTICE_MS);
  };
  const share =
    typeof navigator.share === 'function'
      ? h(
          'button',
          {
            type: 'button',
            onclick: () =>
              void navigator
                .share(link ? { text: code.text, url: link } : { text: code.text })
                .catch(() => {}),
          },
          t('code.share'),
        )
      : null;
  return h(
    'section',
    { class: 'code-panel', 'data-testid': 'code-panel', 'data-form': code.form },
    h('div', { class: 'qr', 'data-testid': 'qr' }, svgNode(svg)),
    h('label', { for: 'code-text' }, t('code.textLabel')),
    h(
      'textarea',
      {
        id: 'code-text',
        class: 'code-text',
        readonly: true,
        rows: 3,
        'data-testid': 'code-text',
        spellcheck: 'false',
      },
      code.text,
    ),
    h('p', { class: 'muted' }, t('code.length', { n: code.text.length })),
    h(
      'div',
      { class: 'row' },
      h('button', { type: 'button', class: 'primary', onclick: () => void copy(code.text) }, t('code.copy')),
      link ? h('button', { type: 'button', onclick: () => void copy(link) }, t('code.copyLink')) : null,
      share,
    ),
    notice,
    link
      ? h(
          'p',
          { class: 'link' },
          h('span', { class: 'muted' }, `${t('code.linkLabel')}: `),
          h('code', { 'data-testid': 'code-link' }, link),
        )
      : null,
  );
}
