// Pigeon refuses to run framed (issue 14, hole 13): the check main.ts makes before anything starts.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isFramed } from '../../../src/app/framed.ts';

describe('framed pages', () => {
  it('a top-level page runs; a framed one, or one whose top cannot be read, does not', () => {
    const page = {};
    expect(isFramed({ top: page, self: page })).toBe(false);
    expect(isFramed({ top: {}, self: page })).toBe(true);
    const hidden = {
      self: page,
      get top(): unknown {
        throw new Error('SecurityError');
      },
    };
    expect(isFramed(hidden)).toBe(true);
  });

  it('the entry checks before it boots (boot() is called only in the branch that is not framed)', () => {
    const main = readFileSync(resolve(import.meta.dirname, '../../../src/main.ts'), 'utf8');
    const check = main.indexOf('if (isFramed(window))');
    expect(check).toBeGreaterThan(0);
    expect(main.indexOf('boot();')).toBeGreaterThan(check);
    expect(main.match(/boot\(\)/g)?.length).toBe(1);
  });
});
