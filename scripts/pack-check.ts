// The package as a user gets it: `npm pack` (which builds the CLI), the tarball installed into an empty folder
// with nothing else, then `npx pigeon --help` there. Prints each step; exits non-zero when one fails.
// The steps live in scripts/pack.ts (test/e2e/cli-pack.test.ts pairs the installed command with a browser).
import { readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { installInto, packInto, ROOT, runStep } from './pack.ts';

const work = await mkdtemp(join(tmpdir(), 'pigeon-pack-'));
try {
  let since = Date.now();
  const packed = await packInto(work);
  console.log(`packed ${packed.tarball} in ${Date.now() - since} ms: ${packed.files.join(', ')}`);
  const app = join(work, 'empty');
  since = Date.now();
  await installInto(app, packed.tarball);
  console.log(`installed into an empty folder in ${Date.now() - since} ms`);
  const help = await runStep('npx', ['pigeon', '--help'], app);
  if (!help.includes('pigeon send FILE')) throw new Error(`npx pigeon --help printed:\n${help}`);
  console.log('npx pigeon --help: ok');
  // The codec on its own: an offer from the fixtures to a code and back, through the package's own entry.
  const offer = readFileSync(join(ROOT, 'test/fixtures/sdp/base/chrome-chrome-rawip-offer.sdp'), 'utf8');
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
  const codec = await runStep('node', ['probe.mjs'], app);
  if (!packed.files.includes('build/codec/index.d.ts')) throw new Error('no codec types packed');
  console.log(`import 'pigeon/codec': ok (${codec.trim()}), types packed`);
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
} finally {
  await rm(work, { recursive: true, force: true });
}
