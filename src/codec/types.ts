// Public types of the codec. Pure data: no DOM, no I/O.

export type Result<T, E> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly error: E };

export const ok = <T>(value: T): Result<T, never> => ({ ok: true, value });
export const err = <E>(error: E): Result<never, E> => ({ ok: false, error });

export type SignalType = 'offer' | 'answer';

/** What RTCPeerConnection produces and consumes (RTCSessionDescriptionInit, narrowed). */
export interface Description {
  readonly type: SignalType;
  readonly sdp: string;
}

/** How a Pigeon code carries its SDP: the compact bootstrap, or a lossless compressed fallback. */
export type Form = 'compact' | 'deflate' | 'lz';

/** Which format an input was recognised as, so the app can reply in the same format. */
export type InputFormat = 'pigeon' | 'sdp' | 'json' | 'base64-json' | 'lz-string';

export interface Code {
  /** For chats and email: URL-safe, no characters chat apps mangle. */
  readonly text: string;
  /** For the QR symbol: QR alphanumeric-mode characters only (smallest symbol). */
  readonly qr: string;
  readonly form: Form;
  readonly bytes: Uint8Array;
  /** Whether the code carries the safety-words field (only the compact form does). */
  readonly sas: boolean;
  /**
   * Whether the code names the device's own network addresses (candidate.ts `namesLocalAddresses`): browsers
   * show them once the page was allowed the camera or microphone, and whoever reads the code learns them.
   */
  readonly localAddresses: boolean;
}

export interface Decoded extends Description {
  readonly format: InputFormat;
  /** Present for Pigeon codes. */
  readonly form?: Form;
  /** A Pigeon offer that resumes an existing session on a new connection (only ever true when present). */
  readonly resume?: true;
  /** Pigeon codes of version 2 in the compact form: an offer's commitment, an answer's secret (8 bytes). */
  readonly sas?: Uint8Array;
}

/** Every way outside input can be refused; each maps to a message a person can act on. */
export type CodecError =
  | { readonly kind: 'empty' }
  | { readonly kind: 'not-a-code' }
  | { readonly kind: 'damaged' }
  | { readonly kind: 'cut-short' }
  | { readonly kind: 'newer-version'; readonly version: number }
  | { readonly kind: 'unexpected-type'; readonly expected: SignalType; readonly got: SignalType }
  | { readonly kind: 'wrong-session' }
  | { readonly kind: 'unsupported-sdp'; readonly reason: string }
  /** Far larger than any real code (limits.ts): refused before or while decompressing. */
  | { readonly kind: 'too-large' };
