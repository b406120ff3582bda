// The transfer room's public types: what the UI sees of a transfer, and the engine's interface. The engine is
// `createTransferManager` in `manager.ts`, which re-exports all of these.

import type { OpenChannel } from './channel.ts';
import type { Sink } from './sink.ts';

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
  /** The folder it sits in within a sent folder ('photos/2024'), '' for a lone file. In: already sanitised. */
  readonly path: string;
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

/** A file picked or dropped as part of a folder, with the folder it sits in ('photos/2024'). */
export interface FolderFile {
  readonly file: File;
  readonly path: string;
}

export interface FilesCounters {
  /** Chunks dropped because they named no transfer being received (unknown, cancelled, finished). */
  readonly strayChunks: number;
  /** Messages refused by the parser. */
  readonly badMessages: number;
  /** Offers declined because the peer offered too many too fast. */
  readonly limitedOffers: number;
}

export interface FilesSnapshot {
  readonly transfers: readonly TransferView[];
  /** Our side of the files channel is open and the peer answered our hello. */
  readonly linked: boolean;
  /** The peer is offering too many files too fast: some offers were just declined (a notice to show). */
  readonly offersLimited: boolean;
  readonly counters: FilesCounters;
}

export interface ManagerDeps {
  readonly now?: () => number;
  readonly newId?: () => string;
  /** The largest binary message this side accepts (header included). */
  readonly maxChunk?: number;
  /**
   * How far beyond the receiver's acknowledgement a sender may go (default WINDOW_BYTES): announced to the peer
   * in hello and enforced on what it sends us; we send within the smaller of this and the peer's own.
   */
  readonly windowBytes?: number;
  /** Receiver: acknowledge every this many bytes (default ACK_EVERY_BYTES; keep it below the sender's window). */
  readonly ackEveryBytes?: number;
}

export interface PeerLimits {
  readonly maxMessageSize: number;
}

export interface TransferManager {
  /**
   * The connection is usable (first time, or again after a reconnect): open the files channel on it. `peer`:
   * the largest message the peer's browser takes (its SDP's max-message-size); DEFAULT_MAX_CHUNK when unknown.
   */
  connect(open: OpenChannel, peer?: PeerLimits): void;
  /** The connection is gone: transfers pause until `connect` is called again. */
  disconnect(): void;
  /** Offers files (or files of a folder, with their folder) to the peer; returns their ids. */
  send(files: readonly (File | FolderFile)[]): string[];
  accept(id: string, sink: Sink, toDisk?: boolean): void;
  decline(id: string): void;
  cancel(id: string): void;
  /** Forgets a finished transfer (and lets its Blob go). */
  remove(id: string): void;
  getState(): FilesSnapshot;
  subscribe(listener: (s: FilesSnapshot) => void): () => void;
  dispose(): void;
}
