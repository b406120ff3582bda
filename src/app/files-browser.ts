// What the files glue (files.ts) takes from the browser and the session: the save dialog, the storage estimate,
// binary channels, and the largest message the peer takes.

import type { DataChannelLike } from '../rtc/index.ts';
import type { FileChannel, WritableFile } from '../transfer/index.ts';

export type SavePicker = (options: {
  suggestedName: string;
}) => Promise<{ readonly name?: string; createWritable(): Promise<WritableFile> }>;

/** The session hands out plain channels; the engine needs binary sends and the buffered-amount event. */
export function isFileChannel(ch: DataChannelLike): ch is DataChannelLike & FileChannel {
  return 'binaryType' in ch && 'bufferedAmountLowThreshold' in ch;
}

/**
 * The largest message the peer's browser takes, from its SDP (RFC 8841: absent means 64 KiB, 0 means no limit
 * of its own); undefined when there is no SDP to read.
 */
export function peerMaxMessageSize(remoteSdp: string | null): number | undefined {
  if (remoteSdp === null) return undefined;
  const found = /^a=max-message-size:(\d+)\s*$/m.exec(remoteSdp);
  if (found === null) return undefined;
  const n = Number(found[1]);
  return n === 0 ? Number.MAX_SAFE_INTEGER : n;
}

export function browserPicker(): SavePicker | null {
  const w = globalThis as { showSaveFilePicker?: SavePicker };
  return typeof w.showSaveFilePicker === 'function' ? w.showSaveFilePicker.bind(globalThis) : null;
}

export function browserEstimate(): (() => Promise<StorageEstimate>) | null {
  const storage = (globalThis as { navigator?: Navigator }).navigator?.storage;
  return typeof storage?.estimate === 'function' ? () => storage.estimate() : null;
}
