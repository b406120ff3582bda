// The files protocol, on its own negotiated data channel: JSON text messages for control, binary messages for
// chunks. One ordered channel carries both, so 'done' never overtakes the last chunk and a cancel follows the
// chunks it stops. Everything here comes from the other device: parsing never throws and bounds every size.

import { err, ok, type Result } from '../rtc/base/result.ts';

export const FILES_PROTOCOL_VERSION = 1;
export const FILES_CHANNEL_LABEL = 'pigeon-files';
/** Channel 0 is the session's; files use 1, on both sides (negotiated: no 'datachannel' event needed). */
export const FILES_CHANNEL_ID = 1;
/** Raw control message limit, checked before JSON.parse (an offer with a long name is the largest). */
export const MAX_CONTROL_CHARS = 64 * 1024;
/** Longest file name accepted on the wire (it is then shortened by sanitizeFileName). */
export const MAX_WIRE_NAME_CHARS = 16 * 1024;
export const MAX_ID_CHARS = 64;
/** Longest folder path accepted on the wire (longer ones are ignored; sanitizeFolderPath bounds the rest). */
export const MAX_WIRE_PATH_CHARS = 4 * 1024;
export const MAX_TYPE_WIRE_CHARS = 256;
/**
 * The largest message (header included) a peer's browser is assumed to take when it does not say (RFC 8841's
 * default for an SDP without max-message-size), and what earlier versions of Pigeon announced and used.
 */
export const DEFAULT_MAX_CHUNK = 64 * 1024;
/**
 * The largest message this side asks for and takes: Chromium's and Safari's max-message-size (262144), which
 * Firefox (1073741823) exceeds. Chunks this size moved a bare channel 1.5× faster than 64 KiB ones here; the
 * sender still keeps under the limit the peer's SDP states.
 */
export const MAX_CHUNK = 256 * 1024;
/** The window a hello without one means: what every earlier version sent beyond the receiver's ack. */
export const LEGACY_WINDOW_BYTES = 16 * 1024 * 1024;
/** The smallest window a peer may announce (chunks are cut to fit the window, so any size works). */
export const MIN_WINDOW_BYTES = DEFAULT_MAX_CHUNK;
/** The smallest chunk limit a peer may announce (below that the header would dominate). */
export const MIN_MAX_CHUNK = 1024;
/** Chunk header: magic, version, header length, stream number, offset. */
export const FRAME_HEADER_BYTES = 16;
const FRAME_MAGIC = 0x50; // 'P'
/** File sizes are JSON numbers: exact integers up to 2^53. */
export const MAX_FILE_SIZE = Number.MAX_SAFE_INTEGER;
/** Stream numbers fit the header's 32 bits. */
export const MAX_STREAM = 0xffff_ffff;

type V = typeof FILES_PROTOCOL_VERSION;

export type CancelReason = 'user' | 'error' | 'unknown';

export type FilesMessage =
  /**
   * Sent when the channel opens, and answered once (`seen: true`) so both know the other is listening.
   * `window`: how far beyond our ack the peer may send to us (absent from earlier versions: LEGACY_WINDOW_BYTES).
   */
  | {
      readonly v: V;
      readonly t: 'hello';
      readonly maxChunk: number;
      readonly seen: boolean;
      readonly window?: number;
    }
  | {
      readonly v: V;
      readonly t: 'offer';
      readonly id: string;
      /** The number chunks of this file carry in their header. */
      readonly n: number;
      readonly name: string;
      readonly size: number;
      readonly type: string;
      /**
       * The folder the file sits in when a folder is sent ('photos/2024'), relative, '/'-separated. Optional:
       * earlier versions neither send nor read it (their parser drops unknown fields), so they get plain files.
       */
      readonly path?: string;
    }
  /** Receiver: send from `offset` (0 the first time; what it already has after a reconnect). */
  | { readonly v: V; readonly t: 'accept'; readonly id: string; readonly offset: number }
  | { readonly v: V; readonly t: 'decline'; readonly id: string }
  | { readonly v: V; readonly t: 'cancel'; readonly id: string; readonly reason: CancelReason }
  /** Receiver: it holds (and has handed to storage) every byte before `offset`. */
  | { readonly v: V; readonly t: 'ack'; readonly id: string; readonly offset: number }
  /** Sender: every chunk is sent; the whole file's SHA-256, lower-case hex. */
  | { readonly v: V; readonly t: 'done'; readonly id: string; readonly size: number; readonly sha256: string }
  /** Receiver: whether its own digest matched. */
  | { readonly v: V; readonly t: 'result'; readonly id: string; readonly ok: boolean };

export type FilesMessageType = FilesMessage['t'];

export type FilesProtocolError =
  | { readonly kind: 'too-large'; readonly size: number }
  | { readonly kind: 'not-json' }
  | { readonly kind: 'bad-version' }
  | { readonly kind: 'unknown-type'; readonly type: string }
  | { readonly kind: 'bad-field'; readonly type: string; readonly field: string };

type Fields = Record<string, unknown>;

const isId = (x: unknown): x is string => typeof x === 'string' && x.length > 0 && x.length <= MAX_ID_CHARS;
const isOffset = (x: unknown): x is number =>
  typeof x === 'number' && Number.isSafeInteger(x) && x >= 0 && x <= MAX_FILE_SIZE;
const isHex256 = (x: unknown): x is string => typeof x === 'string' && /^[0-9a-f]{64}$/.test(x);
const CANCEL_REASONS: readonly CancelReason[] = ['user', 'error', 'unknown'];

function field<T>(
  o: Fields,
  type: string,
  name: string,
  check: (x: unknown) => x is T,
): Result<T, FilesProtocolError> {
  const value = o[name];
  return check(value) ? ok(value) : err({ kind: 'bad-field', type, field: name });
}

function parseFields(t: string, o: Fields): Result<FilesMessage, FilesProtocolError> {
  const v = FILES_PROTOCOL_VERSION;
  const id = () => field(o, t, 'id', isId);
  switch (t) {
    case 'hello': {
      const maxChunk = field(
        o,
        t,
        'maxChunk',
        (x): x is number => Number.isSafeInteger(x) && (x as number) >= MIN_MAX_CHUNK,
      );
      if (!maxChunk.ok) return maxChunk;
      const hello = { v, t, maxChunk: maxChunk.value, seen: o.seen === true } as const;
      if (o.window === undefined) return ok(hello);
      const window = field(
        o,
        t,
        'window',
        (x): x is number => Number.isSafeInteger(x) && (x as number) >= MIN_WINDOW_BYTES,
      );
      return window.ok ? ok({ ...hello, window: window.value }) : window;
    }
    case 'offer': {
      const i = id();
      if (!i.ok) return i;
      const n = field(
        o,
        t,
        'n',
        (x): x is number => Number.isSafeInteger(x) && (x as number) >= 0 && (x as number) <= MAX_STREAM,
      );
      if (!n.ok) return n;
      const name = field(
        o,
        t,
        'name',
        (x): x is string => typeof x === 'string' && x.length <= MAX_WIRE_NAME_CHARS,
      );
      if (!name.ok) return name;
      const size = field(o, t, 'size', isOffset);
      if (!size.ok) return size;
      const type = typeof o.type === 'string' ? o.type.slice(0, MAX_TYPE_WIRE_CHARS) : '';
      const offer = { v, t, id: i.value, n: n.value, name: name.value, size: size.value, type } as const;
      // A path is a nicety: one that is not text or too long is ignored, the file still comes.
      const path = o.path;
      return typeof path === 'string' && path !== '' && path.length <= MAX_WIRE_PATH_CHARS
        ? ok({ ...offer, path })
        : ok(offer);
    }
    case 'accept':
    case 'ack': {
      const i = id();
      if (!i.ok) return i;
      const offset = field(o, t, 'offset', isOffset);
      if (!offset.ok) return offset;
      return ok({ v, t, id: i.value, offset: offset.value });
    }
    case 'decline': {
      const i = id();
      return i.ok ? ok({ v, t, id: i.value }) : i;
    }
    case 'cancel': {
      const i = id();
      if (!i.ok) return i;
      const reason = CANCEL_REASONS.find((r) => r === o.reason) ?? 'error';
      return ok({ v, t, id: i.value, reason });
    }
    case 'done': {
      const i = id();
      if (!i.ok) return i;
      const size = field(o, t, 'size', isOffset);
      if (!size.ok) return size;
      const sha = field(o, t, 'sha256', isHex256);
      if (!sha.ok) return sha;
      return ok({ v, t, id: i.value, size: size.value, sha256: sha.value });
    }
    case 'result': {
      const i = id();
      if (!i.ok) return i;
      const good = field(o, t, 'ok', (x): x is boolean => typeof x === 'boolean');
      if (!good.ok) return good;
      return ok({ v, t, id: i.value, ok: good.value });
    }
    default:
      return err({ kind: 'unknown-type', type: t.slice(0, 32) });
  }
}

export function parseFilesMessage(text: string): Result<FilesMessage, FilesProtocolError> {
  if (text.length > MAX_CONTROL_CHARS) return err({ kind: 'too-large', size: text.length });
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return err({ kind: 'not-json' });
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return err({ kind: 'not-json' });
  const o = value as Fields;
  if (o.v !== FILES_PROTOCOL_VERSION) return err({ kind: 'bad-version' });
  if (typeof o.t !== 'string') return err({ kind: 'bad-field', type: '?', field: 't' });
  return parseFields(o.t, o);
}

/** Distributes over the union, so a message can be written without its version. */
type Unversioned<M> = M extends FilesMessage ? Omit<M, 'v'> : never;

export function encodeFilesMessage(message: Unversioned<FilesMessage>): string {
  return JSON.stringify({ v: FILES_PROTOCOL_VERSION, ...message });
}

// ---- chunks ----

export interface Chunk {
  readonly n: number;
  readonly offset: number;
  /** A view into the received message: copy it to keep it past the next chunk. */
  readonly payload: Uint8Array;
}

export type FrameError =
  | { readonly kind: 'short' }
  | { readonly kind: 'bad-magic' }
  | { readonly kind: 'bad-version' }
  | { readonly kind: 'bad-offset' };

/** One binary message: the 16-byte header, then the payload. */
export function encodeChunk(n: number, offset: number, payload: Uint8Array): Uint8Array<ArrayBuffer> {
  const frame = new Uint8Array(FRAME_HEADER_BYTES + payload.length);
  const view = new DataView(frame.buffer);
  view.setUint8(0, FRAME_MAGIC);
  view.setUint8(1, FILES_PROTOCOL_VERSION);
  view.setUint16(2, FRAME_HEADER_BYTES);
  view.setUint32(4, n);
  view.setUint32(8, Math.floor(offset / 0x1_0000_0000));
  view.setUint32(12, offset >>> 0);
  frame.set(payload, FRAME_HEADER_BYTES);
  return frame;
}

export function decodeChunk(data: ArrayBuffer | Uint8Array): Result<Chunk, FrameError> {
  const bytes = data instanceof Uint8Array ? data : new Uint8Array(data);
  if (bytes.length < FRAME_HEADER_BYTES) return err({ kind: 'short' });
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint8(0) !== FRAME_MAGIC) return err({ kind: 'bad-magic' });
  if (view.getUint8(1) !== FILES_PROTOCOL_VERSION) return err({ kind: 'bad-version' });
  const headerLength = view.getUint16(2);
  if (headerLength < FRAME_HEADER_BYTES || headerLength > bytes.length) return err({ kind: 'short' });
  const offset = view.getUint32(8) * 0x1_0000_0000 + view.getUint32(12);
  if (!Number.isSafeInteger(offset)) return err({ kind: 'bad-offset' });
  return ok({ n: view.getUint32(4), offset, payload: bytes.subarray(headerLength) });
}
