// The terminal's files: sources read lazily from disk, and received files written into one folder under their
// sanitised names, never outside it, never over an existing file unless asked.

import { randomUUID } from 'node:crypto';
import { constants, openAsBlob } from 'node:fs';
import { copyFile, type FileHandle, link, open, rename, rm, stat } from 'node:fs/promises';
import { basename, join, relative, resolve, sep } from 'node:path';
import { FALLBACK_NAME, type Sink, sanitizeFileName } from '../transfer/index.ts';

/** A file on disk as the transfer engine takes it; its bytes are read as they are sent. */
export async function fileFrom(path: string): Promise<File> {
  const info = await stat(path);
  if (!info.isFile()) throw new Error(`${path} is not a file`);
  const blob = await openAsBlob(path);
  return new File([blob], basename(path), { lastModified: info.mtimeMs });
}

/**
 * Where a received file goes: DIR/name with the name sanitised again (the engine already did; the folder is
 * this room's promise, so it checks for itself), or null if that would leave DIR.
 */
export function targetIn(dir: string, name: string): string | null {
  const safe = sanitizeFileName(basename(name)) || FALLBACK_NAME;
  const root = resolve(dir);
  const target = resolve(root, safe);
  const rel = relative(root, target);
  if (rel === '' || rel.startsWith('..') || rel.includes(sep)) return null;
  return target;
}

export interface DiskSinkOptions {
  readonly overwrite: boolean;
}

/**
 * Writes into a hidden part file beside the target, which becomes the target only once the digest matched
 * (finish); a mismatch or cancel deletes it (abort). Without overwrite the target is claimed exclusively, so
 * an existing file is never replaced.
 */
export async function diskSink(target: string, opts: DiskSinkOptions): Promise<Sink> {
  const dir = resolve(target, '..');
  const part = join(dir, `.${basename(target)}.${randomUUID().slice(0, 8)}.part`);
  const file: FileHandle = await open(part, 'wx');
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await file.close();
  };
  return {
    async write(bytes) {
      await file.write(bytes);
    },
    async finish() {
      await close();
      try {
        if (opts.overwrite) await rename(part, target);
        else await claim(part, target);
      } finally {
        await rm(part, { force: true });
      }
      return null;
    },
    async abort() {
      await close().catch(() => undefined);
      await rm(part, { force: true });
    },
  };
}

/** part becomes target unless target exists: a hard link refuses an existing name (rename would replace it). */
async function claim(part: string, target: string): Promise<void> {
  try {
    await link(part, target);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw error;
    // A file system without hard links: copy, still refusing an existing target.
    await copyFile(part, target, constants.COPYFILE_EXCL);
  }
}

/** True if something already has this path. */
export async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}
