// The headless peer: the app's session (src/rtc) and file engine (src/transfer) driven from a terminal, with
// node-datachannel's connection injected. It decides nothing about the protocol; it turns session and transfer
// states into the few things a terminal prints, and files into disk reads and writes.

import { type Code, type CodecError, decodeInput, encodeDescription } from '../codec/index.ts';
import { FEATURES, RESTART_FEATURE } from '../rtc/inband/control.ts';
import {
  type ChatEntry,
  createSession,
  type DataChannelLike,
  type PeerConnectionConstructor,
  type PeerInfo,
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
import { forCode, PeerConnection } from './adapter.ts';
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
  | { readonly kind: 'failed'; readonly reason: string; readonly detail: string };

export interface PeerEvents {
  /** Our code is ready to be carried to the other device. */
  code(code: Code, type: 'offer' | 'answer'): void;
  connected(peer: PeerInfo | null): void;
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
  readonly signal?: AbortSignal;
}

export interface TerminalPeer {
  start(): void;
  /** The other device's offer: answer it. */
  join(text: string): CodecError | null;
  /** The other device's answer to our offer. */
  answer(text: string): CodecError | null;
  sendChat(text: string): boolean;
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
    RTCPeerConnection: opts.RTCPeerConnection ?? PeerConnection,
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

  function showCode(type: 'offer' | 'answer', sdp: string): void {
    const code = encodeDescription(
      { type, sdp: forCode(sdp) },
      type === 'answer' && offerSdp !== null ? { offerSdp } : {},
    );
    if (code.ok) events.code(code.value, type);
    else end({ kind: 'failed', reason: 'encode', detail: code.error.kind });
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
        showCode('offer', s.sdp);
        return;
      case 'answer-ready':
        showCode('answer', s.sdp);
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
        return;
      }
      case 'closed':
        manager.disconnect();
        newChat(s.chat);
        end(
          s.reason === 'remote-hangup' || s.reason === 'local-hangup'
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
      session.dispatch({ type: 'join', offerSdp: decoded.value.sdp });
      return null;
    },
    answer(text) {
      if (offerSdp === null) return { kind: 'unexpected-type', expected: 'offer', got: 'answer' };
      const decoded = decodeInput(text, { expect: 'answer', offerSdp: forCode(offerSdp) });
      if (!decoded.ok) return decoded.error;
      session.dispatch({ type: 'accept-answer', answerSdp: decoded.value.sdp });
      return null;
    },
    sendChat: (text) => session.dispatch({ type: 'send-chat', text }).ok,
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
