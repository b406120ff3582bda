// What the sender, the receiver and the coordinator share: the transfer records, the live link state and the
// few effects every part needs (post, publish). It is one mutable object so that each part always reads the
// current channel epoch, never a copy taken when it was created.

import type { FileChannel } from './channel.ts';
import type { Hasher } from './hash.ts';
import type { encodeFilesMessage, FilesMessage } from './protocol.ts';
import { addSample, type RateSample, rateOf } from './rate.ts';
import type { Sink } from './sink.ts';
import type { TransferFailure, TransferStatus, TransferView } from './types.ts';

export const FINAL: ReadonlySet<TransferStatus> = new Set(['done', 'failed', 'declined', 'cancelled']);

/**
 * Ended transfers kept in the list beyond this many are dropped, oldest first, so a peer's offer+cancel pairs
 * cannot grow it without bound. Received files (incoming 'done') are kept: each needed the person's accept.
 */
export const MAX_ENDED_KEPT = 100;

/** The epoch of a transfer nobody has accepted yet: matches no channel (the first channel is epoch 1). */
export const NO_EPOCH = -1;

interface Base {
  readonly id: string;
  readonly n: number;
  readonly name: string;
  /** The folder it sits in within a sent folder ('' for a lone file); in: already sanitised. */
  readonly path: string;
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
  /** The channel epoch in which the peer accepted (out) or we accepted (in); NO_EPOCH before. */
  epoch: number;
}

export interface Outgoing extends Base {
  readonly direction: 'out';
  readonly file: Blob;
  /** Next byte to send. */
  offset: number;
  /** Bytes the receiver acknowledged. */
  acked: number;
  sent: number;
  /** Made when sending first begins (hash-wasm instantiates asynchronously). */
  hasher: Hasher | null;
  /** The hasher has seen every byte before this. */
  hashed: number;
  /** Sending has begun at least once (so a later accept is a resume). */
  started: boolean;
}

export interface Incoming extends Base {
  readonly direction: 'in';
  received: number;
  /** The offset of the last ack we decided to send (it goes out once the bytes are stored). */
  lastAck: number;
  /**
   * The offset the sender last heard from us as stored (an ack posted, or the accept's offset): it may send
   * at most a window beyond it, and a sender that goes further is refused.
   */
  ackPosted: number;
  /** Made at accept; the write chain waits for it, so every byte is hashed in order. */
  hasher: Hasher | null;
  sink: Sink | null;
  toDisk: boolean;
  /** Writes are chained so they reach the sink in order. */
  writes: Promise<void>;
  /** The sender's 'done': size and digest. */
  done: { size: number; sha256: string } | null;
  blob: Blob | null;
}

export type Transfer = Outgoing | Incoming;

/** A control message as it is posted (the version is added on the wire). */
export type Control = Parameters<typeof encodeFilesMessage>[0];

export interface Core {
  readonly now: () => number;
  readonly transfers: Map<string, Transfer>;
  /** The largest binary message this side accepts (header included). */
  readonly ourMaxChunk: number;
  channel: FileChannel | null;
  /** Increments with every channel: work begun on an older one stops. */
  epoch: number;
  /** Our side of the channel is open and the peer answered our hello. */
  linked: boolean;
  peerMaxChunk: number;
  /** The largest message the peer's browser takes (its SDP's max-message-size), as the app reports it. */
  peerMaxMessage: number;
  /** How far the peer may send beyond our acknowledgement (we announce it and enforce it). */
  readonly ourWindow: number;
  /** How far the peer lets us send beyond its acknowledgement (its hello; the default before). */
  peerWindow: number;
  disposed: boolean;
  strayChunks: number;
  badMessages: number;
  /** Offers declined because the peer offered too many too fast. */
  limitedOffers: number;
  /** Until then the list says that offers are being refused (0: not limited). */
  limitedUntil: number;
  /** Sends a control message; false when the channel is not open (or is closing). */
  post(message: Control): boolean;
  /** Status changes: published at once. */
  publish(): void;
  /** Progress: published a little later, together with whatever else changes meanwhile. */
  publishSoon(): void;
}

/** The fields both directions start with: offered, nothing sent, received or known yet. */
export function offered(id: string, n: number, name: string, size: number, type: string, path = ''): Base {
  return {
    id,
    n,
    name,
    path,
    size,
    type,
    status: 'offered',
    cancelledBy: null,
    failure: null,
    tellPeer: null,
    samples: [],
    resumedFrom: [],
    sha256: null,
    epoch: NO_EPOCH,
  };
}

/** Droppable: ended, told to the peer, and not a received file the person may still save. */
function droppable(t: Transfer): boolean {
  return FINAL.has(t.status) && t.tellPeer === null && !(t.direction === 'in' && t.status === 'done');
}

/** Drops the oldest droppable transfers beyond MAX_ENDED_KEPT (a Map iterates in insertion order). */
export function prune(transfers: Map<string, Transfer>): void {
  let ended = 0;
  for (const t of transfers.values()) if (droppable(t)) ended++;
  for (const [id, t] of transfers) {
    if (ended <= MAX_ENDED_KEPT) return;
    if (!droppable(t)) continue;
    transfers.delete(id);
    ended--;
  }
}

export function sample(core: Core, t: Transfer, bytes: number): void {
  t.samples = addSample(t.samples, { at: core.now(), bytes });
}

/** A message the parser (or the chunk decoder) refused: counted, never answered. */
export function refused(core: Core): void {
  core.badMessages++;
  core.publishSoon();
}

export function view(t: Transfer, linked: boolean): TransferView {
  const bytes = t.direction === 'out' ? t.acked : t.received;
  const active = t.status === 'sending' || t.status === 'receiving';
  const rate = active ? rateOf(t.samples, t.size) : { bytesPerSecond: 0, etaSeconds: null };
  return {
    id: t.id,
    direction: t.direction,
    name: t.name,
    path: t.path,
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
