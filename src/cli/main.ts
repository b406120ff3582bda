// `pigeon`: the app's peer in a terminal. Parses the command line, wires a TerminalPeer to stdin, stdout and
// stderr, and turns how the session went into an exit code: 0 when it did what was asked, 1 on any failure
// (one line on stderr saying why), 2 for a command line it cannot use, 130 after Ctrl-C.

import { createInterface } from 'node:readline';
import { type Code, linkFor } from '../codec/index.ts';
import { qrMatrix } from '../qr/render.ts';
import { FLUSH_BEFORE_CLOSE_MS } from '../rtc/runner/attempt.ts';
import { FINAL, type TransferView } from '../transfer/index.ts';
import { checkPaths, type Plan, plan, USAGE } from './args.ts';
import type { PemCertificate } from './certificate.ts';
import type { KeptCertificate } from './kept-certificate.ts';
import { createTerminalPeer, type Ending, type TerminalPeer } from './peer.ts';
import {
  codeProblem,
  endingLine,
  progressLine,
  qrText,
  transferProblem,
  WORDS_HINT,
  wordsLine,
} from './terminal.ts';

export const VERSION = '0.1.0';
export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;
/** 128 + SIGINT, as shells report a program stopped by Ctrl-C. */
export const EXIT_INTERRUPTED = 130;
/** Time for a last message (bye) to leave before the connection is torn down: the channel closes after its own. */
const FLUSH_MS = FLUSH_BEFORE_CLOSE_MS + 100;
/** Progress is printed at most this often per transfer. */
const PROGRESS_INTERVAL_MS = 1_000;
/** Lines typed once connected that answer the safety words instead of being sent as chat. */
const WORDS_MATCH = '/match';
const WORDS_DIFFER = '/differ';

export interface Io {
  readonly stdin: NodeJS.ReadableStream;
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
  /** True when stderr is a terminal: progress overwrites its line, the QR gets explicit colours. */
  readonly tty: boolean;
  /** Ctrl-C; the caller wires it to SIGINT. */
  readonly interrupt: AbortSignal;
  /**
   * The kept certificate (kept-certificate.ts), asked for once the command line is valid (not for --help or a
   * usage error); without it, every connection makes its own.
   */
  readonly certificate?: () => KeptCertificate & { readonly dir: string };
}

export async function run(argv: readonly string[], io: Io): Promise<number> {
  const line = (stream: NodeJS.WritableStream, text: string) => stream.write(`${text}\n`);
  const fail = (text: string) => line(io.stderr, `pigeon: ${text}`);
  let p: Plan | 'help';
  try {
    p = plan(argv);
  } catch (error) {
    fail(`${error instanceof Error ? error.message : String(error)} (pigeon --help)`);
    return EXIT_USAGE;
  }
  if (p === 'help') {
    line(io.stdout, USAGE);
    return EXIT_OK;
  }
  const problem = await checkPaths(p);
  if (problem !== null) {
    fail(problem);
    return EXIT_FAILED;
  }
  const kept = io.certificate?.();
  if (kept !== undefined && !kept.kept)
    fail(
      `cannot keep a certificate in ${kept.dir} (${kept.why}); this run uses its own, so a device that verified this terminal will not recognise it.`,
    );
  return session(p, io, line, fail, kept?.pem);
}

function session(
  p: Plan,
  io: Io,
  line: (stream: NodeJS.WritableStream, text: string) => void,
  fail: (text: string) => void,
  certificate: PemCertificate | undefined,
): Promise<number> {
  return new Promise<number>((resolve) => {
    let peer: TerminalPeer | undefined;
    let connected = false;
    let finishing = false;
    let problems = 0;
    const lastPrinted = new Map<string, number>();
    const reported = new Set<string>();
    const lines = createInterface({ input: io.stdin, terminal: false });
    let awaitingAnswer = false;

    /** asError: say it as the failure line (the default for a failing exit). */
    function finish(code: number, say?: string, farewell = false, asError = code !== EXIT_OK): void {
      if (finishing) return;
      finishing = true;
      if (say !== undefined) asError ? fail(say) : line(io.stderr, say);
      if (farewell) peer?.hangup();
      lines.close();
      setTimeout(() => {
        peer?.dispose();
        resolve(code);
      }, FLUSH_MS);
    }

    function showCode(code: Code, type: 'offer' | 'answer'): void {
      const link = p.app === undefined ? null : linkFor(p.app, code.text);
      if (p.qr) {
        const prefix = link === null ? undefined : link.slice(0, link.indexOf('#') + 1);
        const matrix = qrMatrix({ code: code.qr, prefix });
        if (matrix.ok) line(io.stderr, qrText(matrix.value, io.tty));
      }
      const other = type === 'offer' ? 'Join' : 'Start';
      line(
        io.stderr,
        `Show this to the other device (${other} → scan, or paste the code${link ? ' or open the link' : ''}):`,
      );
      if (link !== null) line(io.stderr, link);
      line(io.stdout, code.text);
      if (type === 'answer') {
        line(io.stderr, 'Waiting for the other device to take the answer…');
        return;
      }
      if (p.answer !== undefined) {
        takeAnswer(p.answer);
        return;
      }
      awaitingAnswer = true;
      line(io.stderr, "Paste the other device's answer and press Enter:");
    }

    function takeAnswer(text: string): void {
      awaitingAnswer = false;
      const error = peer?.answer(text) ?? null;
      if (error !== null) finish(EXIT_FAILED, codeProblem(error, 'answer'));
      else line(io.stderr, 'Connecting…');
    }

    function progress(t: TransferView): void {
      if (FINAL.has(t.status)) {
        if (reported.has(t.id)) return;
        reported.add(t.id);
        // An offer this side declined was reported with its reason when refused.
        if (t.direction === 'in' && t.status === 'declined') return;
        const bad = transferProblem(t);
        if (bad === null) {
          if (t.direction === 'out')
            line(io.stderr, `✓ ${t.name}: verified by the other device (SHA-256 ${t.sha256 ?? '?'})`);
        } else {
          problems++;
          fail(bad);
        }
        return;
      }
      if ((t.status !== 'sending' && t.status !== 'receiving') || t.bytes === 0) return;
      const now = Date.now();
      if (now - (lastPrinted.get(t.id) ?? 0) < PROGRESS_INTERVAL_MS) return;
      lastPrinted.set(t.id, now);
      io.stderr.write(io.tty ? `\r\x1b[2K${progressLine(t)}` : `${progressLine(t)}\n`);
    }

    /** send (and join with files): done once every file is final. */
    function checkSent(): void {
      if (p.files.length === 0 || !connected) return;
      const out = (peer?.transfers() ?? []).filter((t) => t.direction === 'out');
      if (out.length < p.files.length || !out.every((t) => FINAL.has(t.status))) return;
      if (out.every((t) => t.status === 'done'))
        finish(EXIT_OK, `All ${out.length} file(s) verified by the other device.`, true);
      else
        finish(EXIT_FAILED, `${out.filter((t) => t.status !== 'done').length} file(s) not delivered`, true);
    }

    function ended(ending: Ending): void {
      if (finishing) return;
      const sentAll = p.files.length > 0;
      if (ending.kind === 'hung-up' && ending.by === 'peer' && !sentAll) {
        // A normal end; files refused on the way (each said already) still make the exit a failure.
        finish(problems === 0 ? EXIT_OK : EXIT_FAILED, endingLine(ending), false, false);
        return;
      }
      const why = endingLine(ending);
      finish(EXIT_FAILED, sentAll && ending.kind === 'hung-up' ? `${why} Not every file was verified.` : why);
    }

    peer = createTerminalPeer({
      appVersion: `pigeon-cli ${VERSION}`,
      ...(p.dir !== undefined ? { dir: p.dir } : {}),
      overwrite: p.overwrite,
      ...(certificate ? { certificate } : {}),
      // Not given the interrupt: on Ctrl-C the session must still be there to say bye (it is disposed after).
      events: {
        code: showCode,
        connected(info) {
          connected = true;
          if (io.tty) io.stderr.write('\n');
          line(io.stderr, `Connected${info ? ` to ${info.app}` : ''}.`);
          if (p.dir !== undefined) line(io.stderr, `Files the other device sends are saved in ${p.dir}.`);
          checkSent();
        },
        chat: (text) => line(io.stdout, text),
        words(words) {
          if (words === 'unverifiable')
            line(io.stderr, 'Not verifiable: a code of this connection carried no safety words.');
          else if (words === 'peerMatched') line(io.stderr, 'The other person says the safety words match.');
          else {
            line(io.stderr, wordsLine(words));
            line(io.stderr, WORDS_HINT);
          }
        },
        transfer(view) {
          progress(view);
          checkSent();
        },
        saved: (view, path) =>
          line(io.stderr, `✓ saved ${path} (${view.size} bytes, SHA-256 ${view.sha256 ?? '?'})`),
        refused(name, why) {
          problems++;
          fail(`${name}: not saved: ${why}`);
        },
        ended,
      },
    });

    io.interrupt.addEventListener(
      'abort',
      () => {
        if (finishing) return;
        line(io.stderr, connected ? 'Bye.' : 'Stopped.');
        // A hang-up: its bye gets a moment before the channel closes (rtc/runner/attempt.ts).
        finish(EXIT_INTERRUPTED, undefined, true);
      },
      { once: true },
    );
    if (io.interrupt.aborted) return;

    lines.on('line', (raw) => {
      const text = raw.trim();
      if (text === '' || finishing) return;
      if (awaitingAnswer) {
        takeAnswer(text);
        return;
      }
      if (!connected) return;
      // The safety words' answers; anything else is chat.
      if (text === WORDS_MATCH) {
        peer?.wordsMatch();
        line(io.stderr, 'You confirmed the safety words match.');
      } else if (text === WORDS_DIFFER) peer?.wordsDiffer();
      else if (!peer?.sendChat(raw)) fail('that message could not be sent');
    });
    lines.on('close', () => {
      if (finishing) return;
      if (awaitingAnswer)
        finish(EXIT_FAILED, "no answer code: the input ended before the other device's answer");
      else if (p.mode === 'chat' && connected) finish(EXIT_OK, 'Hung up.', true);
    });

    if (p.files.length > 0) {
      peer
        .sendFiles(p.files)
        .catch((error: unknown) =>
          finish(EXIT_FAILED, error instanceof Error ? error.message : String(error)),
        );
    }
    if (p.offer === undefined) {
      peer.start();
      return;
    }
    const error = peer.join(p.offer);
    if (error !== null) finish(EXIT_FAILED, codeProblem(error, 'offer'));
  });
}
