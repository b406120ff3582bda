// The command line: what each command and option means, checked before anything connects.

import { stat } from 'node:fs/promises';
import { parseArgs } from 'node:util';

export const USAGE = `pigeon: send and receive files and chat with the Pigeon app, by QR or text code, no server.

Usage:
  pigeon send FILE...      start; send the files once the other device answers
  pigeon receive [DIR]     start; save the files the other device sends into DIR (default: .)
  pigeon join CODE [FILE...]
                           answer the other device's offer; send FILEs, or save what it sends (--dir)
  pigeon chat              start; typed lines are sent, the other device's messages are printed

Options:
  --answer CODE   the other device's answer (otherwise it is read from stdin)
  --app URL       put the app's link in the QR code and print it (URL#code opens the app with the code)
  --dir DIR       where join saves received files (default: .)
  --overwrite     replace existing files when receiving (default: never)
  --no-qr         print the text code only
  -h, --help      this help

After connecting, every line typed is sent as a chat message, and messages that arrive are printed.
Ctrl-C says bye to the other device and exits.`;

export type Mode = 'send' | 'receive' | 'join' | 'chat';

export interface Plan {
  readonly mode: Mode;
  readonly files: readonly string[];
  readonly dir: string | undefined;
  readonly offer: string | undefined;
  readonly answer: string | undefined;
  readonly app: string | undefined;
  readonly overwrite: boolean;
  readonly qr: boolean;
}

class UsageError extends Error {}

export function plan(argv: readonly string[]): Plan | 'help' {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const { values, positionals } = parsed;
  if (values.help === true) return 'help';
  const [command, ...rest] = positionals;
  const common = {
    answer: values.answer,
    app: values.app,
    overwrite: values.overwrite === true,
    qr: values['no-qr'] !== true,
  };
  switch (command) {
    case 'send':
      if (rest.length === 0) throw new UsageError('send needs at least one FILE');
      return { mode: 'send', files: rest, dir: undefined, offer: undefined, ...common };
    case 'receive':
      if (rest.length > 1) throw new UsageError('receive takes one DIR');
      return { mode: 'receive', files: [], dir: rest[0] ?? '.', offer: undefined, ...common };
    case 'join': {
      const [offer, ...files] = rest;
      if (offer === undefined) throw new UsageError('join needs the CODE the other device shows');
      if (values.answer !== undefined)
        throw new UsageError('join makes the answer; --answer is for starting');
      return {
        mode: 'join',
        files,
        dir: files.length > 0 ? undefined : (values.dir ?? '.'),
        offer,
        ...common,
      };
    }
    case 'chat':
      if (rest.length > 0) throw new UsageError('chat takes no arguments');
      return { mode: 'chat', files: [], dir: undefined, offer: undefined, ...common };
    case undefined:
      return 'help';
    default:
      throw new UsageError(`unknown command ${JSON.stringify(command)}`);
  }
}

function parse(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    allowPositionals: true,
    strict: true,
    options: {
      answer: { type: 'string' },
      app: { type: 'string' },
      dir: { type: 'string' },
      overwrite: { type: 'boolean' },
      'no-qr': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}

/** Checks the paths before anything connects, so a typo costs no pairing. */
export async function checkPaths(p: Plan): Promise<string | null> {
  for (const file of p.files) {
    const info = await stat(file).catch(() => null);
    if (info === null) return `${file}: no such file`;
    if (!info.isFile()) return `${file}: not a file`;
  }
  if (p.dir !== undefined) {
    const info = await stat(p.dir).catch(() => null);
    if (info === null || !info.isDirectory()) return `${p.dir}: not a folder`;
  }
  if (p.app !== undefined && !URL.canParse(p.app)) return `${p.app}: not a URL`;
  return null;
}
