// Where received bytes go. In memory they are gathered into Blobs (which the browser may page to disk), or they
// stream into a file the person picked (File System Access API), which is only committed if the digest matches.

export interface Sink {
  /** Called in order; the view may be kept (it is never reused by the caller). */
  write(bytes: Uint8Array): Promise<void>;
  /** All bytes are in: the finished file as a Blob, or null when it went straight to disk. */
  finish(): Promise<Blob | null>;
  /** Discards whatever was written (a file on disk is never committed). */
  abort(): Promise<void>;
}

/** Chunks are joined into Blobs of about this size, so the page holds few small buffers at once. */
export const BLOB_BATCH_BYTES = 4 * 1024 * 1024;

/**
 * Keeps the file as Blob parts. The resulting Blob is always `application/octet-stream`: a peer's declared type
 * must not make the browser render its bytes as a page of this origin.
 */
export function memorySink(batchBytes = BLOB_BATCH_BYTES): Sink {
  let parts: Blob[] = [];
  let pending: Uint8Array<ArrayBuffer>[] = [];
  let pendingBytes = 0;
  const flush = (): void => {
    if (pending.length === 0) return;
    parts.push(new Blob(pending));
    pending = [];
    pendingBytes = 0;
  };
  return {
    async write(bytes) {
      pending.push(bytes as Uint8Array<ArrayBuffer>);
      pendingBytes += bytes.length;
      if (pendingBytes >= batchBytes) flush();
    },
    async finish() {
      flush();
      const blob = new Blob(parts, { type: 'application/octet-stream' });
      parts = [];
      return blob;
    },
    async abort() {
      parts = [];
      pending = [];
      pendingBytes = 0;
    },
  };
}

/** The part of FileSystemWritableFileStream a disk sink needs. */
export interface WritableFile {
  write(data: Uint8Array<ArrayBuffer>): Promise<void>;
  close(): Promise<void>;
  abort(): Promise<void>;
}

/** Streams into a file picked with showSaveFilePicker; nothing is committed before finish(). */
export function diskSink(file: WritableFile): Sink {
  return {
    write: (bytes) => file.write(bytes as Uint8Array<ArrayBuffer>),
    async finish() {
      await file.close();
      return null;
    },
    abort: () => file.abort().catch(() => undefined),
  };
}
