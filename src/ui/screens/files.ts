// The files panel inside the chat: pick files to send (dropping them is the chat screen's, see ../drop.ts),
// answer incoming offers (name, size and type shown first), follow progress on both sides, cancel, and save
// what arrived once its digest matched, file by file or all at once as a zip (files-all.ts, which also picks
// folders). A file of a folder shows its folder before its name. After the session closed (hung up, or the
// connection lost), the same panel lists only the finished transfers, so what arrived can still be saved. Rows are keyed by transfer and patched in place, so buttons
// stay put while progress moves.

import type { AppState } from '../../app/controller.ts';
import type { FileRow, FilesView } from '../../app/files.ts';
import { FINAL, formatBytes, formatDuration, type TransferView } from '../../transfer/index.ts';
import { h, replace } from '../dom.ts';
import { isolate, type MessageKey, type Translate } from '../i18n/index.ts';
import type { ScreenContext } from '../screen.ts';
import { fileButton } from './file-button.ts';
import { folderPicker, saveAll } from './files-all.ts';

export { formatBytes };

function statusText(v: TransferView, files: FilesView, t: Translate): string {
  if (v.paused) return t('files.paused');
  switch (v.status) {
    case 'offered':
      return t(v.direction === 'in' ? 'files.offeredIn' : 'files.offeredOut');
    case 'queued':
      return t('files.queued');
    case 'sending':
      return t('files.sending');
    case 'sent':
      return t('files.sent');
    case 'receiving':
      return t('files.receiving');
    case 'verifying':
      return t('files.verifying');
    case 'done':
      if (v.direction === 'out') return t('files.doneOut');
      // Where it went: the name the person gave it in the save dialog.
      return v.toDisk ? t('files.doneDisk', { name: files.savedAs.get(v.id) ?? v.name }) : t('files.doneIn');
    case 'declined':
      return t(v.direction === 'in' ? 'files.declinedByMe' : 'files.declinedByPeer');
    case 'cancelled':
      return t(v.cancelledBy === 'me' ? 'files.cancelledByMe' : 'files.cancelledByPeer');
    case 'failed':
      return t(`files.fail.${v.failure ?? 'peer-error'}` as MessageKey);
  }
}

interface Row {
  readonly el: HTMLLIElement;
  update(v: TransferView, files: FilesView): void;
  dispose(): void;
}

function row(first: FileRow, { t, send }: ScreenContext): Row {
  const id = first.id;
  const act = (intent: Parameters<typeof send>[0]) => () => send(intent);
  const name = h('span', { class: 'file-name', 'data-testid': 'transfer-name' }, first.name);
  // Separate from the name, so the name reads the same with or without a folder.
  const folder =
    first.path === ''
      ? null
      : h('span', { class: 'muted', 'data-testid': 'transfer-path' }, `${first.path}/`);
  // In a group, who it goes to or came from (a name from another device: text, isolated).
  const peer =
    first.peer === undefined
      ? ''
      : ` · ${t(first.direction === 'in' ? 'files.from' : 'files.to', { name: isolate(first.peer || t('group.unnamed')) })}`;
  const meta = h(
    'span',
    { class: 'muted' },
    `${formatBytes(first.size)}${first.type === '' ? '' : ` · ${first.type}`}${peer}`,
  );
  const bar = h('progress', { max: Math.max(1, first.size), value: 0, 'aria-label': first.name });
  const numbers = h('span', { class: 'muted', 'data-testid': 'transfer-progress' });
  const state = h('span', { class: 'file-state', role: 'status', 'data-testid': 'transfer-status' });
  const notice = h('span', { class: 'muted', 'data-testid': 'transfer-notice' });
  const actions = h('span', { class: 'row file-actions' });
  const el = h(
    'li',
    {
      class: `file ${first.direction}`,
      'data-testid': 'transfer',
      'data-id': id,
      'data-direction': first.direction,
    },
    h(
      'span',
      { class: 'file-head' },
      h('span', { 'aria-hidden': 'true' }, first.direction === 'in' ? '⬇ ' : '⬆ '),
      folder,
      name,
      ' ',
      meta,
    ),
    bar,
    numbers,
    state,
    notice,
    actions,
  );
  let url: string | null = null;
  let shownActions = '';

  const button = (testid: string, key: MessageKey, onclick: () => void, cls = '') =>
    h('button', { type: 'button', class: cls, 'data-testid': testid, onclick }, t(key));

  function renderActions(v: TransferView, files: FilesView): void {
    const key = `${v.status}:${v.blob !== null}:${files.canSaveToDisk}`;
    if (key === shownActions) return;
    shownActions = key;
    const final =
      v.status === 'done' || v.status === 'failed' || v.status === 'declined' || v.status === 'cancelled';
    const buttons: HTMLElement[] = [];
    if (v.direction === 'in' && v.status === 'offered') {
      buttons.push(
        button(
          'transfer-accept',
          'files.accept',
          act({ type: 'files', intent: { type: 'accept', id, toDisk: false } }),
          'primary',
        ),
      );
      if (files.canSaveToDisk)
        buttons.push(
          button(
            'transfer-save',
            'files.saveToDisk',
            act({ type: 'files', intent: { type: 'accept', id, toDisk: true } }),
          ),
        );
      buttons.push(
        button('transfer-decline', 'files.decline', act({ type: 'files', intent: { type: 'decline', id } })),
      );
    } else if (!final) {
      buttons.push(
        button(
          'transfer-cancel',
          'files.cancel',
          act({ type: 'files', intent: { type: 'cancel', id } }),
          'danger',
        ),
      );
    }
    if (v.status === 'done' && v.blob !== null) {
      url ??= URL.createObjectURL(v.blob);
      // The peer's name was sanitised; the Blob's type is always generic, so it downloads, never renders.
      buttons.push(
        h(
          'a',
          { class: 'button primary', href: url, download: v.name, 'data-testid': 'transfer-download' },
          t('files.download'),
        ),
      );
    }
    if (final)
      buttons.push(
        button('transfer-remove', 'files.remove', act({ type: 'files', intent: { type: 'remove', id } })),
      );
    replace(actions, ...buttons);
  }

  return {
    el,
    update(v, files) {
      el.dataset.status = v.status;
      el.dataset.bytes = String(v.bytes);
      el.dataset.size = String(v.size);
      el.dataset.sent = String(v.sent);
      el.dataset.paused = String(v.paused);
      el.dataset.resumedFrom = v.resumedFrom.join(',');
      el.dataset.sha256 = v.sha256 ?? '';
      bar.value = v.bytes;
      const parts = [t('files.progress', { done: formatBytes(v.bytes), total: formatBytes(v.size) })];
      if (v.bytesPerSecond > 0) parts.push(t('files.speed', { speed: formatBytes(v.bytesPerSecond) }));
      if (v.etaSeconds !== null) parts.push(t('files.eta', { time: formatDuration(v.etaSeconds) }));
      replace(numbers, parts.join(' · '));
      replace(state, statusText(v, files, t));
      state.className = `file-state ${v.status === 'failed' ? 'error' : ''}`;
      const at = v.resumedFrom[v.resumedFrom.length - 1];
      const notes: string[] = [];
      if (at !== undefined) notes.push(t('files.resumed', { at: formatBytes(at) }));
      if (
        v.direction === 'in' &&
        v.status === 'offered' &&
        files.storage !== null &&
        v.size > files.storage.free
      )
        notes.push(
          t(files.canSaveToDisk ? 'files.tooBigDisk' : 'files.tooBig', {
            free: formatBytes(files.storage.free),
          }),
        );
      replace(notice, notes.join(' '));
      renderActions(v, files);
    },
    dispose() {
      if (url !== null) URL.revokeObjectURL(url);
    },
  };
}

export interface FilesPanel {
  readonly el: HTMLElement;
  update(state: AppState): void;
  dispose(): void;
}

/** Live: the picker and every transfer. Closed (`live: false`): finished transfers only, nothing to send. */
export function filesPanel(ctx: ScreenContext, { live = true } = {}): FilesPanel {
  const { t, send } = ctx;
  const list = h('ul', { class: 'files-list', 'data-testid': 'files-list' });
  const storage = h('p', { class: 'muted', 'data-testid': 'files-storage' });
  const saveError = h('p', { class: 'error', role: 'alert' });
  const offersLimited = h('p', { class: 'muted', role: 'status' });
  const everyone = h('p', { class: 'muted' }, t('files.everyone'));
  const all = saveAll(ctx);
  const picker = h(
    'div',
    { class: 'row' },
    fileButton(t('files.pick'), (files) => send({ type: 'files', intent: { type: 'send', files } }), {
      testid: 'files-pick',
    }),
    folderPicker(ctx),
    h('span', { class: 'muted' }, t('files.drop')),
  );
  const el = h(
    'section',
    { class: 'files', 'aria-label': t('files.title'), 'data-testid': live ? 'files' : 'files-closed' },
    live ? picker : h('h2', {}, t('files.title')),
    everyone,
    storage,
    saveError,
    offersLimited,
    all.el,
    list,
  );

  const rows = new Map<string, Row>();
  let shown: FilesView | null = null;
  return {
    el,
    update(state) {
      everyone.hidden = !live || !state.group.active;
      const files = state.files;
      if (files === shown) return;
      shown = files;
      const transfers = live ? files.transfers : files.transfers.filter((v) => FINAL.has(v.status));
      el.hidden = transfers.length === 0 && !live;
      const ids = new Set(transfers.map((v) => v.id));
      for (const [id, r] of rows) {
        if (ids.has(id)) continue;
        r.dispose();
        r.el.remove();
        rows.delete(id);
      }
      for (const v of transfers) {
        let r = rows.get(v.id);
        if (r === undefined) {
          r = row(v, ctx);
          rows.set(v.id, r);
          list.prepend(r.el);
        }
        r.update(v, files);
      }
      replace(
        storage,
        !live || files.storage === null ? '' : t('files.storage', { free: formatBytes(files.storage.free) }),
      );
      replace(saveError, files.saveFailed ? t('files.saveFailed') : '');
      replace(offersLimited, files.offersLimited ? t('files.offersLimited') : '');
      all.update(files);
    },
    dispose() {
      all.dispose();
      for (const r of rows.values()) r.dispose();
      rows.clear();
    },
  };
}
