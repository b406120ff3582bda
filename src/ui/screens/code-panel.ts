// Shows this device's code three ways: a large QR (holding the link, so any camera app opens Pigeon),
// the text code with Copy and Share, and the link.

import type { Code } from '../../codec/index.ts';
import { h, replace, svgNode } from '../dom.ts';
import type { ScreenContext } from '../screen.ts';

const COPIED_NOTICE_MS = 2_000;

// The QR renderer (the qrcode package, ~10 KB gzipped) is loaded when the first code is shown, not with the
// page: it keeps the first load small. It is precached, so this works offline too.
type Render = typeof import('../../qr/render.ts');
let renderer: Promise<Render> | null = null;
const loadRenderer = (): Promise<Render> => {
  renderer ??= import('../../qr/render.ts');
  return renderer;
};

/**
 * The code panel, whole: it appears once the QR is drawn, so the QR and the text code are always shown
 * together (a person — or a test — never sees a text code without its QR).
 */
export function codePanel(code: Code, link: string | null, ctx: ScreenContext): HTMLElement {
  const slot = h('div', { class: 'code-slot', 'aria-busy': 'true' });
  void loadRenderer().then(({ codeQrSvg }) => {
    replace(slot, buildPanel(code, link, ctx, codeQrSvg));
    slot.removeAttribute('aria-busy');
  });
  return slot;
}

function buildPanel(
  code: Code,
  link: string | null,
  { t }: ScreenContext,
  codeQrSvg: Render['codeQrSvg'],
): HTMLElement {
  const prefix = link ? link.slice(0, link.indexOf('#') + 1) : undefined;
  const svg = codeQrSvg({ code: code.qr, prefix }, { title: t('code.qrTitle') });
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
    svg === null ? null : h('div', { class: 'qr', 'data-testid': 'qr' }, svgNode(svg)),
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
    // Said where the text is copied or shared: that is where the addresses leave with it.
    code.localAddresses ? h('p', { class: 'address-note' }, t('code.localAddresses')) : null,
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
