// What the sender, the receiver and the coordinator share: the transfer records, the live link state and the
// few effects every part needs (post, publish). It is one mutable object so that each part always reads the
// current channel epoch, never a copy taken when it was created.

import type { FileChannel } from './channel.ts';
import type { encodeFilesMessage, FilesMessage } from './protocol.ts';
import { addSample, type RateSample, rateOf } from './rate.ts';
import type { Sha256 } from './sha256.ts';
import type { Sink } from './sink.ts';
import type { TransferFailure, TransferStatus, TransferView } from './types.ts';

export const FINAL: ReadonlySet<TransferStatus> = new Set(['done', 'failed', 'declined', 'cancelled']);

/** The epoch of a transfer nobody has accepted yet: matches no channel (the first channel is epoch 1). */
export const NO_EPOCH = -1;

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
  readonly hasher: Sha256;
  /** The hasher has seen every byte before this. */
  hashed: number;
  /** Sending has begun at least once (so a later accept is a resume). */
  started: boolean;
}

export interface Incoming extends Base {
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
  disposed: boolean;
  strayChunks: number;
  badMessages: number;
  /** Sends a control message; false when the channel is not open (or is closing). */
  post(message: Control): boolean;
  /** Status changes: published at once. */
  publish(): void;
  /** Progress: published a little later, together with whatever else changes meanwhile. */
  publishSoon(): void;
}

/** The fields both directions start with: offered, nothing sent, received or known yet. */
export function offered(id: string, n: number, name: string, size: number, type: string): Base {
  return {
    id,
    n,
    name,
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
