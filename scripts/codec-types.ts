// After `tsc -p tsconfig.codec.json`: the declarations import './x.ts' (the source's own specifiers); a consumer
// resolves './x.js' to x.d.ts, so the specifiers are rewritten. The JavaScript is one bundle (esbuild).
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const dir = resolve(import.meta.dirname, '../build/codec');
for (const name of readdirSync(dir).filter((n) => n.endsWith('.d.ts'))) {
  const path = join(dir, name);
  writeFileSync(path, readFileSync(path, 'utf8').replace(/(from '\.\/[\w-]+)\.ts'/g, "$1.js'"));
}
