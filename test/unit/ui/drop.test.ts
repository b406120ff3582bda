// Which drags the chat takes (src/ui/drop.ts): only those carrying files, so text dragged into the chat input
// keeps the browser's own behaviour.
import { describe, expect, it } from 'vitest';
import { carriesFiles, droppedFiles, FILES_TYPE } from '../../../src/ui/drop.ts';

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
