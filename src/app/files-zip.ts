// "Save all": the received files as one zip, made in the background (fflate's Zip is a lazy chunk, as most
// sessions never make one); a newer request replaces one still being made.

import { fitsOneZip, type ZipEntry } from '../transfer/index.ts';

/** The zip of the received files: being made, or made (a Blob to download), or it could not be made. */
export type ZipState =
  | { readonly status: 'making'; readonly count: number }
  | { readonly status: 'ready'; readonly count: number; readonly blob: Blob; readonly name: string }
  | { readonly status: 'failed' };

/** What "Save all" downloads. */
export const ZIP_NAME = 'pigeon-files.zip';

export interface Zipper {
  state(): ZipState | null;
  make(entries: readonly ZipEntry[]): void;
  dispose(): void;
}

export function createZipper(onChange: () => void): Zipper {
  let zip: ZipState | null = null;
  let abort: AbortController | null = null;
  return {
    state: () => zip,
    make(entries) {
      if (entries.length === 0 || !fitsOneZip(entries)) return;
      abort?.abort();
      const mine = new AbortController();
      abort = mine;
      zip = { status: 'making', count: entries.length };
      onChange();
      import('../transfer/zip-blobs.ts')
        .then((m) => m.zipBlobs(entries, mine.signal))
        .then(
          (blob) => {
            if (mine.signal.aborted) return;
            zip = { status: 'ready', count: entries.length, blob, name: ZIP_NAME };
            onChange();
          },
          () => {
            if (mine.signal.aborted) return;
            zip = { status: 'failed' };
            onChange();
          },
        );
    },
    dispose: () => abort?.abort(),
  };
}
