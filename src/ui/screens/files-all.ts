// The files panel's two "many at once" parts: picking a whole folder to send (each file keeps its folder), and
// saving every received file as one zip (made by the app from the Blobs it holds, then offered as a link).

import type { FilesView } from '../../app/files.ts';
import { type FolderFile, folderOf } from '../../transfer/index.ts';
import { h, replace } from '../dom.ts';
import type { ScreenContext } from '../screen.ts';
import { fileButton } from './file-button.ts';
import { formatBytes } from './files.ts';

/** "Send a folder…": a directory picker whose files carry their folder (webkitRelativePath, 'trip/day1/a.jpg'). */
export function folderPicker({ t, send }: ScreenContext): HTMLElement {
  return fileButton(
    t('files.pickFolder'),
    (picked) => {
      const files: FolderFile[] = picked.map((file) => ({ file, path: folderOf(file.webkitRelativePath) }));
      send({ type: 'files', intent: { type: 'send', files } });
    },
    { folder: true },
  );
}

/** Files received into memory and saveable at once: at least this many. */
const MIN_FILES_FOR_ZIP = 2;

export interface SaveAll {
  readonly el: HTMLElement;
  update(files: FilesView): void;
  dispose(): void;
}

export function saveAll({ t, send }: ScreenContext): SaveAll {
  const button = h(
    'button',
    { type: 'button', onclick: () => send({ type: 'files', intent: { type: 'zip-all' } }) },
    t('files.zipAll'),
  );
  const link = h('a', { class: 'button primary' });
  const note = h('span', { class: 'muted', role: 'status' });
  const el = h('div', { class: 'row' }, button, link, note);
  let url: string | null = null;
  let linked: Blob | null = null;
  return {
    el,
    update(files) {
      const zip = files.zip;
      const many = files.zippable >= MIN_FILES_FOR_ZIP;
      el.hidden = !many && zip?.status !== 'ready';
      button.hidden = !files.zipFits;
      button.disabled = zip?.status === 'making';
      if (zip?.status === 'ready' && zip.blob !== linked) {
        if (url !== null) URL.revokeObjectURL(url);
        url = URL.createObjectURL(zip.blob);
        linked = zip.blob;
        link.href = url;
        link.download = zip.name;
        replace(link, t('files.zipDownload', { name: zip.name, size: formatBytes(zip.blob.size) }));
      }
      link.hidden = zip?.status !== 'ready';
      replace(
        note,
        !files.zipFits
          ? t('files.zipTooBig')
          : zip?.status === 'making'
            ? t('files.zipMaking', { count: zip.count })
            : zip?.status === 'failed'
              ? t('files.zipFailed')
              : '',
      );
    },
    dispose() {
      if (url !== null) URL.revokeObjectURL(url);
    },
  };
}
