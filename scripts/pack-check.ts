// The package as a user gets it: `npm pack` (which builds the CLI), the tarball installed into an empty folder
// with nothing else, then `npx pigeon --help` there. Prints each step; exits non-zero when one fails.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
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
  console.log(help.split('\n')[0]);
} finally {
  rmSync(work, { recursive: true, force: true });
}
