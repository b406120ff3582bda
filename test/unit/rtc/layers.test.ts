// src/rtc's rooms import one way: no cycle between the folders under src/rtc (see ARCHITECTURE.md for the
// layers). `npx tsx scripts/rtc-layers.ts` prints the whole graph.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  arrowsBetween,
  cyclesOf,
  fileGraph,
  type Graph,
  layersOf,
  RTC_DIR,
  roomGraph,
  roomOf,
  specifiersOf,
} from '../../../scripts/rtc-layers.ts';

const graphOf = (edges: Record<string, string[]>): Graph =>
  new Map(Object.entries(edges).map(([from, to]) => [from, new Set(to)]));

describe('the import reader', () => {
  it('sees every import form src/rtc uses, and nothing in comments or strings', () => {
    const text = [
      "import { a } from './a.ts';",
      'import type {',
      '  B,',
      '  C,',
      "} from '../b/b.ts';",
      "import './side-effect.ts';",
      "export { d } from './d.ts';",
      "export * from './e.ts';",
      "// import { z } from './not-this.ts';",
      " * import { y } from './nor-this.ts';",
      "export const label = 'from';",
      "export type Kind = 'a' | 'b';",
    ].join('\n');
    expect(specifiersOf(text)).toEqual(['./a.ts', '../b/b.ts', './side-effect.ts', './d.ts', './e.ts']);
  });

  it('reads as many imports from each src/rtc file as it has from-clauses outside comments', () => {
    const fromClauses = (text: string): number =>
      text.split('\n').filter((line) => !/^\s*(\/\/|\*)/.test(line) && /\bfrom\s*['"]/.test(line)).length;
    const files = readdirSync(RTC_DIR, { recursive: true, encoding: 'utf8' }).filter((f) =>
      f.endsWith('.ts'),
    );
    expect(files.length).toBeGreaterThan(15);
    for (const file of files) {
      const text = readFileSync(join(RTC_DIR, file), 'utf8');
      expect(specifiersOf(text).length, file).toBe(fromClauses(text));
    }
  });

  it('resolves every relative import inside src/rtc to a file that exists', () => {
    const files = fileGraph();
    for (const [from, targets] of files)
      for (const target of targets) expect(files.has(target), `${from} → ${target}`).toBe(true);
  });
});

describe('cycle finding', () => {
  it('finds a loop across three nodes, and only it', () => {
    const graph = graphOf({ a: ['b'], b: ['c'], c: ['a'], d: ['a'], e: [] });
    expect(cyclesOf(graph)).toEqual([['a', 'b', 'c']]);
    expect(layersOf(graph)).toBeNull();
  });

  it('finds none in a graph that only points down, and lays it out bottom first', () => {
    const graph = graphOf({ top: ['mid', 'low'], mid: ['low'], low: [] });
    expect(cyclesOf(graph)).toEqual([]);
    expect(layersOf(graph)).toEqual([['low'], ['mid'], ['top']]);
  });

  it('counts two files importing each other across rooms as a room cycle', () => {
    const files = graphOf({
      'x/one.ts': ['y/two.ts'],
      'y/two.ts': ['y/three.ts'],
      'y/three.ts': ['x/one.ts'],
    });
    expect(cyclesOf(roomGraph(files))).toEqual([['x', 'y']]);
    expect(arrowsBetween(files, ['x', 'y'])).toEqual(['x/one.ts → y/two.ts', 'y/three.ts → x/one.ts']);
  });
});

describe('src/rtc', () => {
  const files = fileGraph();
  const rooms = roomGraph(files);

  it('is made of rooms, with only the entry point at its top', () => {
    expect([...files.keys()].filter((file) => roomOf(file) === '.')).toEqual(['index.ts']);
    expect(rooms.size).toBeGreaterThan(3);
  });

  it('has no cycle between its rooms', () => {
    const report = cyclesOf(rooms).map((cycle) =>
      [cycle.join(' ↔ '), ...arrowsBetween(files, cycle)].join('\n  '),
    );
    expect(report, 'room cycles, with the imports that make them').toEqual([]);
  });

  it('opens each room with a line saying what it holds', () => {
    for (const room of [...rooms.keys()].filter((r) => r !== '.')) {
      const heads = [...files.keys()]
        .filter((file) => roomOf(file) === room)
        .map((file) => readFileSync(join(RTC_DIR, file), 'utf8').split('\n')[0] ?? '');
      expect(
        heads.some((line) => line.startsWith(`// Room ${room}/:`)),
        room,
      ).toBe(true);
    }
  });
});
