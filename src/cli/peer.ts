// The headless peer: the app's session (src/rtc) and file engine (src/transfer) driven from a terminal, with
// node-datachannel's connection injected. It decides nothing about the protocol; it turns session and transfer
// states into the few things a terminal prints, and files into disk reads and writes.

import { answerIntent, joinIntent, sessionCode } from '../app/session-codes.ts';
import { type Code, type CodecError, decodeInput } from '../codec/index.ts';
import { FEATURES, RESTART_FEATURE } from '../rtc/inband/control.ts';
import {
  type ChatEntry,
  createSession,
  type DataChannelLike,
  type PeerConnectionConstructor,
  type PeerInfo,
  type SasState,
  type Session,
  type SessionState,
} from '../rtc/index.ts';
import {
  createTransferManager,
  FINAL,
  type FileChannel,
  type TransferManager,
  type TransferView,
} from '../transfer/index.ts';
import { forCode, PeerConnection, peerConnectionWith } from './adapter.ts';
import type { PemCertificate } from './certificate.ts';
import { diskSink, exists, fileFrom, targetIn } from './disk.ts';

/** node-datachannel cannot restart ICE: the peer is told so in hello and never asks for one. */
export const TERMINAL_FEATURES: readonly string[] = FEATURES.filter(
  (f) => f !== RESTART_FEATURE && f !== 'call',
);

/** How the session ended, as the terminal reports it. */
export type Ending =
  | { readonly kind: 'hung-up'; readonly by: 'me' | 'peer' }
  | { readonly kind: 'gone' }
  | { readonly kind: 'lost' }
  /** A person said the safety words differ (here or on the other device), or the check of them failed. */
  | { readonly kind: 'untrusted'; readonly reason: 'words-differ' | 'reveal-refused' | 'certificate-changed' }
  | { readonly kind: 'failed'; readonly reason: string; readonly detail: string };

export interface PeerEvents {
  /** Our code is ready to be carried to the other device. */
  code(code: Code, type: 'offer' | 'answer'): void;
  connected(peer: PeerInfo | null): void;
  /**
   * The safety words to compare with the other screen (docs/safety-words.md): symbol indices, or 'unverifiable'
   * when a code carried none; then once more when the other person confirmed them ('peerMatched').
   */
  words(words: readonly number[] | 'unverifiable' | 'peerMatched'): void;
  chat(text: string): void;
  transfer(view: TransferView): void;
  /** A received file is on disk. */
  saved(view: TransferView, path: string): void;
  /** A received file could not be taken (exists, unsafe name, disk error). */
  refused(name: string, why: string): void;
  ended(ending: Ending): void;
}

export interface PeerOptions {
  readonly appVersion: string;
  readonly events: PeerEvents;
  /** Received files go here; without it, offers are declined. */
  readonly dir?: string;
  readonly overwrite?: boolean;
  readonly RTCPeerConnection?: PeerConnectionConstructor;
  /** The certificate every connection shows (the kept one); without it, each makes its own. */
  readonly certificate?: PemCertificate;
  readonly signal?: AbortSignal;
}

export interface TerminalPeer {
  start(): void;
  /** The other device's offer: answer it. */
  join(text: string): CodecError | null;
  /** The other device's answer to our offer. */
  answer(text: string): CodecError | null;
  sendChat(text: string): boolean;
  /** The person compared the safety words: they match (told to the peer), or they differ (ends the session). */
  wordsMatch(): void;
  wordsDiffer(): void;
  /** Offers files once connected (at once if connected already). */
  sendFiles(paths: readonly string[]): Promise<void>;
  transfers(): readonly TransferView[];
  /** Says bye and closes. */
  hangup(): void;
  /** Tells a connected peer we are leaving (Ctrl-C). */
  sendBye(): void;
  state(): SessionState;
  dispose(): void;
}

function isFileChannel(ch: DataChannelLike): ch is DataChannelLike & FileChannel {
  return 'binaryType' in ch && 'bufferedAmountLowThreshold' in ch;
}

export function createTerminalPeer(opts: PeerOptions): TerminalPeer {
  const { events } = opts;
  const manager: TransferManager = createTransferManager();
  const session: Session = createSession({
    RTCPeerConnection:
      opts.RTCPeerConnection ?? (opts.certificate ? peerConnectionWith(opts.certificate) : PeerConnection),
    appVersion: opts.appVersion,
    features: TERMINAL_FEATURES,
    ...(opts.signal ? { signal: opts.signal } : {}),
  });
  /** Ours while it waits for its answer; the offer we answered when joining (binds our answer). */
  let offerSdp: string | null = null;
  let wasConnected = false;
  let ended = false;
  const seenChat = new Set<string>();
  const handled = new Set<string>();
  const finished = new Set<string>();
  let pending: File[] = [];

  function end(ending: Ending): void {
    if (ended) return;
    ended = true;
    events.ended(ending);
  }

  /** The description whose code was printed: an offer's state changes again once its commitment is hashed. */
  let printed: string | null = null;
  function showCode(s: SessionState & { kind: 'offer-ready' | 'answer-ready' }): void {
    if (printed === s.sdp) return;
    // The code carries the safety words' field, as the app's does; null while the commitment is being hashed.
    const code = sessionCode({ ...s, sdp: forCode(s.sdp) }, s.kind === 'answer-ready' ? offerSdp : null);
    if (code === null) return;
    printed = s.sdp;
    if (code.ok) events.code(code.value, s.kind === 'offer-ready' ? 'offer' : 'answer');
    else end({ kind: 'failed', reason: 'encode', detail: code.error.kind });
  }

  /** What of the safety words was told: each is printed once. */
  const toldWords = new Set<'unverifiable' | 'symbols' | 'peerMatched'>();
  function tellWords(what: 'unverifiable' | 'symbols' | 'peerMatched', words: () => void): void {
    if (toldWords.has(what)) return;
    toldWords.add(what);
    words();
  }
  function showWords(sas: SasState): void {
    if (sas.kind === 'unverifiable') tellWords('unverifiable', () => events.words('unverifiable'));
    if (sas.kind !== 'shown') return;
    tellWords('symbols', () => events.words(sas.symbols));
    if (sas.remote) tellWords('peerMatched', () => events.words('peerMatched'));
  }

  function newChat(chat: readonly ChatEntry[]): void {
    for (const entry of chat) {
      if (entry.from !== 'peer' || seenChat.has(entry.id)) continue;
      seenChat.add(entry.id);
      events.chat(entry.text);
    }
  }

  function onSession(s: SessionState): void {
    switch (s.kind) {
      case 'offer-ready':
        offerSdp = s.sdp;
        showCode(s);
        return;
      case 'answer-ready':
        showCode(s);
        return;
      case 'connected': {
        const first = !wasConnected;
        wasConnected = true;
        manager.connect(openFiles);
        if (first) events.connected(s.peer);
        if (pending.length > 0) {
          manager.send(pending);
          pending = [];
        }
        newChat(s.chat);
        showWords(s.sas);
        return;
      }
      case 'closed':
        manager.disconnect();
        newChat(s.chat);
        end(
          s.reason === 'words-differ' || s.reason === 'reveal-refused' || s.reason === 'certificate-changed'
            ? { kind: 'untrusted', reason: s.reason }
            : s.reason === 'remote-hangup' || s.reason === 'local-hangup'
              ? { kind: 'hung-up', by: s.reason === 'local-hangup' ? 'me' : 'peer' }
              : s.reason === 'peer-gone'
                ? { kind: 'gone' }
                : { kind: 'lost' },
        );
        return;
      case 'failed':
        manager.disconnect();
        end({ kind: 'failed', reason: s.reason, detail: s.detail });
        return;
      default:
        return;
    }
  }
  session.subscribe(onSession);

  /** One opener for the session: the engine takes a different one as a new connection and reopens its channel. */
  function openFiles(label: string, init: RTCDataChannelInit): FileChannel | null {
    const ch = session.openChannel(label, init);
    return ch !== null && isFileChannel(ch) ? ch : null;
  }

  async function take(view: TransferView): Promise<void> {
    const dir = opts.dir;
    if (dir === undefined) {
      manager.decline(view.id);
      events.refused(view.name, 'this command does not receive files');
      return;
    }
    const target = targetIn(dir, view.name);
    if (target === null) {
      manager.decline(view.id);
      events.refused(view.name, 'its name would leave the folder');
      return;
    }
    if (opts.overwrite !== true && (await exists(target))) {
      manager.decline(view.id);
      events.refused(view.name, `${target} exists (--overwrite replaces it)`);
      return;
    }
    try {
      manager.accept(view.id, await diskSink(target, { overwrite: opts.overwrite === true }), true);
      savedTo.set(view.id, target);
    } catch (error) {
      manager.decline(view.id);
      events.refused(view.name, error instanceof Error ? error.message : String(error));
    }
  }
  const savedTo = new Map<string, string>();

  manager.subscribe((snapshot) => {
    for (const t of snapshot.transfers) {
      if (t.direction === 'in' && t.status === 'offered' && !handled.has(t.id)) {
        handled.add(t.id);
        void take(t);
      }
      if (finished.has(t.id)) continue;
      if (FINAL.has(t.status)) {
        finished.add(t.id);
        const path = savedTo.get(t.id);
        if (t.direction === 'in' && t.status === 'done' && path !== undefined) events.saved(t, path);
      }
      events.transfer(t);
    }
  });

  return {
    start: () => void session.dispatch({ type: 'start' }),
    join(text) {
      const decoded = decodeInput(text, { expect: 'offer' });
      if (!decoded.ok) return decoded.error;
      offerSdp = decoded.value.sdp;
      session.dispatch(joinIntent(decoded.value));
      return null;
    },
    answer(text) {
      if (offerSdp === null) return { kind: 'unexpected-type', expected: 'offer', got: 'answer' };
      const decoded = decodeInput(text, { expect: 'answer', offerSdp: forCode(offerSdp) });
      if (!decoded.ok) return decoded.error;
      session.dispatch(answerIntent(decoded.value));
      return null;
    },
    sendChat: (text) => session.dispatch({ type: 'send-chat', text }).ok,
    wordsMatch: () => void session.dispatch({ type: 'sas-match' }),
    wordsDiffer: () => void session.dispatch({ type: 'sas-differ' }),
    async sendFiles(paths) {
      const files = await Promise.all(paths.map(fileFrom));
      if (session.getState().kind === 'connected') manager.send(files);
      else pending = [...pending, ...files];
    },
    transfers: () => manager.getState().transfers,
    hangup: () => void session.dispatch({ type: 'hangup' }),
    sendBye: () => session.sendBye(),
    state: () => session.getState(),
    dispose() {
      manager.dispose();
      session.dispose();
    },
  };
}
