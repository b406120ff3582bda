// Which drags the chat takes (src/ui/drop.ts): only those carrying files, so text dragged into the chat input
// keeps the browser's own behaviour.
import { describe, expect, it } from 'vitest';
import {
  carriesFiles,
  type DropEntry,
  droppedEntries,
  droppedFiles,
  FILES_TYPE,
  walkEntries,
} from '../../../src/ui/drop.ts';

const file = new File(['x'], 'x.txt');

describe('drop zone: which drags count', () => {
  it('a drag of files counts, and its files are what the drop offers', () => {
    const data = { types: [FILES_TYPE], files: [file] };
    expect(carriesFiles(data)).toBe(true);
    expect(droppedFiles(data)).toEqual([file]);
  });

  it('text and links do not count (the chat input takes them as usual)', () => {
    for (const types of [['text/plain'], ['text/uri-list', 'text/html'], []]) {
      expect(carriesFiles({ types, files: [] }), types.join()).toBe(false);
      expect(droppedFiles({ types, files: [file] })).toEqual([]);
    }
  });

  it('no data (a synthetic drag event) is no files', () => {
    expect(carriesFiles(null)).toBe(false);
    expect(droppedFiles(undefined)).toEqual([]);
    expect(droppedFiles({ types: [FILES_TYPE], files: null })).toEqual([]);
  });
});

/** A fake FileSystemEntry tree; directories hand out their children in batches of two, as readEntries does. */
function fileEntry(fullPath: string): DropEntry {
  const name = fullPath.slice(fullPath.lastIndexOf('/') + 1);
  return { isDirectory: false, name, fullPath, file: (ok) => ok(new File([fullPath], name)) };
}
function dirEntry(fullPath: string, children: DropEntry[]): DropEntry {
  const name = fullPath.slice(fullPath.lastIndexOf('/') + 1);
  return {
    isDirectory: true,
    name,
    fullPath,
    createReader() {
      let at = 0;
      return {
        readEntries(ok) {
          const batch = children.slice(at, at + 2);
          at += batch.length;
          setTimeout(() => ok(batch), 0);
        },
      };
    },
  };
}

describe('drop zone: a dropped folder', () => {
  it('every file under it, with its folder, across readEntries batches; a file beside it has none', async () => {
    const tree = dirEntry('/trip', [
      dirEntry('/trip/day1', [fileEntry('/trip/day1/a.jpg'), fileEntry('/trip/day1/b.jpg')]),
      dirEntry('/trip/day2', [fileEntry('/trip/day2/c.jpg')]),
      fileEntry('/trip/notes.txt'),
      dirEntry('/trip/empty', []),
    ]);
    const data = {
      types: [FILES_TYPE],
      items: [tree, fileEntry('/lone.txt')].map((e) => ({ webkitGetAsEntry: () => e })),
    };
    const entries = droppedEntries(data);
    expect(entries.map((e) => e.isDirectory)).toEqual([true, false]);
    const files = await walkEntries(entries);
    expect(files.map((f) => [f.path, f.file.name])).toEqual([
      ['trip/day1', 'a.jpg'],
      ['trip/day1', 'b.jpg'],
      ['trip/day2', 'c.jpg'],
      ['trip', 'notes.txt'],
      ['', 'lone.txt'],
    ]);
  });

  it('a file that cannot be read is left out, the rest still come', async () => {
    const broken: DropEntry = {
      isDirectory: false,
      name: 'x',
      fullPath: '/d/x',
      file: (_ok, fail) => fail?.(new Error('gone')),
    };
    const files = await walkEntries([dirEntry('/d', [broken, fileEntry('/d/y')])]);
    expect(files.map((f) => `${f.path}/${f.file.name}`)).toEqual(['d/y']);
  });
});
