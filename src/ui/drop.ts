// Dropping files to send them: the whole chat screen is the drop zone. Only drags that carry files are taken,
// so dragging text into (or out of) the chat input keeps the browser's own behaviour. A pointer-only extra:
// the picker button stays the way in for keyboards and screen readers.

/** The DataTransfer type a drag of files (from the desktop or a file manager) announces. */
export const FILES_TYPE = 'Files';
/** Class on the zone while files hover over it. */
export const DRAGGING_CLASS = 'dragging';

/** The parts of DataTransfer read here (a plain object in node tests). */
export interface DragData {
  readonly types: readonly string[] | DOMStringList;
  readonly files?: ArrayLike<File> | null;
}

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

/**
 * Makes `zone` take dropped files. While it is attached, a file dropped anywhere else in the window is refused
 * rather than opened by the browser, which would replace the app (and end the session). Returns the detach.
 */
export function fileDropZone(zone: HTMLElement, onFiles: (files: File[]) => void): () => void {
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
