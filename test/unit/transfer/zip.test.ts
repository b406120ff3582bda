// Save all as one zip: unzipped again with fflate, every entry has its folder, its name and its exact bytes.
import { unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { fitsOneZip, ZIP_MAX_BYTES, zipNames } from '../../../src/transfer/zip.ts';
import { zipBlobs } from '../../../src/transfer/zip-blobs.ts';
import { bytes } from './bytes.ts';

/** A Blob of several parts, as the memory sink makes them (so the zip reads it in pieces). */
const blobOf = (data: Uint8Array<ArrayBuffer>, parts = 3) => {
  const step = Math.ceil(data.length / parts);
  return new Blob(Array.from({ length: parts }, (_, i) => data.slice(i * step, (i + 1) * step)));
};

describe('zipBlobs', () => {
  it('holds every file under its folder with its exact bytes', async () => {
    const files = [
      { folder: 'trip/day1', name: 'a.bin', data: bytes(300_000, 1) },
      { folder: 'trip/day2', name: 'b.bin', data: bytes(5 * 1024 * 1024 + 3, 2) },
      { folder: '', name: '照片.txt', data: bytes(10, 3) },
      { folder: 'trip', name: 'empty', data: new Uint8Array(0) },
    ];
    const zip = await zipBlobs(files.map((f) => ({ folder: f.folder, name: f.name, blob: blobOf(f.data) })));
    expect(zip.type).toBe('application/octet-stream');
    const back = unzipSync(new Uint8Array(await zip.arrayBuffer()));
    expect(Object.keys(back)).toEqual(['trip/day1/a.bin', 'trip/day2/b.bin', '照片.txt', 'trip/empty']);
    for (const f of files) {
      const path = f.folder === '' ? f.name : `${f.folder}/${f.name}`;
      expect(Buffer.from(back[path] ?? []).equals(Buffer.from(f.data)), path).toBe(true);
    }
  });

  it('stops when aborted', async () => {
    const abort = new AbortController();
    abort.abort();
    await expect(
      zipBlobs([{ folder: '', name: 'a', blob: new Blob(['x']) }], abort.signal),
    ).rejects.toThrow();
  });
});

describe('zip names and limits', () => {
  it('two files of one name in one folder both stay (case folded)', () => {
    expect(
      zipNames([
        { folder: 'f', name: 'a.txt' },
        { folder: 'f', name: 'A.txt' },
        { folder: 'f', name: 'a.txt' },
        { folder: 'g', name: 'a.txt' },
        { folder: '', name: 'noext' },
        { folder: '', name: 'noext' },
      ]),
    ).toEqual(['f/a.txt', 'f/A (2).txt', 'f/a (3).txt', 'g/a.txt', 'noext', 'noext (2)']);
  });

  it('no zip64: more than ZIP_MAX_BYTES in all does not fit one zip', () => {
    const sized = (size: number) => ({ blob: { size } as Blob });
    expect(fitsOneZip([sized(ZIP_MAX_BYTES - 1), sized(1)])).toBe(true);
    expect(fitsOneZip([sized(ZIP_MAX_BYTES), sized(1)])).toBe(false);
  });
});
