// The app's side of file transfers: ties the transfer engine to whichever session is live, picks where
// received bytes go (a file on disk where the browser lets us, Blobs otherwise) and reads the storage limit.

import type { Session, SessionState } from '../rtc/index.ts';
import {
  createTransferManager,
  diskSink,
  type FilesSnapshot,
  type FolderFile,
  fitsOneZip,
  memorySink,
  type OpenChannel,
  type TransferManager,
  type TransferView,
  type ZipEntry,
} from '../transfer/index.ts';
import {
  browserEstimate,
  browserPicker,
  isFileChannel,
  peerMaxMessageSize,
  type SavePicker,
} from './files-browser.ts';
import { createZipper, type ZipState } from './files-zip.ts';

export { peerMaxMessageSize };

export type FilesIntent =
  /**
   * Files picked or dropped; those of a folder come with their folder. `to`: one member of a group (its id);
   * absent, everyone this device is linked to.
   */
  | { readonly type: 'send'; readonly files: readonly (File | FolderFile)[]; readonly to?: string }
  /**
   * Files shared from another app: they wait until the person taps Send (any website can post to the share
   * target, so nothing shared goes out without the person's say: public/share-target.js).
   */
  | { readonly type: 'shared'; readonly files: readonly File[] }
  /** The person sends the waiting shared files (only while connected; otherwise nothing happens). */
  | { readonly type: 'send-shared' }
  /** Forget the waiting shared files. */
  | { readonly type: 'discard-shared' }
  /** toDisk: stream into a file the person picks (File System Access API) instead of memory. */
  | { readonly type: 'accept'; readonly id: string; readonly toDisk: boolean }
  | { readonly type: 'decline'; readonly id: string }
  | { readonly type: 'cancel'; readonly id: string }
  | { readonly type: 'remove'; readonly id: string }
  /** Every file received into memory, as one zip (ZipState). */
  | { readonly type: 'zip-all' };

export { ZIP_NAME, type ZipState } from './files-zip.ts';

export interface StorageInfo {
  /** Bytes this origin may still store, as the browser estimates it. */
  readonly free: number;
}

/** A transfer as the list shows it: in a group, with the member it goes to or came from. */
export type FileRow = TransferView & { readonly peer?: string };

/**
 * The transfers on a group's other links (app/group/files.ts), each link its own engine; this glue's own
 * engine is on the session the controller holds.
 */
export interface MoreFiles {
  /** Their transfers, and the name of the member on the controller's session (null outside a group). */
  view(): {
    readonly rows: readonly FileRow[];
    readonly savedAs: ReadonlyMap<string, string>;
    readonly own: string | null;
  };
  /** Sends on the links of `to` (null: all); true if the controller's session is one of them. */
  send(files: readonly (File | FolderFile)[], to: string | null): boolean;
  /** An intent about one transfer, if it is theirs: true when taken. */
  take(intent: Extract<FilesIntent, { id: string }>): boolean;
  subscribe(listener: () => void): () => void;
}

export interface FilesView extends Omit<FilesSnapshot, 'transfers'> {
  readonly transfers: readonly FileRow[];
  /** null until known (or when the browser does not say). */
  readonly storage: StorageInfo | null;
  /** The browser can stream a received file straight to disk. */
  readonly canSaveToDisk: boolean;
  /** The last save-to-disk attempt could not open a file. */
  readonly saveFailed: boolean;
  /** Shared files waiting for the person to send them (or drop them). */
  readonly waitingShared: number;
  /** Received files that went to disk: the name of the file the person picked, by transfer id. */
  readonly savedAs: ReadonlyMap<string, string>;
  /** The received files that can go into one zip (in memory, done), and whether they fit one. */
  readonly zippable: number;
  readonly zipFits: boolean;
  readonly zip: ZipState | null;
}

export interface FilesDeps {
  readonly manager?: TransferManager;
  /** `navigator.storage.estimate`, when the browser has it. */
  readonly estimate?: (() => Promise<StorageEstimate>) | null;
  /** `window.showSaveFilePicker`, when the browser has it (Chromium on desktop). */
  readonly showSaveFilePicker?: SavePicker | null;
  /** A group's other links, listed and saved with these (absent: one link only). */
  readonly more?: MoreFiles;
}

export interface FilesApp {
  /** Called with every session state: the engine follows the connection (and reconnects). */
  follow(session: Session | null, state: SessionState): void;
  dispatch(intent: FilesIntent): void;
  getState(): FilesView;
  subscribe(listener: (v: FilesView) => void): () => void;
  dispose(): void;
}

export function createFiles(deps: FilesDeps = {}): FilesApp {
  const manager = deps.manager ?? createTransferManager();
  const estimate = deps.estimate === undefined ? browserEstimate() : deps.estimate;
  const picker = deps.showSaveFilePicker === undefined ? browserPicker() : deps.showSaveFilePicker;
  const listeners = new Set<(v: FilesView) => void>();
  let linkedTo: Session | null = null;
  /** The connection the files channel is on: a move to a new one (rtc/session/move.ts) changes `since`. */
  let linkedSince = -1;
  let open: OpenChannel | null = null;
  let storage: StorageInfo | null = null;
  let saveFailed = false;
  let offersSeen = 0;
  let connected = false;
  let waiting: File[] = [];
  const savedAs = new Map<string, string>();
  const more = deps.more;
  /** Ours (named after the member on our session, in a group), then the other links'. */
  const allRows = (others = more?.view()): FileRow[] => {
    const own = others?.own ?? null;
    const ours = manager.getState().transfers;
    return [...(own === null ? ours : ours.map((t) => ({ ...t, peer: own }))), ...(others?.rows ?? [])];
  };
  /** Done in memory, oldest first: what "Save all" puts in the zip. */
  const zipEntries = (rows: readonly FileRow[] = allRows()): ZipEntry[] =>
    rows
      .filter((t) => t.direction === 'in' && t.status === 'done' && t.blob !== null)
      .map((t) => ({ folder: t.path, name: t.name, blob: t.blob as Blob }));
  const snapshot = (): FilesView => {
    const others = more?.view();
    const transfers = allRows(others);
    const entries = zipEntries(transfers);
    return {
      ...manager.getState(),
      transfers,
      storage,
      canSaveToDisk: picker !== null,
      saveFailed,
      waitingShared: waiting.length,
      savedAs: new Map([...savedAs, ...(others?.savedAs ?? [])]),
      zippable: entries.length,
      zipFits: fitsOneZip(entries),
      zip: zipper.state(),
    };
  };
  const zipper = createZipper(() => publish());
  let view = snapshot();

  function publish(): void {
    view = snapshot();
    for (const l of [...listeners]) l(view);
  }

  /** Offers the waiting shared files, once, through the engine, like files the person picked. */
  function sendWaiting(): void {
    if (!connected || waiting.length === 0) return;
    const files = waiting;
    waiting = [];
    sendTo(files, null);
    publish();
  }

  /** To everyone linked (null) or one member of a group; our engine sends when our session's peer is one. */
  function sendTo(files: readonly (File | FolderFile)[], to: string | null): void {
    if (more?.send(files, to) ?? true) manager.send(files);
  }

  function refreshStorage(): void {
    if (estimate === null) return;
    estimate().then(
      (e) => {
        if (e.quota === undefined) return;
        storage = { free: Math.max(0, e.quota - (e.usage ?? 0)) };
        publish();
      },
      () => undefined,
    );
  }

  const unsubscribeMore = more?.subscribe(publish);
  const unsubscribe = manager.subscribe((s) => {
    // A new offer: the person is about to decide, so say how much the browser can hold.
    const offers = s.transfers.filter((t) => t.direction === 'in').length;
    if (offers > offersSeen) refreshStorage();
    offersSeen = offers;
    publish();
  });

  function acceptToDisk(id: string): void {
    const t = manager.getState().transfers.find((x) => x.id === id);
    if (picker === null || t === undefined) return;
    // Called straight from the click, so the browser sees the person's gesture.
    picker({ suggestedName: t.name })
      .then(async (handle) => ({ file: await handle.createWritable(), name: handle.name ?? t.name }))
      .then(
        ({ file, name }) => {
          saveFailed = false;
          savedAs.set(id, name);
          manager.accept(id, diskSink(file), true);
        },
        (error: unknown) => {
          // Closing the picker is not a failure: the offer simply stays.
          saveFailed = !(error instanceof DOMException && error.name === 'AbortError');
          publish();
        },
      );
  }

  return {
    follow(session, state) {
      connected = session !== null && state.kind === 'connected';
      if (session === null || state.kind !== 'connected') {
        manager.disconnect();
        return;
      }
      if (linkedTo !== session || linkedSince !== state.since || open === null) {
        linkedTo = session;
        linkedSince = state.since;
        open = (label, init) => {
          const ch = session.openChannel(label, init);
          return ch !== null && isFileChannel(ch) ? ch : null;
        };
      }
      const maxMessageSize = peerMaxMessageSize(session.remoteSdp());
      manager.connect(open, maxMessageSize === undefined ? undefined : { maxMessageSize });
    },
    dispatch(intent) {
      if ('id' in intent && more?.take(intent) === true) return;
      switch (intent.type) {
        case 'send':
          sendTo(intent.files, intent.to ?? null);
          return;
        case 'shared':
          waiting = [...waiting, ...intent.files];
          publish();
          return;
        case 'send-shared':
          sendWaiting();
          return;
        case 'discard-shared':
          waiting = [];
          publish();
          return;
        case 'accept':
          if (intent.toDisk) acceptToDisk(intent.id);
          else manager.accept(intent.id, memorySink());
          return;
        case 'decline':
          manager.decline(intent.id);
          return;
        case 'cancel':
          manager.cancel(intent.id);
          return;
        case 'remove':
          savedAs.delete(intent.id);
          manager.remove(intent.id);
          return;
        case 'zip-all':
          zipper.make(zipEntries());
          return;
      }
    },
    getState: () => view,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    dispose() {
      zipper.dispose();
      unsubscribeMore?.();
      unsubscribe();
      manager.dispose();
      listeners.clear();
    },
  };
}
