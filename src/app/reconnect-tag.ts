// The tag a reconnect offer carries in its safety-words field (docs/safety-words.md, "Reconnect codes"): the
// last bytes of the session's words digest. Only the two devices hold the digest (it hashes both secrets, and
// the offerer's is revealed only in-band); the words are drawn from its first 36 bits, so its last bytes are
// never shown. A code that merely names the session's certificate (public in its earlier codes) is not taken
// for this session's. The same tag on every reconnect code of a session adds nothing an observer of one such
// code could not already replay: that code itself.

import { SAS_FIELD_LENGTH } from '../codec/frame.ts';
import { sameBytes } from '../rtc/index.ts';

const TAG_BYTES = SAS_FIELD_LENGTH.offer;

/** The tag for this session's reconnect offers, or null for a key too short to have one. */
export function reconnectTag(key: Uint8Array): Uint8Array | null {
  return key.length < 2 * TAG_BYTES ? null : key.slice(key.length - TAG_BYTES);
}

/** Does the offer's safety-words field carry this session's tag? */
export function tagged(key: Uint8Array, field: Uint8Array | undefined): boolean {
  const want = reconnectTag(key);
  return want !== null && field !== undefined && sameBytes(want, field);
}
