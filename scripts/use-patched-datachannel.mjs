// npm's `prepare` (after `npm ci` / `npm install` in this checkout, never in a project that installs pigeon):
// puts the patched libdatachannel build (vendor/libdatachannel/README.md) where node-datachannel looks first,
// `node_modules/node-datachannel/build/Release/`. Only for the platform and version it was built for, and only
// if its SHA-256 is the one recorded; anywhere else node-datachannel's own binary stays, with the race.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const vendor = join(root, 'vendor', 'libdatachannel');
const BUILT_FOR = { version: '0.33.4', platform: 'linux', arch: 'x64' };
const packed = join(vendor, `node_datachannel-${BUILT_FOR.version}-linux-x64-gnu.node.gz`);
const module = join(root, 'node_modules', 'node-datachannel');
const target = join(module, 'build', 'Release', 'node_datachannel.node');

function skip(why) {
  console.warn(`pigeon: node-datachannel's own binary is used (${why}); see vendor/libdatachannel/README.md`);
  process.exit(0);
}

if (!existsSync(join(module, 'package.json'))) skip('node-datachannel is not installed');
const { version } = JSON.parse(readFileSync(join(module, 'package.json'), 'utf8'));
if (version !== BUILT_FOR.version) skip(`the patch was built for ${BUILT_FOR.version}, this is ${version}`);
if (process.platform !== BUILT_FOR.platform || process.arch !== BUILT_FOR.arch) {
  skip(`built for ${BUILT_FOR.platform}-${BUILT_FOR.arch}`);
}
// glibc, as the build: musl systems report no glibc version.
if (!process.report?.getReport().header.glibcVersionRuntime) skip('built against glibc');

const binary = gunzipSync(readFileSync(packed));
const digest = createHash('sha256').update(binary).digest('hex');
const recorded = readFileSync(join(vendor, 'SHA256SUMS'), 'utf8').split(/\s+/)[0];
if (digest !== recorded)
  throw new Error(`vendor/libdatachannel: the binary's SHA-256 ${digest} is not ${recorded}`);
const sha256Of = (path) => createHash('sha256').update(readFileSync(path)).digest('hex');
if (existsSync(target) && sha256Of(target) === digest) process.exit(0);

// Written beside and renamed over: a pigeon already running has the old file mapped, and an in-place rewrite
// would change the code under it (npm pack runs this too, while tests run).
const fresh = `${target}.${process.pid}`;
mkdirSync(dirname(target), { recursive: true });
writeFileSync(fresh, binary);
try {
  // Loadable here (a glibc as new as the build machine's)? node-datachannel would fail on it, not fall back.
  process.dlopen({ exports: {} }, fresh);
} catch (e) {
  rmSync(fresh);
  skip(`it does not load here: ${e instanceof Error ? e.message : String(e)}`);
}
renameSync(fresh, target);
console.warn(
  `pigeon: patched libdatachannel in place (${target.slice(root.length + 1)}, sha256 ${digest.slice(0, 12)}…)`,
);
