// Real SDPs captured from browsers: the first-exchange set (test/fixtures/sdp/base) and the ones
// scripts/capture-sdp.ts captured (test/fixtures/sdp/captured). Answers are paired with their offers by file name.

import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { SignalType } from '../../../src/codec/types.ts';

/** First-exchange fixtures and the restart/TURN/IPv6 ones captured by scripts/capture-sdp.ts. */
const ROOTS = {
  base: resolve(import.meta.dirname, '../../fixtures/sdp/base'),
  captured: resolve(import.meta.dirname, '../../fixtures/sdp/captured'),
};

export interface Fixture {
  readonly name: string;
  readonly type: SignalType;
  readonly sdp: string;
  /** For answers: the offer of the same exchange. */
  readonly offer: string | null;
  readonly dataOnly: boolean;
}

function walk(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? walk(p) : n.endsWith('.sdp') ? [p] : [];
  });
}

export function loadFixtures(): Fixture[] {
  return Object.entries(ROOTS).flatMap(([label, root]) =>
    walk(root).map((path) => fixture(label, root, path)),
  );
}

function fixture(label: string, root: string, path: string): Fixture {
  const sdp = readFileSync(path, 'utf8');
  const type: SignalType = /answer/.test(path.slice(path.lastIndexOf('/'))) ? 'answer' : 'offer';
  const offerPath = path.replace(/answer(?=[^/]*$)/, 'offer');
  const offer = type === 'answer' && existsSync(offerPath) ? readFileSync(offerPath, 'utf8') : null;
  const dataOnly = sdp.split('\nm=').length === 2 && /m=application/.test(sdp);
  return { name: `${label}/${path.slice(root.length + 1)}`, type, sdp, offer, dataOnly };
}
