// Command line for the codec:  npm run -s code -- encode | decode | stats PATH...
//   encode [--offer FILE]  SDP or JSON description on stdin → text code on stdout (answers need their offer)
//   decode [--offer FILE]  any accepted input on stdin → JSON {type, sdp, format} on stdout
//   stats PATH...          size table for .sdp files (folders searched); non-zero exit if one fails to round-trip

import { readFileSync } from 'node:fs';
import { decodeInput, encodeDescription } from '../src/codec/index.ts';
import type { CodecError, Description } from '../src/codec/types.ts';
import { statsCommand } from './code-stats.ts';

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

function option(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

export function explain(e: CodecError): string {
  switch (e.kind) {
    case 'empty':
      return 'no input';
    case 'not-a-code':
      return 'not a Pigeon code, SDP, JSON description, base64 JSON or lz-string code';
    case 'damaged':
      return 'the code is damaged (checksum mismatch): copy it again';
    case 'cut-short':
      return 'the code is cut short: copy all of it';
    case 'newer-version':
      return `the code was made by a newer Pigeon (format ${e.version}): update this one`;
    case 'unexpected-type':
      return `expected an ${e.expected}, got an ${e.got}`;
    case 'wrong-session':
      return 'this answer belongs to a different offer';
    case 'unsupported-sdp':
      return `cannot encode: ${e.reason}`;
    case 'too-large':
      return 'far larger than any real code: refused unread';
  }
}

function readDescription(input: string): Description {
  const d = decodeInput(input);
  if (!d.ok) fail(`encode: ${explain(d.error)}`);
  return { type: d.value.type, sdp: d.value.sdp };
}

const [command, ...args] = process.argv.slice(2);
const offerFile = option(args, '--offer');
const offerSdp = offerFile ? readDescription(readFileSync(offerFile, 'utf8')).sdp : undefined;
const stdin = () => readFileSync(0, 'utf8');

if (command === 'encode') {
  const code = encodeDescription(readDescription(stdin()), offerSdp ? { offerSdp } : {});
  if (!code.ok) fail(`encode: ${explain(code.error)}`);
  process.stdout.write(`${code.value.text}\n`);
} else if (command === 'decode') {
  const d = decodeInput(stdin(), offerSdp ? { offerSdp } : {});
  if (!d.ok) fail(`decode: ${explain(d.error)}`);
  process.stdout.write(
    `${JSON.stringify({ type: d.value.type, sdp: d.value.sdp, format: d.value.format })}\n`,
  );
} else if (command === 'stats') {
  process.exit(statsCommand(args.length > 0 ? args : ['test/fixtures/sdp/base']));
} else {
  fail('usage: npm run -s code -- encode [--offer FILE] | decode [--offer FILE] | stats PATH...');
}
