// The executable's body: real stdin/stdout/stderr, Ctrl-C as an abort, and an exit once the session is over
// (node-datachannel's threads would otherwise keep the process alive).

import { configDir, keptCertificate } from './kept-certificate.ts';
import { run } from './main.ts';

const interrupt = new AbortController();
process.on('SIGINT', () => interrupt.abort());
const code = await run(process.argv.slice(2), {
  stdin: process.stdin,
  stdout: process.stdout,
  stderr: process.stderr,
  tty: process.stderr.isTTY === true,
  interrupt: interrupt.signal,
  certificate: () => {
    const dir = configDir(process.env);
    return { dir, ...keptCertificate(dir) };
  },
});
process.exit(code);
