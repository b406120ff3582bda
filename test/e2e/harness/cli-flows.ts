// Steps the terminal-peer tests share: `pigeon send FILE --app URL` (run from source or from the packed
// package) paired with the app, the file received and hashed by the browser, and pigeon's clean exit.
import { expect } from 'vitest';
import { type AppPage, t } from './app.ts';
import { acceptAndHash, recordObjectUrls, type Source } from './files.ts';
import type { Terminal } from './terminal.ts';

const EXIT_OK = 0;

/** The app joins `term`'s offer and takes `file`; checks its SHA-256, pigeon's exit 0 and the bye it sent. */
export async function sendToApp(
  term: Terminal,
  app: AppPage,
  file: Source,
  transferTimeoutMs: number,
): Promise<void> {
  await app.evaluate(recordObjectUrls, undefined);
  const offer = await term.code();
  // The link in the QR and on screen carries the same code after '#'.
  await term.line('stderr', `#${offer}`);
  term.type(await app.join(offer));
  await app.waitConnected();
  expect(await acceptAndHash(app, file, transferTimeoutMs)).toBe(file.sha256);
  await term.line('stderr', 'All 1 file(s) verified by the other device.', transferTimeoutMs);
  expect(await term.exitCode()).toBe(EXIT_OK);
  expect(term.errors()).toEqual([]);
  // Its bye reached the app.
  await app.waitFor('the hang-up', (s) => s.state === t('closed.remote-hangup'));
  expect(await app.pageErrors()).toEqual([]);
}
