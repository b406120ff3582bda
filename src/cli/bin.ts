// The executable's body: real stdin/stdout/stderr, Ctrl-C as an abort, and an exit once the session is over
// (node-datachannel's threads would otherwise keep the process alive).

import { configDir, keptCertificate } from './kept-certificate.ts';
import { run } from './main.ts';

const argv = process.argv.slice(2);
const asksHelp = argv.includes('--help') || argv.includes('-h');
const kept = asksHelp ? null : keptCertificate(configDir(process.env));
if (kept !== null && !kept.kept)
  process.stderr.write(
    `pigeon: cannot keep a certificate in ${configDir(process.env)} (${kept.why}); this run uses its own, so a device that verified this terminal will not recognise it.\n`,
  );
const interrupt = new AbortController();
process.on('SIGINT', () => interrupt.abort());
const code = await run(argv, {
  stdin: process.stdin,
  stdout: process.stdout,
  stderr: process.stderr,
  tty: process.stderr.isTTY === true,
  interrupt: interrupt.signal,
  ...(kept === null ? {} : { certificate: kept.pem }),
});
process.exit(code);
