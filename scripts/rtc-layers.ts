// The import graph of src/rtc, file by file and room by room (a room is a folder directly under src/rtc; the
// files at its top, index.ts, are the room '.'). test/unit/rtc/layers.test.ts fails on any cycle it finds;
// `npx tsx scripts/rtc-layers.ts` prints the graph, its rooms in layers from the bottom up.
// A regex over import lines, not the compiler: TypeScript 7 has no stable JS API, and src/rtc uses only static
// `import … from`, `export … from` and bare `import '…'` (a dynamic import() would not be seen).

import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, posix, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

export const RTC_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../src/rtc');

/** `import x from '…'`, `import type { … } from '…'` over several lines, `export { … } from '…'`, `import '…'`. */
const IMPORT = /^\s*(?:import|export)\b(?:[^'";]*?\bfrom)?\s*['"]([^'"]+)['"]/gm;

/** Every module specifier a source text imports or re-exports. */
export function specifiersOf(text: string): string[] {
  return [...text.matchAll(IMPORT)].map((m) => m[1] ?? '');
}

export type Graph = ReadonlyMap<string, ReadonlySet<string>>;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => join(entry.parentPath, entry.name));
}

/** File → the files inside `dir` it imports, as posix paths relative to `dir` (imports from outside are left out). */
export function fileGraph(dir: string = RTC_DIR): Graph {
  const graph = new Map<string, Set<string>>();
  for (const file of sourceFiles(dir)) {
    const from = relative(dir, file).split(sep).join(posix.sep);
    const targets = new Set<string>();
    for (const spec of specifiersOf(readFileSync(file, 'utf8'))) {
      if (!spec.startsWith('.')) continue;
      const target = posix.normalize(posix.join(posix.dirname(from), spec));
      if (!target.startsWith('..')) targets.add(target);
    }
    graph.set(from, targets);
  }
  return graph;
}

/** 'session/session.ts' → 'session'; 'index.ts' → '.'. */
export const roomOf = (file: string): string => (file.includes('/') ? (file.split('/')[0] ?? '.') : '.');

/** Room → the other rooms its files import. */
export function roomGraph(files: Graph): Graph {
  const rooms = new Map<string, Set<string>>();
  for (const [from, targets] of files) {
    const room = roomOf(from);
    const out = rooms.get(room) ?? new Set<string>();
    rooms.set(room, out);
    for (const target of targets) if (roomOf(target) !== room) out.add(roomOf(target));
  }
  return rooms;
}

/** The file-to-file imports that run between two rooms of `rooms`, as 'from → to' lines. */
export function arrowsBetween(files: Graph, rooms: readonly string[]): string[] {
  const lines: string[] = [];
  for (const [from, targets] of files)
    for (const target of targets)
      if (roomOf(from) !== roomOf(target) && rooms.includes(roomOf(from)) && rooms.includes(roomOf(target)))
        lines.push(`${from} → ${target}`);
  return lines.sort();
}

/** The graph's cycles: every strongly connected component of more than one node (Tarjan), each sorted. */
export function cyclesOf(graph: Graph): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (node: string): void => {
    index.set(node, index.size);
    low.set(node, index.get(node) ?? 0);
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node) ?? 0, low.get(next) ?? 0));
      } else if (onStack.has(next)) {
        low.set(node, Math.min(low.get(node) ?? 0, index.get(next) ?? 0));
      }
    }
    if (low.get(node) !== index.get(node)) return;
    const component: string[] = [];
    for (let top = stack.pop(); top !== undefined; top = stack.pop()) {
      onStack.delete(top);
      component.push(top);
      if (top === node) break;
    }
    if (component.length > 1) found.push(component.sort());
  };
  for (const node of graph.keys()) if (!index.has(node)) visit(node);
  return found;
}

/** Rooms in layers, bottom first: each layer imports only layers below it. Null if the graph has a cycle. */
export function layersOf(graph: Graph): string[][] | null {
  if (cyclesOf(graph).length > 0) return null;
  const depth = new Map<string, number>();
  const depthOf = (node: string): number => {
    const known = depth.get(node);
    if (known !== undefined) return known;
    const d = Math.max(-1, ...[...(graph.get(node) ?? [])].map(depthOf)) + 1;
    depth.set(node, d);
    return d;
  };
  const layers: string[][] = [];
  for (const node of [...graph.keys()].sort()) {
    const d = depthOf(node);
    layers[d] = [...(layers[d] ?? []), node];
  }
  return layers;
}

function print(): void {
  const files = fileGraph();
  const rooms = roomGraph(files);
  console.log('rooms (→ rooms imported):');
  for (const [room, targets] of [...rooms].sort())
    console.log(`  ${room} → ${[...targets].sort().join(', ')}`);
  console.log('cross-room imports:');
  for (const [from, targets] of [...files].sort())
    for (const target of [...targets].sort())
      if (roomOf(from) !== roomOf(target)) console.log(`  ${from} → ${target}`);
  const layers = layersOf(rooms);
  for (const [i, layer] of (layers ?? []).entries()) console.log(`layer ${i}: ${layer.join(', ')}`);
  for (const cycle of cyclesOf(rooms)) console.log(`room cycle: ${cycle.join(' ↔ ')}`);
  for (const cycle of cyclesOf(files)) console.log(`file cycle: ${cycle.join(' ↔ ')}`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) print();
