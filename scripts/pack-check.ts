// The package as a user gets it: `npm pack` (which builds the CLI), the tarball installed into an empty folder
// with nothing else, then `npx pigeon --help` there. Prints each step; exits non-zero when one fails.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const work = mkdtempSync(join(tmpdir(), 'pigeon-pack-'));
const npm = (args: string[], cwd: string) =>
  execFileSync('npm', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

try {
  const packed = JSON.parse(npm(['pack', '--json', '--pack-destination', work], root)) as {
    filename: string;
    files: { path: string }[];
  }[];
  const tarball = packed[0];
  if (tarball === undefined) throw new Error('npm pack made nothing');
  console.log(`packed ${tarball.filename}: ${tarball.files.map((f) => f.path).join(', ')}`);
  const app = join(work, 'empty');
  execFileSync('mkdir', [app]);
  writeFileSync(join(app, 'package.json'), '{"private":true}\n');
  const installed = execFileSync(
    'npm',
    ['install', '--no-audit', '--no-fund', join(work, tarball.filename)],
    {
      cwd: app,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  console.log(`installed into an empty folder: ${installed.trim().split('\n').at(-1) ?? ''}`);
  const help = execFileSync('npx', ['pigeon', '--help'], { cwd: app, encoding: 'utf8' });
  if (!help.includes('pigeon send FILE')) throw new Error(`npx pigeon --help printed:\n${help}`);
  console.log('npx pigeon --help: ok');
  // The codec on its own: an offer from the fixtures to a code and back, through the package's own entry.
  const offer = readFileSync(join(root, 'test/fixtures/sdp/base/chrome-chrome-rawip-offer.sdp'), 'utf8');
  writeFileSync(join(app, 'offer.sdp'), offer);
  const probe = [
    "import { readFileSync } from 'node:fs';",
    "import { encodeDescription, decodeInput } from 'pigeon/codec';",
    "const sdp = readFileSync('offer.sdp', 'utf8');",
    "const code = encodeDescription({ type: 'offer', sdp });",
    'if (!code.ok) throw new Error(code.error.kind);',
    "const back = decodeInput(code.value.text, { expect: 'offer' });",
    "if (!back.ok || !back.value.sdp.startsWith('v=0')) throw new Error('no round trip');",
    "console.log(code.value.form + ' code, ' + code.value.text.length + ' characters');",
  ].join('\n');
  writeFileSync(join(app, 'probe.mjs'), probe);
  const codec = execFileSync('node', ['probe.mjs'], { cwd: app, encoding: 'utf8' });
  if (!tarball.files.some((f) => f.path === 'build/codec/index.d.ts'))
    throw new Error('no codec types packed');
  console.log(`import 'pigeon/codec': ok (${codec.trim()}), types packed`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
