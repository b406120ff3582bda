// Messages between the page and the scanner worker. Both sides validate: a message is outside input.

/** Page → worker: one frame, its pixel buffer transferred (not copied). */
export interface ScanRequest {
  readonly data: Uint8ClampedArray<ArrayBuffer>;
  readonly width: number;
  readonly height: number;
}

/** Worker → page: the text read from that frame, or null. */
export interface ScanReply {
  readonly text: string | null;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

export function isScanRequest(value: unknown): value is ScanRequest {
  return (
    isRecord(value) &&
    value.data instanceof Uint8ClampedArray &&
    typeof value.width === 'number' &&
    typeof value.height === 'number'
  );
}

export function isScanReply(value: unknown): value is ScanReply {
  return isRecord(value) && (typeof value.text === 'string' || value.text === null);
}

/** The worker's whole job, as a pure function of the message it received. */
export function answer(
  message: unknown,
  decode: (rgba: Uint8ClampedArray, w: number, h: number) => string | null,
): ScanReply {
  return { text: isScanRequest(message) ? decode(message.data, message.width, message.height) : null };
}
