// hello names the app and its major version only, never the exact build (issue 14, privacy).
import { describe, expect, it } from 'vitest';
import { helloApp } from '../../../src/app/hello.ts';

describe('what hello says this device is', () => {
  it('the name and the major version; build metadata and minor versions stay home', () => {
    expect(helloApp('0.1.0')).toBe('Pigeon 0');
    expect(helloApp('0.1.0+2')).toBe('Pigeon 0');
    expect(helloApp('12.3.4-beta.1+abc')).toBe('Pigeon 12');
    expect(helloApp('')).toBe('Pigeon');
  });
});
