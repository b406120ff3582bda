// Saving many received files at once: one zip, streamed. Each file's bytes are read from its Blob a piece at a
// time and passed through fflate's streaming Zip (stored, not compressed: what people send is mostly already
// compressed, and storing costs no CPU); the output is gathered into Blob parts as it comes, so the page never
// holds more than a few pieces besides what the browser keeps in its Blob storage.

import { Zip, ZipPassThrough } from 'fflate';
import { BLOB_BATCH_BYTES } from './sink.ts';

/**
 * fflate writes no zip64 records: every size and offset must fit 32 bits. Kept a little under 4 GiB so the
 * headers and the central directory fit too.
 */
export const ZIP_MAX_BYTES = 0xffff_ffff - 64 * 1024 * 1024;

export interface ZipEntry {
  /** The file's folder ('photos/2024', '' for none): already safe names joined by '/'. */
  readonly folder: string;
  readonly name: string;
  readonly blob: Blob;
}

/** Whether these files fit in one zip (no zip64). */
export function fitsOneZip(entries: readonly Pick<ZipEntry, 'blob'>[]): boolean {
  return entries.reduce((sum, e) => sum + e.blob.size, 0) <= ZIP_MAX_BYTES;
}

/** Entry names, made unique (case folded, as Windows and macOS compare): 'a.txt', 'a (2).txt', … */
export function zipNames(entries: readonly Pick<ZipEntry, 'folder' | 'name'>[]): string[] {
  const taken = new Set<string>();
  return entries.map(({ folder, name }) => {
    const dot = name.lastIndexOf('.');
    const [stem, ext] = dot > 0 ? [name.slice(0, dot), name.slice(dot)] : [name, ''];
    const prefix = folder === '' ? '' : `${folder}/`;
    let candidate = `${prefix}${name}`;
    for (let k = 2; taken.has(candidate.toLowerCase()); k++) candidate = `${prefix}${stem} (${k})${ext}`;
    taken.add(candidate.toLowerCase());
    return candidate;
  });
}

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
