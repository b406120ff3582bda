// Dropping files to send them: the whole chat screen is the drop zone. Only drags that carry files are taken,
// so dragging text into (or out of) the chat input keeps the browser's own behaviour. A dropped folder is
// walked (DataTransferItem.webkitGetAsEntry, in every current browser) and each file keeps its folder. A
// pointer-only extra: the picker buttons stay the way in for keyboards and screen readers.

import { type FolderFile, folderOf } from '../transfer/index.ts';

/** The DataTransfer type a drag of files (from the desktop or a file manager) announces. */
export const FILES_TYPE = 'Files';
/** Class on the zone while files hover over it. */
export const DRAGGING_CLASS = 'dragging';

/** The parts of DataTransfer read here (a plain object in node tests). */
export interface DragData {
  readonly types: readonly string[] | DOMStringList;
  readonly files?: ArrayLike<File> | null;
  readonly items?: ArrayLike<{ webkitGetAsEntry?(): DropEntry | null }> | null;
}

/** The parts of a FileSystemEntry read here (FileSystemFileEntry / FileSystemDirectoryEntry). */
export interface DropEntry {
  readonly isDirectory: boolean;
  readonly name: string;
  /** '/trip/day1/a.jpg': from the dropped folder's parent. */
  readonly fullPath: string;
  file?(ok: (f: File) => void, fail?: (e: unknown) => void): void;
  createReader?(): {
    readEntries(ok: (entries: DropEntry[]) => void, fail?: (e: unknown) => void): void;
  };
}

/** A dropped folder holds at most this many files (a drop of a home folder must not hang the page). */
export const MAX_DROPPED_FILES = 10_000;

/** Does this drag carry files? (Only the types are readable before the drop.) */
export function carriesFiles(data: DragData | null | undefined): boolean {
  if (data == null) return false;
  return [...(data.types as Iterable<string>)].includes(FILES_TYPE);
}

/** The files a drop holds (none for a drop of text or links). */
export function droppedFiles(data: DragData | null | undefined): File[] {
  if (!carriesFiles(data) || data?.files == null) return [];
  return Array.from(data.files);
}

/** The drop's entries, read at once (they are only readable during the drop event). */
export function droppedEntries(data: DragData | null | undefined): DropEntry[] {
  if (!carriesFiles(data) || data?.items == null) return [];
  const out: DropEntry[] = [];
  for (const item of Array.from(data.items)) {
    const entry = item.webkitGetAsEntry?.() ?? null;
    if (entry !== null) out.push(entry);
  }
  return out;
}

/** Every file under `entries`, each with its folder ('trip/day1'), depth first, at most MAX_DROPPED_FILES. */
export async function walkEntries(entries: readonly DropEntry[]): Promise<FolderFile[]> {
  const out: FolderFile[] = [];
  const visit = async (entry: DropEntry): Promise<void> => {
    if (out.length >= MAX_DROPPED_FILES) return;
    if (!entry.isDirectory) {
      const file = await new Promise<File | null>((ok) => entry.file?.(ok, () => ok(null)) ?? ok(null));
      if (file !== null) out.push({ file, path: folderOf(entry.fullPath.replace(/^\/+/, '')) });
      return;
    }
    const reader = entry.createReader?.();
    if (reader === undefined) return;
    // readEntries hands out a batch at a time (Chromium: 100) until it hands out none.
    for (;;) {
      const batch = await new Promise<DropEntry[]>((ok) => reader.readEntries(ok, () => ok([])));
      if (batch.length === 0) return;
      for (const child of batch) await visit(child);
    }
  };
  for (const entry of entries) await visit(entry);
  return out;
}

/**
 * Makes `zone` take dropped files. While it is attached, a file dropped anywhere else in the window is refused
 * rather than opened by the browser, which would replace the app (and end the session). Returns the detach.
 */
export function fileDropZone(zone: HTMLElement, onFiles: (files: (File | FolderFile)[]) => void): () => void {
  const abort = new AbortController();
  const listen = { signal: abort.signal };
  const over = (ev: DragEvent) => {
    if (!carriesFiles(ev.dataTransfer)) return;
    // Cancelling dragover is what makes this a drop target.
    ev.preventDefault();
    if (ev.dataTransfer !== null) ev.dataTransfer.dropEffect = 'copy';
    zone.classList.add(DRAGGING_CLASS);
  };
  zone.addEventListener('dragenter', over, listen);
  zone.addEventListener('dragover', over, listen);
  zone.addEventListener(
    'dragleave',
    (ev) => {
      // Moving between children fires dragleave too: only leaving the zone itself counts.
      if (!(ev.relatedTarget instanceof Node && zone.contains(ev.relatedTarget)))
        zone.classList.remove(DRAGGING_CLASS);
    },
    listen,
  );
  zone.addEventListener(
    'drop',
    (ev) => {
      if (!carriesFiles(ev.dataTransfer)) return;
      ev.preventDefault();
      zone.classList.remove(DRAGGING_CLASS);
      const entries = droppedEntries(ev.dataTransfer);
      if (entries.some((e) => e.isDirectory)) {
        void walkEntries(entries).then((files) => files.length > 0 && onFiles(files));
        return;
      }
      const files = droppedFiles(ev.dataTransfer);
      if (files.length > 0) onFiles(files);
    },
    listen,
  );
  const refuse = (ev: DragEvent) => {
    if (ev.defaultPrevented || !carriesFiles(ev.dataTransfer)) return;
    ev.preventDefault();
    if (ev.dataTransfer !== null) ev.dataTransfer.dropEffect = 'none';
  };
  window.addEventListener('dragover', refuse, listen);
  window.addEventListener('drop', refuse, listen);
  return () => abort.abort();
}
