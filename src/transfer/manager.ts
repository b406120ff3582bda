// The transfer engine: offers, accepts, paced sending, verified receiving and resume, over one negotiated data
// channel that it (re)opens through an injected `OpenChannel`. It owns no UI and no RTCPeerConnection: the app
// tells it when the connection is usable (`connect`) and when it is gone (`disconnect`); node tests drive it
// with fake channels.

import type { FileChannel, OpenChannel } from './channel.ts';
import { sanitizeFileName, sanitizeMimeType } from './name.ts';
import {
  type CancelReason,
  DEFAULT_MAX_CHUNK,
  decodeChunk,
  encodeChunk,
  encodeFilesMessage,
  FILES_CHANNEL_ID,
  FILES_CHANNEL_LABEL,
  type FilesMessage,
  FRAME_HEADER_BYTES,
  MAX_STREAM,
  parseFilesMessage,
} from './protocol.ts';
import { addSample, type RateSample, rateOf } from './rate.ts';
import { Sha256, toHex } from './sha256.ts';
import type { Sink } from './sink.ts';

/** Sending pauses while the channel holds more than this, and resumes at 'bufferedamountlow'. */
export const HIGH_WATER_BYTES = 4 * 1024 * 1024;
export const LOW_WATER_BYTES = 1024 * 1024;
/** At most this much may be sent beyond what the receiver acknowledged as stored: bounds its memory. */
export const WINDOW_BYTES = 16 * 1024 * 1024;
/** The receiver acknowledges every this many bytes (and at the end). */
export const ACK_EVERY_BYTES = 1024 * 1024;
/** The file is read in slices of this size, never whole. */
export const READ_BLOCK_BYTES = 1024 * 1024;
/** After the channel closed while the connection is meant to be up, try to open it again this often. */
export const REOPEN_DELAY_MS = 500;
/** Hello is repeated until the peer answers (its channel may not exist yet when ours opens). */
export const HELLO_RETRY_MS = 1_000;
/** Progress is published at most this often (status changes at once). */
export const PUBLISH_INTERVAL_MS = 200;
/** A waiting sender re-checks at least this often, in case a wake-up was missed. */
export const SEND_POLL_MS = 250;
/** Offers waiting for the person's answer beyond this many are declined: a peer cannot flood the list. */
export const MAX_PENDING_OFFERS = 64;

export type Direction = 'out' | 'in';
export type TransferStatus =
  /** Out: waiting for the peer's answer. In: waiting for ours. */
  | 'offered'
  /** Out: accepted, waiting for its turn. */
  | 'queued'
  | 'sending'
  /** Out: every byte sent, waiting for the receiver's verdict. */
  | 'sent'
  | 'receiving'
  /** In: every byte in, digest being compared. */
  | 'verifying'
  | 'done'
  | 'failed'
  | 'declined'
  | 'cancelled';

export type TransferFailure =
  /** In: the digest of the bytes received differs from the sender's. */
  | 'mismatch'
  /** Out: the receiver reported a digest mismatch. */
  | 'peer-mismatch'
  /** More or fewer bytes than the offer declared. */
  | 'size-mismatch'
  /** The peer broke the protocol (wrong offset, oversize chunk, …). */
  | 'protocol'
  /** In: storing the bytes failed. */
  | 'storage'
  /** Out: reading the file failed (deleted or changed?). */
  | 'read'
  /** The peer reported an error. */
  | 'peer-error';

export interface TransferView {
  readonly id: string;
  readonly direction: Direction;
  /** In: already sanitised. */
  readonly name: string;
  readonly size: number;
  /** In: already sanitised; shown only, never used to render the bytes. */
  readonly type: string;
  readonly status: TransferStatus;
  /** Bytes the receiver holds (out: as acknowledged by it). */
  readonly bytes: number;
  /** Out: payload bytes put on the channel, resends included. */
  readonly sent: number;
  /** Offsets from which the transfer continued after a reconnect. */
  readonly resumedFrom: readonly number[];
  /** The connection is down; the transfer continues when it is back. */
  readonly paused: boolean;
  readonly cancelledBy: 'me' | 'peer' | null;
  readonly failure: TransferFailure | null;
  readonly bytesPerSecond: number;
  readonly etaSeconds: number | null;
  /** The verified digest (hex), once known. */
  readonly sha256: string | null;
  /** In, done: the file, unless it went straight to disk. */
  readonly blob: Blob | null;
  readonly toDisk: boolean;
}

export interface FilesCounters {
  /** Chunks dropped because they named no transfer being received (unknown, cancelled, finished). */
  readonly strayChunks: number;
  /** Messages refused by the parser. */
  readonly badMessages: number;
}

export interface FilesSnapshot {
  readonly transfers: readonly TransferView[];
  /** Our side of the files channel is open and the peer answered our hello. */
  readonly linked: boolean;
  readonly counters: FilesCounters;
}

export interface ManagerDeps {
  readonly now?: () => number;
  readonly newId?: () => string;
  /** The largest binary message this side accepts (header included). */
  readonly maxChunk?: number;
  /** Sender: how far beyond the receiver's acknowledgement it may go (default WINDOW_BYTES). */
  readonly windowBytes?: number;
  /** Receiver: acknowledge every this many bytes (default ACK_EVERY_BYTES; keep it below the sender's window). */
  readonly ackEveryBytes?: number;
}

export interface TransferManager {
  /** The connection is usable (first time, or again after a reconnect): open the files channel on it. */
  connect(open: OpenChannel): void;
  /** The connection is gone: transfers pause until `connect` is called again. */
  disconnect(): void;
  /** Offers files to the peer; returns their ids. */
  send(files: readonly File[]): string[];
  accept(id: string, sink: Sink, toDisk?: boolean): void;
  decline(id: string): void;
  cancel(id: string): void;
  /** Forgets a finished transfer (and lets its Blob go). */
  remove(id: string): void;
  getState(): FilesSnapshot;
  subscribe(listener: (s: FilesSnapshot) => void): () => void;
  dispose(): void;
}

const FINAL: ReadonlySet<TransferStatus> = new Set(['done', 'failed', 'declined', 'cancelled']);

interface Base {
  readonly id: string;
  readonly n: number;
  readonly name: string;
  readonly size: number;
  readonly type: string;
  status: TransferStatus;
  cancelledBy: 'me' | 'peer' | null;
  failure: TransferFailure | null;
  /** Our cancel (or decline) still has to reach the peer. */
  tellPeer: FilesMessage['t'] | null;
  samples: RateSample[];
  resumedFrom: number[];
  sha256: string | null;
  /** The channel epoch in which the peer accepted (out) or we accepted (in); -1 before. */
  epoch: number;
}

interface Outgoing extends Base {
  readonly direction: 'out';
  readonly file: Blob;
  /** Next byte to send. */
  offset: number;
  /** Bytes the receiver acknowledged. */
  acked: number;
  sent: number;
  readonly hasher: Sha256;
  /** The hasher has seen every byte before this. */
  hashed: number;
  /** Sending has begun at least once (so a later accept is a resume). */
  started: boolean;
}

interface Incoming extends Base {
  readonly direction: 'in';
  received: number;
  lastAck: number;
  readonly hasher: Sha256;
  sink: Sink | null;
  toDisk: boolean;
  /** Writes are chained so they reach the sink in order. */
  writes: Promise<void>;
  /** The sender's 'done': size and digest. */
  done: { size: number; sha256: string } | null;
  blob: Blob | null;
}

type Transfer = Outgoing | Incoming;

export function createTransferManager(deps: ManagerDeps = {}): TransferManager {
  const now = deps.now ?? Date.now;
  const newId = deps.newId ?? (() => crypto.randomUUID());
  const ourMaxChunk = deps.maxChunk ?? DEFAULT_MAX_CHUNK;
  const windowBytes = deps.windowBytes ?? WINDOW_BYTES;
  const ackEvery = deps.ackEveryBytes ?? ACK_EVERY_BYTES;
  const transfers = new Map<string, Transfer>();
  const listeners = new Set<(s: FilesSnapshot) => void>();
  let open: OpenChannel | null = null;
  let channel: FileChannel | null = null;
  let channelAbort: AbortController | null = null;
  /** Increments with every channel: work begun on an older one stops. */
  let epoch = 0;
  let linked = false;
  let peerMaxChunk = DEFAULT_MAX_CHUNK;
  let nextStream = 0;
  let helloTimer: ReturnType<typeof setTimeout> | undefined;
  let reopenTimer: ReturnType<typeof setTimeout> | undefined;
  let publishTimer: ReturnType<typeof setTimeout> | undefined;
  let wakeSender: (() => void) | null = null;
  let pumping = false;
  let disposed = false;
  let strayChunks = 0;
  let badMessages = 0;
  let snapshot: FilesSnapshot = {
    transfers: [],
    linked: false,
    counters: { strayChunks: 0, badMessages: 0 },
  };

  // ---- publishing ----

  function view(t: Transfer): TransferView {
    const bytes = t.direction === 'out' ? t.acked : t.received;
    const active = t.status === 'sending' || t.status === 'receiving';
    const rate = active ? rateOf(t.samples, t.size) : { bytesPerSecond: 0, etaSeconds: null };
    return {
      id: t.id,
      direction: t.direction,
      name: t.name,
      size: t.size,
      type: t.type,
      status: t.status,
      bytes,
      sent: t.direction === 'out' ? t.sent : 0,
      resumedFrom: [...t.resumedFrom],
      paused: !linked && !FINAL.has(t.status),
      cancelledBy: t.cancelledBy,
      failure: t.failure,
      bytesPerSecond: rate.bytesPerSecond,
      etaSeconds: rate.etaSeconds,
      sha256: t.sha256,
      blob: t.direction === 'in' ? t.blob : null,
      toDisk: t.direction === 'in' && t.toDisk,
    };
  }

  function publish(): void {
    clearTimeout(publishTimer);
    publishTimer = undefined;
    if (disposed) return;
    snapshot = {
      transfers: [...transfers.values()].map(view),
      linked,
      counters: { strayChunks, badMessages },
    };
    for (const l of [...listeners]) l(snapshot);
  }

  /** Progress: published a little later, together with whatever else changes meanwhile. */
  function publishSoon(): void {
    if (publishTimer === undefined && !disposed) publishTimer = setTimeout(publish, PUBLISH_INTERVAL_MS);
  }

  function sample(t: Transfer, bytes: number): void {
    t.samples = addSample(t.samples, { at: now(), bytes });
  }

  // ---- the channel ----

  function post(message: Parameters<typeof encodeFilesMessage>[0]): boolean {
    const ch = channel;
    if (ch === null || ch.readyState !== 'open') return false;
    try {
      ch.send(encodeFilesMessage(message));
      return true;
    } catch {
      return false; // closing: the 'close' event follows and pauses everything
    }
  }

  function wake(): void {
    const w = wakeSender;
    wakeSender = null;
    w?.();
  }

  function scheduleReopen(): void {
    clearTimeout(reopenTimer);
    if (open === null || disposed) return;
    reopenTimer = setTimeout(openChannel, REOPEN_DELAY_MS);
  }

  function openChannel(): void {
    clearTimeout(reopenTimer);
    if (open === null || channel !== null || disposed) return;
    const ch = open(FILES_CHANNEL_LABEL, {
      negotiated: true,
      id: FILES_CHANNEL_ID,
      ordered: true,
    });
    if (ch === null) {
      scheduleReopen();
      return;
    }
    epoch++;
    channel = ch;
    const abort = new AbortController();
    channelAbort = abort;
    const listen = { signal: abort.signal };
    ch.binaryType = 'arraybuffer';
    ch.bufferedAmountLowThreshold = LOW_WATER_BYTES;
    ch.addEventListener('open', () => sayHello(false), listen);
    ch.addEventListener('close', () => lost(ch), listen);
    ch.addEventListener('error', () => lost(ch), listen);
    ch.addEventListener('bufferedamountlow', wake, listen);
    ch.addEventListener(
      'message',
      (e) => onMessage('data' in e ? (e as MessageEvent).data : undefined),
      listen,
    );
    if (ch.readyState === 'open') sayHello(false);
  }

  function sayHello(seen: boolean): void {
    post({ t: 'hello', maxChunk: ourMaxChunk, seen });
    clearTimeout(helloTimer);
    if (!linked) helloTimer = setTimeout(() => sayHello(false), HELLO_RETRY_MS);
  }

  /** The channel closed (or we let it go): pause, and try again while the connection is meant to be up. */
  function lost(ch: FileChannel): void {
    if (ch !== channel) return;
    drop();
    scheduleReopen();
  }

  function drop(): void {
    const ch = channel;
    channel = null;
    channelAbort?.abort();
    channelAbort = null;
    linked = false;
    clearTimeout(helloTimer);
    epoch++;
    wake();
    if (ch !== null && ch.readyState !== 'closed') {
      try {
        ch.close();
      } catch {
        // already going
      }
    }
    publish();
  }

  function onLinked(): void {
    linked = true;
    clearTimeout(helloTimer);
    for (const t of transfers.values()) {
      if (t.tellPeer === 'cancel') post({ t: 'cancel', id: t.id, reason: 'user' });
      if (t.tellPeer === 'decline') post({ t: 'decline', id: t.id });
      t.tellPeer = null;
      // The sender drives a resume: it offers again, and the receiver answers with what it holds.
      if (t.direction === 'out' && !FINAL.has(t.status)) offer(t);
    }
    publish();
  }

  function offer(t: Outgoing): void {
    post({ t: 'offer', id: t.id, n: t.n, name: t.name, size: t.size, type: t.type });
  }

  // ---- incoming messages ----

  function onMessage(data: unknown): void {
    if (typeof data === 'string') {
      const parsed = parseFilesMessage(data);
      if (parsed.ok) onControl(parsed.value);
      else refused();
      return;
    }
    if (data instanceof ArrayBuffer) onChunk(data);
    else refused();
  }

  function refused(): void {
    badMessages++;
    publishSoon();
  }

  function onControl(m: FilesMessage): void {
    if (m.t === 'hello') {
      peerMaxChunk = Math.min(DEFAULT_MAX_CHUNK, m.maxChunk);
      if (!m.seen) sayHello(true);
      if (!linked) onLinked();
      return;
    }
    const t = transfers.get(m.id);
    if (m.t === 'offer') {
      onOffer(m, t);
      return;
    }
    if (t === undefined) {
      // Only questions get an answer, so two confused peers cannot bounce cancels forever.
      if (m.t === 'accept' || m.t === 'ack' || m.t === 'done')
        post({ t: 'cancel', id: m.id, reason: 'unknown' });
      return;
    }
    if (t.direction === 'out') onOutgoingControl(t, m);
    else onIncomingControl(t, m);
  }

  function onOffer(m: Extract<FilesMessage, { t: 'offer' }>, known: Transfer | undefined): void {
    if (known !== undefined) {
      if (known.direction === 'in') answerAgain(known);
      return; // an id of our own offers: ignored
    }
    const pending = [...transfers.values()].filter(
      (t) => t.direction === 'in' && t.status === 'offered',
    ).length;
    const streamTaken = [...transfers.values()].some(
      (t) => t.direction === 'in' && t.n === m.n && !FINAL.has(t.status),
    );
    if (pending >= MAX_PENDING_OFFERS || streamTaken) {
      post({ t: 'decline', id: m.id });
      return;
    }
    const t: Incoming = {
      direction: 'in',
      id: m.id,
      n: m.n,
      name: sanitizeFileName(m.name),
      size: m.size,
      type: m.type === '' ? '' : sanitizeMimeType(m.type),
      status: 'offered',
      cancelledBy: null,
      failure: null,
      tellPeer: null,
      samples: [],
      resumedFrom: [],
      sha256: null,
      epoch: -1,
      received: 0,
      lastAck: 0,
      hasher: new Sha256(),
      sink: null,
      toDisk: false,
      writes: Promise.resolve(),
      done: null,
      blob: null,
    };
    transfers.set(t.id, t);
    publish();
  }

  /** The sender offered a transfer we already know: it reconnected, tell it where we stand. */
  function answerAgain(t: Incoming): void {
    switch (t.status) {
      case 'offered':
        return; // still up to the person
      case 'receiving':
        if (t.epoch === epoch) return; // already answered on this channel
        if (t.received > 0) t.resumedFrom.push(t.received);
        t.epoch = epoch;
        t.lastAck = t.received;
        post({ t: 'accept', id: t.id, offset: t.received });
        publish();
        return;
      case 'verifying':
        return; // the result follows
      case 'done':
        post({ t: 'result', id: t.id, ok: true });
        return;
      case 'failed':
        post(
          t.failure === 'mismatch'
            ? { t: 'result', id: t.id, ok: false }
            : { t: 'cancel', id: t.id, reason: 'error' },
        );
        return;
      case 'declined':
        post({ t: 'decline', id: t.id });
        return;
      default:
        post({ t: 'cancel', id: t.id, reason: 'user' });
    }
  }

  function onOutgoingControl(t: Outgoing, m: FilesMessage): void {
    if (FINAL.has(t.status)) return;
    switch (m.t) {
      case 'accept': {
        if (t.epoch === epoch) return; // a second answer on the same channel: ignored
        if (m.offset > t.size) {
          failOut(t, 'protocol', true);
          return;
        }
        if (t.started) t.resumedFrom.push(m.offset);
        t.epoch = epoch;
        t.offset = m.offset;
        t.acked = m.offset;
        t.samples = [];
        sample(t, m.offset);
        t.status = 'queued';
        publish();
        void pump();
        return;
      }
      case 'ack':
        if (m.offset > t.acked && m.offset <= t.offset) {
          t.acked = m.offset;
          sample(t, m.offset);
          wake();
          publishSoon();
        }
        return;
      case 'result':
        if (t.status !== 'sent') return;
        if (m.ok) {
          t.status = 'done';
          t.acked = t.size;
        } else {
          t.status = 'failed';
          t.failure = 'peer-mismatch';
        }
        publish();
        return;
      case 'decline':
        t.status = 'declined';
        wake();
        publish();
        return;
      case 'cancel':
        t.status = m.reason === 'user' ? 'cancelled' : 'failed';
        if (m.reason === 'user') t.cancelledBy = 'peer';
        else t.failure = 'peer-error';
        wake();
        publish();
        return;
      default:
        return;
    }
  }

  function onIncomingControl(t: Incoming, m: FilesMessage): void {
    if (FINAL.has(t.status)) return;
    switch (m.t) {
      case 'done':
        if (t.status !== 'receiving' || t.done !== null) return;
        if (m.size !== t.size || m.size !== t.received) {
          failIn(t, 'size-mismatch', true);
          return;
        }
        t.done = { size: m.size, sha256: m.sha256 };
        void finish(t);
        return;
      case 'cancel':
        t.cancelledBy = m.reason === 'user' ? 'peer' : null;
        if (m.reason === 'user') t.status = 'cancelled';
        else {
          t.status = 'failed';
          t.failure = 'peer-error';
        }
        void t.sink?.abort();
        t.sink = null;
        publish();
        return;
      default:
        return;
    }
  }

  function onChunk(data: ArrayBuffer): void {
    const decoded = decodeChunk(data);
    if (!decoded.ok) {
      refused();
      return;
    }
    const { n, offset, payload } = decoded.value;
    let t: Incoming | undefined;
    for (const x of transfers.values()) {
      if (x.direction === 'in' && x.n === n && x.status === 'receiving' && x.epoch === epoch) {
        t = x;
        break;
      }
    }
    if (t === undefined || t.sink === null) {
      strayChunks++;
      publishSoon();
      return;
    }
    if (data.byteLength > ourMaxChunk || payload.length === 0 || offset !== t.received) {
      failIn(t, 'protocol', true);
      return;
    }
    if (t.received + payload.length > t.size) {
      failIn(t, 'size-mismatch', true);
      return;
    }
    t.hasher.update(payload);
    t.received += payload.length;
    const sink = t.sink;
    const incoming = t;
    t.writes = t.writes.then(() => sink.write(payload));
    t.writes.catch(() => {
      if (incoming.status === 'receiving') failIn(incoming, 'storage', true);
    });
    if (t.received - t.lastAck >= ackEvery || t.received === t.size) {
      t.lastAck = t.received;
      const at = t.received;
      const ep = epoch;
      void t.writes.then(
        () => {
          if (incoming.status === 'receiving' || incoming.status === 'verifying')
            if (ep === epoch) post({ t: 'ack', id: incoming.id, offset: at });
        },
        () => undefined,
      );
    }
    sample(t, t.received);
    publishSoon();
  }

  async function finish(t: Incoming): Promise<void> {
    t.status = 'verifying';
    publish();
    try {
      await t.writes;
    } catch {
      return; // failIn already ran
    }
    if (t.status !== 'verifying' || t.done === null) return;
    const digest = toHex(t.hasher.digest());
    const sink = t.sink;
    t.sink = null;
    if (digest !== t.done.sha256) {
      await sink?.abort();
      t.status = 'failed';
      t.failure = 'mismatch';
      post({ t: 'result', id: t.id, ok: false });
      publish();
      return;
    }
    try {
      t.blob = (await sink?.finish()) ?? null;
    } catch {
      t.status = 'failed';
      t.failure = 'storage';
      post({ t: 'cancel', id: t.id, reason: 'error' });
      publish();
      return;
    }
    t.sha256 = digest;
    t.status = 'done';
    post({ t: 'result', id: t.id, ok: true });
    publish();
  }

  function failIn(t: Incoming, failure: TransferFailure, tell: boolean): void {
    t.status = 'failed';
    t.failure = failure;
    void t.sink?.abort();
    t.sink = null;
    if (tell) post({ t: 'cancel', id: t.id, reason: 'error' });
    publish();
  }

  function failOut(t: Outgoing, failure: TransferFailure, tell: boolean): void {
    t.status = 'failed';
    t.failure = failure;
    if (tell) post({ t: 'cancel', id: t.id, reason: 'error' });
    wake();
    publish();
  }

  // ---- sending ----

  /** Sends accepted files one at a time, in the order they were offered. */
  async function pump(): Promise<void> {
    if (pumping) return;
    pumping = true;
    try {
      for (;;) {
        if (!linked || disposed) return;
        const next = [...transfers.values()].find(
          (t): t is Outgoing => t.direction === 'out' && t.status === 'queued' && t.epoch === epoch,
        );
        if (next === undefined) return;
        await sendOne(next);
      }
    } finally {
      pumping = false;
    }
  }

  function waitForWake(): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        if (wakeSender === done) wakeSender = null;
        resolve();
      }, SEND_POLL_MS);
      const done = (): void => {
        clearTimeout(timer);
        resolve();
      };
      wakeSender = done;
    });
  }

  async function read(file: Blob, from: number, to: number): Promise<Uint8Array> {
    return new Uint8Array(await file.slice(from, to).arrayBuffer());
  }

  /** Hashes file bytes the receiver got in an earlier life of this page but we never read (rare). */
  async function hashUpTo(t: Outgoing, end: number): Promise<void> {
    while (t.hashed < end) {
      const block = await read(t.file, t.hashed, Math.min(end, t.hashed + READ_BLOCK_BYTES));
      if (block.length === 0) throw new Error('short read');
      t.hasher.update(block);
      t.hashed += block.length;
    }
  }

  async function sendOne(t: Outgoing): Promise<void> {
    const ep = epoch;
    const ch = channel;
    if (ch === null) return;
    const live = (): boolean => ep === epoch && t.status === 'sending' && !disposed;
    t.status = 'sending';
    t.started = true;
    publish();
    const payloadMax = Math.max(1, peerMaxChunk - FRAME_HEADER_BYTES);
    let block: { at: number; bytes: Uint8Array } | null = null;
    let ahead: { at: number; bytes: Promise<Uint8Array> } | null = null;
    try {
      if (t.hashed < t.offset) await hashUpTo(t, t.offset);
      while (live() && t.offset < t.size) {
        if (ch.bufferedAmount > HIGH_WATER_BYTES || t.offset - t.acked >= windowBytes) {
          await waitForWake();
          continue;
        }
        if (block === null || t.offset < block.at || t.offset >= block.at + block.bytes.length) {
          const at = t.offset;
          const bytes: Promise<Uint8Array> =
            ahead !== null && ahead.at === at
              ? ahead.bytes
              : read(t.file, at, Math.min(t.size, at + READ_BLOCK_BYTES));
          const got = await bytes;
          if (got.length === 0) throw new Error('short read');
          block = { at, bytes: got };
          const nextAt = at + got.length;
          ahead =
            nextAt < t.size
              ? { at: nextAt, bytes: read(t.file, nextAt, Math.min(t.size, nextAt + READ_BLOCK_BYTES)) }
              : null;
          ahead?.bytes.catch(() => undefined);
          continue; // re-check after the await
        }
        const from = t.offset - block.at;
        const len = Math.min(payloadMax, block.bytes.length - from);
        const payload = block.bytes.subarray(from, from + len);
        // After a resume the chunks are cut elsewhere: hash exactly the bytes not hashed yet.
        const end = t.offset + len;
        if (t.hashed >= t.offset && t.hashed < end) {
          t.hasher.update(payload.subarray(t.hashed - t.offset));
          t.hashed = end;
        }
        ch.send(encodeChunk(t.n, t.offset, payload));
        t.offset += len;
        t.sent += len;
        publishSoon();
      }
      if (!live()) return;
      if (t.sha256 === null) {
        await hashUpTo(t, t.size);
        if (!live()) return;
        t.sha256 = toHex(t.hasher.digest());
      }
      post({ t: 'done', id: t.id, size: t.size, sha256: t.sha256 });
      t.status = 'sent';
      publish();
    } catch {
      // A send on a closing channel throws: its 'close' pauses everything. Anything else is the file.
      if (ep === epoch && channel?.readyState === 'open' && t.status === 'sending') failOut(t, 'read', true);
    }
  }

  // ---- the person's actions ----

  function send(files: readonly File[]): string[] {
    const ids: string[] = [];
    for (const file of files) {
      const t: Outgoing = {
        direction: 'out',
        id: newId(),
        n: nextStream,
        name: file.name,
        size: file.size,
        type: file.type,
        status: 'offered',
        cancelledBy: null,
        failure: null,
        tellPeer: null,
        samples: [],
        resumedFrom: [],
        sha256: null,
        epoch: -1,
        file,
        offset: 0,
        acked: 0,
        sent: 0,
        hasher: new Sha256(),
        hashed: 0,
        started: false,
      };
      nextStream = nextStream >= MAX_STREAM ? 0 : nextStream + 1;
      transfers.set(t.id, t);
      ids.push(t.id);
      if (linked) offer(t);
    }
    publish();
    return ids;
  }

  function accept(id: string, sink: Sink, toDisk = false): void {
    const t = transfers.get(id);
    if (t?.direction !== 'in' || t.status !== 'offered') {
      void sink.abort();
      return;
    }
    t.sink = sink;
    t.toDisk = toDisk;
    t.status = 'receiving';
    sample(t, 0);
    // Off the link, the sender's next offer (after the reconnect) gets this answer instead.
    if (linked) {
      t.epoch = epoch;
      post({ t: 'accept', id, offset: 0 });
    }
    publish();
  }

  function decline(id: string): void {
    const t = transfers.get(id);
    if (t?.direction !== 'in' || t.status !== 'offered') return;
    t.status = 'declined';
    if (!post({ t: 'decline', id })) t.tellPeer = 'decline';
    publish();
  }

  function cancel(id: string): void {
    const t = transfers.get(id);
    if (t === undefined || FINAL.has(t.status)) return;
    t.status = 'cancelled';
    t.cancelledBy = 'me';
    if (t.direction === 'in') {
      void t.sink?.abort();
      t.sink = null;
    }
    if (!post({ t: 'cancel', id, reason: 'user' satisfies CancelReason })) t.tellPeer = 'cancel';
    wake();
    publish();
  }

  function remove(id: string): void {
    const t = transfers.get(id);
    if (t === undefined || !FINAL.has(t.status)) return;
    transfers.delete(id);
    publish();
  }

  return {
    connect(next) {
      if (disposed) return;
      const changed = open !== next;
      open = next;
      if (changed && channel !== null) drop(); // a new connection: the old channel belongs to the old one
      openChannel();
    },
    disconnect() {
      open = null;
      clearTimeout(reopenTimer);
      if (channel !== null) drop();
    },
    send,
    accept,
    decline,
    cancel,
    remove,
    getState: () => snapshot,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    dispose() {
      open = null;
      clearTimeout(reopenTimer);
      if (channel !== null) drop();
      disposed = true;
      clearTimeout(publishTimer);
      for (const t of transfers.values()) if (t.direction === 'in') void t.sink?.abort();
      listeners.clear();
    },
  };
}
