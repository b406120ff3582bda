// The app's side of file transfers: ties the transfer engine to whichever session is live, picks where
// received bytes go (a file on disk where the browser lets us, Blobs otherwise) and reads the storage limit.

import type { DataChannelLike, Session, SessionState } from '../rtc/index.ts';
import {
  createTransferManager,
  diskSink,
  type FileChannel,
  type FilesSnapshot,
  type FolderFile,
  fitsOneZip,
  memorySink,
  type OpenChannel,
  type TransferManager,
  type WritableFile,
  type ZipEntry,
  zipBlobs,
} from '../transfer/index.ts';

export type FilesIntent =
  /** Files picked or dropped; those of a folder come with their folder. */
  | { readonly type: 'send'; readonly files: readonly (File | FolderFile)[] }
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

/** The zip of the received files: being made, or made (a Blob to download), or it could not be made. */
export type ZipState =
  | { readonly status: 'making'; readonly count: number }
  | { readonly status: 'ready'; readonly count: number; readonly blob: Blob; readonly name: string }
  | { readonly status: 'failed' };

/** What "Save all" downloads. */
export const ZIP_NAME = 'pigeon-files.zip';

export interface StorageInfo {
  /** Bytes this origin may still store, as the browser estimates it. */
  readonly free: number;
}

export interface FilesView extends FilesSnapshot {
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

type SavePicker = (options: {
  suggestedName: string;
}) => Promise<{ readonly name?: string; createWritable(): Promise<WritableFile> }>;

export interface FilesDeps {
  readonly manager?: TransferManager;
  /** `navigator.storage.estimate`, when the browser has it. */
  readonly estimate?: (() => Promise<StorageEstimate>) | null;
  /** `window.showSaveFilePicker`, when the browser has it (Chromium on desktop). */
  readonly showSaveFilePicker?: SavePicker | null;
}

export interface FilesApp {
  /** Called with every session state: the engine follows the connection (and reconnects). */
  follow(session: Session | null, state: SessionState): void;
  dispatch(intent: FilesIntent): void;
  getState(): FilesView;
  subscribe(listener: (v: FilesView) => void): () => void;
  dispose(): void;
}

/** The session hands out plain channels; the engine needs binary sends and the buffered-amount event. */
function isFileChannel(ch: DataChannelLike): ch is DataChannelLike & FileChannel {
  return 'binaryType' in ch && 'bufferedAmountLowThreshold' in ch;
}

/**
 * The largest message the peer's browser takes, from its SDP (RFC 8841: absent means 64 KiB, 0 means no limit
 * of its own); undefined when there is no SDP to read.
 */
export function peerMaxMessageSize(remoteSdp: string | null): number | undefined {
  if (remoteSdp === null) return undefined;
  const found = /^a=max-message-size:(\d+)\s*$/m.exec(remoteSdp);
  if (found === null) return undefined;
  const n = Number(found[1]);
  return n === 0 ? Number.MAX_SAFE_INTEGER : n;
}

function browserPicker(): SavePicker | null {
  const w = globalThis as { showSaveFilePicker?: SavePicker };
  return typeof w.showSaveFilePicker === 'function' ? w.showSaveFilePicker.bind(globalThis) : null;
}

function browserEstimate(): (() => Promise<StorageEstimate>) | null {
  const storage = (globalThis as { navigator?: Navigator }).navigator?.storage;
  return typeof storage?.estimate === 'function' ? () => storage.estimate() : null;
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
  let zip: ZipState | null = null;
  let zipAbort: AbortController | null = null;
  /** Done in memory, oldest first: what "Save all" puts in the zip. */
  const zipEntries = (): ZipEntry[] =>
    manager
      .getState()
      .transfers.filter((t) => t.direction === 'in' && t.status === 'done' && t.blob !== null)
      .map((t) => ({ folder: t.path, name: t.name, blob: t.blob as Blob }));
  const snapshot = (): FilesView => {
    const entries = zipEntries();
    return {
      ...manager.getState(),
      storage,
      canSaveToDisk: picker !== null,
      saveFailed,
      waitingShared: waiting.length,
      savedAs: new Map(savedAs),
      zippable: entries.length,
      zipFits: fitsOneZip(entries),
      zip,
    };
  };
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
    manager.send(files);
    publish();
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

  /** Zips what is received now; a newer request replaces one still being made. */
  function makeZip(): void {
    const entries = zipEntries();
    if (entries.length === 0 || !fitsOneZip(entries)) return;
    zipAbort?.abort();
    const abort = new AbortController();
    zipAbort = abort;
    zip = { status: 'making', count: entries.length };
    publish();
    zipBlobs(entries, abort.signal).then(
      (blob) => {
        if (abort.signal.aborted) return;
        zip = { status: 'ready', count: entries.length, blob, name: ZIP_NAME };
        publish();
      },
      () => {
        if (abort.signal.aborted) return;
        zip = { status: 'failed' };
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
      switch (intent.type) {
        case 'send':
          manager.send(intent.files);
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
          makeZip();
          return;
      }
    },
    getState: () => view,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    dispose() {
      zipAbort?.abort();
      unsubscribe();
      manager.dispose();
      listeners.clear();
    },
  };
}
