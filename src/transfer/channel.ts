// The slice of RTCDataChannel the transfer room uses (the browser's class satisfies it; node tests use a fake),
// and the small interface through which the app tells it about the connection.

export interface FileChannel {
  readonly readyState: RTCDataChannelState;
  readonly bufferedAmount: number;
  binaryType: BinaryType;
  bufferedAmountLowThreshold: number;
  send(data: string | Uint8Array<ArrayBuffer>): void;
  close(): void;
  addEventListener(type: string, listener: (event: Event) => void, options?: AddEventListenerOptions): void;
}

/**
 * Opens a negotiated data channel on the live connection, or null when there is none (or the id is still
 * taken). The session's `openChannel`, narrowed by the app to channels that carry binary data.
 */
export type OpenChannel = (label: string, init: RTCDataChannelInit) => FileChannel | null;
