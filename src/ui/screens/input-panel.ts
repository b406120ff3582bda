// Takes a code in: camera scan, clipboard paste, a text box, or a picture of a QR. The camera stops
// as soon as a code is read, when the person stops it, or when this panel goes away.

import type { CodecError } from '../../codec/index.ts';
import { scanCamera } from '../../qr/camera.ts';
import { scanImage } from '../../qr/image.ts';
import { h, replace } from '../dom.ts';
import type { MessageKey } from '../i18n/index.ts';
import type { ScreenContext } from '../screen.ts';

export interface InputPanel {
  readonly el: HTMLElement;
  showError(e: CodecError | null): void;
  dispose(): void;
}

export function codecErrorText(e: CodecError, t: ScreenContext['t']): string {
  switch (e.kind) {
    case 'unexpected-type':
      return t(e.expected === 'offer' ? 'error.expected-offer' : 'error.expected-answer');
    case 'unsupported-sdp':
      return t('error.unsupported-sdp', { reason: e.reason });
    default:
      return t(`error.${e.kind}` as MessageKey);
  }
}

export interface InputPanelOptions {
  /**
   * Folded away under its heading: for a way in that is not the next step (the Joiner's answer screen, where
   * reading a new code is only for when the other device made one).
   */
  readonly secondary?: boolean;
}

export function inputPanel(heading: string, ctx: ScreenContext, opts: InputPanelOptions = {}): InputPanel {
  const { t, send } = ctx;
  let scan: AbortController | null = null;
  const message = h('p', { class: 'error', role: 'alert', 'data-testid': 'input-error' });
  const say = (text: string) => replace(message, text);
  const submit = (text: string) => {
    say('');
    send({ type: 'submit-code', text });
  };

  const video = h('video', { class: 'camera', playsinline: true, muted: true, autoplay: true, hidden: true });
  const scanButton = h(
    'button',
    { type: 'button', class: opts.secondary ? '' : 'primary', 'data-testid': 'scan' },
    t('input.scan'),
  );
  const stopScan = () => {
    scan?.abort();
    scan = null;
    video.hidden = true;
    scanButton.textContent = t('input.scan');
  };
  scanButton.addEventListener('click', async () => {
    if (scan) return stopScan();
    const controller = new AbortController();
    scan = controller;
    video.hidden = false;
    scanButton.textContent = t('input.stopScan');
    say('');
    const r = await scanCamera(video, controller.signal);
    if (scan === controller) stopScan();
    if (r.ok) submit(r.value);
    else if (r.error.kind === 'other') say(t('scan.other', { detail: r.error.message }));
    else if (r.error.kind !== 'aborted') say(t(`scan.${r.error.kind}`));
  });

  const textarea = h('textarea', {
    id: 'code-input',
    rows: 3,
    'data-testid': 'code-input',
    spellcheck: 'false',
    autocomplete: 'off',
    autocapitalize: 'off',
  });
  const pasteButton = h('button', { type: 'button', 'data-testid': 'paste' }, t('input.paste'));
  pasteButton.addEventListener('click', async () => {
    try {
      const text = await navigator.clipboard.readText();
      textarea.value = text;
      submit(text);
    } catch {
      say(t('input.pasteDenied'));
      textarea.focus();
    }
  });

  const file = h('input', {
    type: 'file',
    accept: 'image/*',
    class: 'visually-hidden',
    id: 'code-image',
    'data-testid': 'code-image',
  });
  file.addEventListener('change', async () => {
    const picked = file.files?.[0];
    file.value = '';
    if (!picked) return;
    const r = await scanImage(picked);
    if (r.ok) submit(r.value);
    else say(t(r.error.kind === 'no-code' ? 'input.imageNoCode' : 'input.imageFailed'));
  });

  const form = h(
    'form',
    { class: 'code-form' },
    h('label', { for: 'code-input' }, t('input.textLabel')),
    textarea,
    h('button', { type: 'submit', 'data-testid': 'submit-code' }, t('input.submit')),
  );
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    submit(textarea.value);
  });

  const body = [
    h(
      'div',
      { class: 'row' },
      scanButton,
      pasteButton,
      h('label', { for: 'code-image', class: 'button' }, t('input.image')),
      file,
    ),
    video,
    form,
    message,
  ];
  const fold = opts.secondary ? h('details', {}, h('summary', {}, h('h2', {}, heading)), ...body) : null;
  const el = h(
    'section',
    { class: `input-panel${fold ? ' secondary' : ''}`, 'data-testid': 'input-panel' },
    ...(fold ? [fold] : [h('h2', {}, heading), ...body]),
  );
  return {
    el,
    showError: (e) => {
      // An error about a code read here is shown where it can be seen.
      if (e !== null && fold !== null) fold.open = true;
      say(e ? codecErrorText(e, t) : '');
    },
    dispose: stopScan,
  };
}
