// The transfer engine: offers, accepts, paced sending, verified receiving and resume, over one negotiated data
// channel that it (re)opens through an injected `OpenChannel`. It owns no UI and no RTCPeerConnection: the app
// tells it when the connection is usable (`connect`) and when it is gone (`disconnect`); node tests drive it
// with fake channels. This file is the coordination (the channel, the hello, publishing, the public API); the
// sending side is `sender.ts`, the receiving side `receiver.ts`, and what they share `core.ts`.

import { whenOpen } from '../rtc/base/opened.ts';
import type { FileChannel, OpenChannel } from './channel.ts';
import { type Control, type Core, FINAL, prune, refused, view } from './core.ts';
import {
  type CancelReason,
  DEFAULT_MAX_CHUNK,
  encodeFilesMessage,
  FILES_CHANNEL_ID,
  FILES_CHANNEL_LABEL,
  type FilesMessage,
  LEGACY_WINDOW_BYTES,
  MAX_CHUNK,
  MAX_STREAM,
  parseFilesMessage,
} from './protocol.ts';
import { ACK_EVERY_BYTES, createReceiver } from './receiver.ts';
import { createSender, LOW_WATER_BYTES, WINDOW_BYTES } from './sender.ts';
import type { FilesSnapshot, FolderFile, ManagerDeps, TransferManager } from './types.ts';

/** After the channel closed while the connection is meant to be up, try to open it again this often. */
export const REOPEN_DELAY_MS = 500;
/** Hello is repeated until the peer answers (its channel may not exist yet when ours opens). */
export const HELLO_RETRY_MS = 1_000;
/** Progress is published at most this often (status changes at once). */
export const PUBLISH_INTERVAL_MS = 200;

export function createTransferManager(deps: ManagerDeps = {}): TransferManager {
  const newId = deps.newId ?? (() => crypto.randomUUID());
  const listeners = new Set<(s: FilesSnapshot) => void>();
  let open: OpenChannel | null = null;
  let channelAbort: AbortController | null = null;
  let nextStream = 0;
  let helloTimer: ReturnType<typeof setTimeout> | undefined;
  let reopenTimer: ReturnType<typeof setTimeout> | undefined;
  let publishTimer: ReturnType<typeof setTimeout> | undefined;
  let snapshot: FilesSnapshot = {
    transfers: [],
    linked: false,
    offersLimited: false,
    counters: { strayChunks: 0, badMessages: 0, limitedOffers: 0 },
  };

  const core: Core = {
    now: deps.now ?? Date.now,
    transfers: new Map(),
    ourMaxChunk: deps.maxChunk ?? MAX_CHUNK,
    channel: null,
    epoch: 0,
    linked: false,
    peerMaxChunk: DEFAULT_MAX_CHUNK,
    peerMaxMessage: DEFAULT_MAX_CHUNK,
    ourWindow: deps.windowBytes ?? WINDOW_BYTES,
    peerWindow: LEGACY_WINDOW_BYTES,
    disposed: false,
    strayChunks: 0,
    badMessages: 0,
    limitedOffers: 0,
    limitedUntil: 0,
    post,
    publish,
    publishSoon,
  };
  const sender = createSender(core);
  // Acks come at least twice a window, or a sender that keeps to our window would wait for one forever.
  const receiver = createReceiver(core, Math.min(deps.ackEveryBytes ?? ACK_EVERY_BYTES, core.ourWindow / 2));

  // ---- publishing ----

  function publish(): void {
    clearTimeout(publishTimer);
    publishTimer = undefined;
    if (core.disposed) return;
    prune(core.transfers);
    snapshot = {
      transfers: [...core.transfers.values()].map((t) => view(t, core.linked)),
      linked: core.linked,
      offersLimited: core.limitedUntil > core.now(),
      counters: {
        strayChunks: core.strayChunks,
        badMessages: core.badMessages,
        limitedOffers: core.limitedOffers,
      },
    };
    for (const l of [...listeners]) l(snapshot);
  }

  function publishSoon(): void {
    if (publishTimer === undefined && !core.disposed) publishTimer = setTimeout(publish, PUBLISH_INTERVAL_MS);
  }

  // ---- the channel ----

  function post(message: Control): boolean {
    const ch = core.channel;
    if (ch === null || ch.readyState !== 'open') return false;
    try {
      ch.send(encodeFilesMessage(message));
      return true;
    } catch {
      return false; // closing: the 'close' event follows and pauses everything
    }
  }

  function scheduleReopen(): void {
    clearTimeout(reopenTimer);
    if (open === null || core.disposed) return;
    reopenTimer = setTimeout(openChannel, REOPEN_DELAY_MS);
  }

  function openChannel(): void {
    clearTimeout(reopenTimer);
    if (open === null || core.channel !== null || core.disposed) return;
    const ch = open(FILES_CHANNEL_LABEL, {
      negotiated: true,
      id: FILES_CHANNEL_ID,
      ordered: true,
    });
    if (ch === null) {
      scheduleReopen();
      return;
    }
    core.epoch++;
    core.channel = ch;
    const abort = new AbortController();
    channelAbort = abort;
    const listen = { signal: abort.signal };
    ch.binaryType = 'arraybuffer';
    ch.bufferedAmountLowThreshold = LOW_WATER_BYTES;
    ch.addEventListener('close', () => lost(ch), listen);
    ch.addEventListener('error', () => lost(ch), listen);
    ch.addEventListener('bufferedamountlow', sender.wake, listen);
    whenOpen(ch, { open: () => sayHello(false), message: onMessage }, abort.signal);
  }

  function sayHello(seen: boolean): void {
    post({ t: 'hello', maxChunk: core.ourMaxChunk, seen, window: core.ourWindow });
    clearTimeout(helloTimer);
    if (!core.linked) helloTimer = setTimeout(() => sayHello(false), HELLO_RETRY_MS);
  }

  /** The channel closed (or we let it go): pause, and try again while the connection is meant to be up. */
  function lost(ch: FileChannel): void {
    if (ch !== core.channel) return;
    drop();
    scheduleReopen();
  }

  function drop(): void {
    const ch = core.channel;
    core.channel = null;
    channelAbort?.abort();
    channelAbort = null;
    core.linked = false;
    clearTimeout(helloTimer);
    core.epoch++;
    sender.wake();
    if (ch !== null && ch.readyState !== 'closed') {
      try {
        ch.close();
      } catch {
        // already going
      }
    }
    publish();
  }

  /** `connect`, `disconnect` and `dispose` all let the current channel go and stop reopening it. */
  function letGo(): void {
    open = null;
    clearTimeout(reopenTimer);
    if (core.channel !== null) drop();
  }

  function onLinked(): void {
    core.linked = true;
    clearTimeout(helloTimer);
    for (const t of core.transfers.values()) {
      if (t.tellPeer === 'cancel') post({ t: 'cancel', id: t.id, reason: 'user' });
      if (t.tellPeer === 'decline') post({ t: 'decline', id: t.id });
      t.tellPeer = null;
      // The sender drives a resume: it offers again, and the receiver answers with what it holds.
      if (t.direction === 'out' && !FINAL.has(t.status)) sender.offer(t);
    }
    publish();
  }

  // ---- incoming messages ----

  function onMessage(data: unknown): void {
    if (typeof data === 'string') {
      const parsed = parseFilesMessage(data);
      if (parsed.ok) onControl(parsed.value);
      else refused(core);
      return;
    }
    if (data instanceof ArrayBuffer) receiver.onChunk(data);
    else refused(core);
  }

  function onControl(m: FilesMessage): void {
    if (m.t === 'hello') {
      core.peerMaxChunk = Math.min(MAX_CHUNK, m.maxChunk);
      core.peerWindow = m.window ?? LEGACY_WINDOW_BYTES;
      if (!m.seen) sayHello(true);
      if (!core.linked) onLinked();
      return;
    }
    const t = core.transfers.get(m.id);
    if (m.t === 'offer') {
      receiver.onOffer(m, t);
      return;
    }
    if (t === undefined) {
      // Only questions get an answer, so two confused peers cannot bounce cancels forever.
      if (m.t === 'accept' || m.t === 'ack' || m.t === 'done')
        post({ t: 'cancel', id: m.id, reason: 'unknown' });
      return;
    }
    if (t.direction === 'out') sender.onControl(t, m);
    else receiver.onControl(t, m);
  }

  // ---- the person's actions ----

  function send(files: readonly (File | FolderFile)[]): string[] {
    const ids: string[] = [];
    for (const item of files) {
      const [file, path] = item instanceof Blob ? [item, ''] : [item.file, item.path];
      const t = sender.create(file, newId(), nextStream, path);
      nextStream = nextStream >= MAX_STREAM ? 0 : nextStream + 1;
      core.transfers.set(t.id, t);
      ids.push(t.id);
      if (core.linked) sender.offer(t);
    }
    publish();
    return ids;
  }

  function cancel(id: string): void {
    const t = core.transfers.get(id);
    if (t === undefined || FINAL.has(t.status)) return;
    t.status = 'cancelled';
    t.cancelledBy = 'me';
    if (t.direction === 'in') receiver.release(t);
    if (!post({ t: 'cancel', id, reason: 'user' satisfies CancelReason })) t.tellPeer = 'cancel';
    sender.wake();
    publish();
  }

  function remove(id: string): void {
    const t = core.transfers.get(id);
    if (t === undefined || !FINAL.has(t.status)) return;
    core.transfers.delete(id);
    publish();
  }

  return {
    connect(next, peer) {
      if (core.disposed) return;
      core.peerMaxMessage = peer?.maxMessageSize ?? DEFAULT_MAX_CHUNK;
      const changed = open !== next;
      open = next;
      if (changed && core.channel !== null) drop(); // a new connection: the old channel belongs to the old one
      openChannel();
    },
    disconnect: letGo,
    send,
    accept: (id, sink, toDisk = false) => receiver.accept(id, sink, toDisk),
    decline: receiver.decline,
    cancel,
    remove,
    getState: () => snapshot,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    dispose() {
      letGo();
      core.disposed = true;
      clearTimeout(publishTimer);
      receiver.dispose();
      for (const t of core.transfers.values()) if (t.direction === 'in') void t.sink?.abort();
      listeners.clear();
    },
  };
}
