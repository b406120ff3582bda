// A button that picks files: a label the person taps around a hidden file input (the input keeps the browser's
// own picker, drag-free), handing over what was picked and clearing itself so the same file can go again.

import { h } from '../dom.ts';

export interface FileButtonOptions {
  /** A directory picker (webkitdirectory) instead of a multi-file one. */
  readonly folder?: boolean;
  readonly testid?: string;
}

export function fileButton(
  label: string,
  onFiles: (files: File[]) => void,
  { folder = false, testid }: FileButtonOptions = {},
): HTMLElement {
  const input = h('input', {
    type: 'file',
    class: 'visually-hidden',
    ...(folder ? { webkitdirectory: true } : { multiple: true }),
    ...(testid === undefined ? {} : { 'data-testid': testid }),
  });
  input.addEventListener('change', () => {
    const files = [...(input.files ?? [])];
    input.value = '';
    if (files.length > 0) onFiles(files);
  });
  return h('label', { class: 'button' }, label, input);
}
