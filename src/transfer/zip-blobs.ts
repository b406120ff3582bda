// The zip of many received files, streamed. Each file's bytes are read from its Blob a piece at a time and
// passed through fflate's streaming Zip (stored, not compressed: what people send is mostly already compressed,
// and storing costs no CPU); the output is gathered into Blob parts as it comes, so the page never holds more
// than a few pieces besides what the browser keeps in its Blob storage. A lazy chunk (app/files.ts).

import { Zip, ZipPassThrough } from 'fflate';
import { BLOB_BATCH_BYTES } from './sink.ts';
import { type ZipEntry, zipNames } from './zip.ts';

/** The zip of `entries`, in order, as one Blob (generic type, so it downloads). Rejects on abort. */
export async function zipBlobs(entries: readonly ZipEntry[], signal?: AbortSignal): Promise<Blob> {
  const parts: Blob[] = [];
  let pending: Uint8Array<ArrayBuffer>[] = [];
  let pendingBytes = 0;
  let failure: Error | null = null;
  const flush = () => {
    if (pending.length === 0) return;
    parts.push(new Blob(pending));
    pending = [];
    pendingBytes = 0;
  };
  let ended = false;
  const zip = new Zip((error, data, final) => {
    if (error !== null) {
      failure = error;
      return;
    }
    pending.push(data as Uint8Array<ArrayBuffer>);
    pendingBytes += data.length;
    if (pendingBytes >= BLOB_BATCH_BYTES) flush();
    if (final) ended = true;
  });
  const names = zipNames(entries);
  for (const [i, entry] of entries.entries()) {
    signal?.throwIfAborted();
    const file = new ZipPassThrough(names[i] ?? entry.name);
    zip.add(file);
    const reader = entry.blob.stream().getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        signal?.throwIfAborted();
        if (done) break;
        file.push(value);
        if (failure !== null) throw failure;
      }
    } finally {
      reader.releaseLock();
    }
    file.push(new Uint8Array(0), true);
  }
  zip.end();
  if (failure !== null) throw failure;
  if (!ended) throw new Error('zip did not end');
  flush();
  return new Blob(parts, { type: 'application/octet-stream' });
}
