// Saving many received files at once, as one zip: what fits in one and the names inside it. The zip itself is
// made by zip-blobs.ts, loaded only when the person asks for one (fflate's Zip stays off the first load).

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
