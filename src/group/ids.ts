// Room group/: pure (no DOM, no RTC): member ids, the group channel's messages, the relay envelope, the roster.
//
// Member ids name devices for routing inside a group; they prove nothing (docs/groups.md).

/** 16 lowercase hex characters (8 random bytes), so string order is numeric order. */
export type MemberId = string & { readonly memberId: unique symbol };

export const MEMBER_ID_BYTES = 8;
export const MEMBER_ID_CHARS = MEMBER_ID_BYTES * 2;
/** Up to 4 devices: a full mesh of 6 links. */
export const MAX_MEMBERS = 4;
/** Announced in the session's hello by a device that takes part in groups (opens 'pigeon-group'). */
export const GROUP_FEATURE = 'group';
/** Members' names as shown, in code points (as a pair's hello). */
export const MAX_MEMBER_NAME_CHARS = 40;
/** A name as received, in UTF-16 units (room for 40 characters of any script). */
export const MAX_MEMBER_NAME_RAW_CHARS = 128;

const MEMBER_ID = /^[0-9a-f]{16}$/;

export const isMemberId = (value: unknown): value is MemberId =>
  typeof value === 'string' && MEMBER_ID.test(value);

/** The member id for 8 random bytes (the app passes crypto.getRandomValues' output). */
export function memberIdFrom(bytes: Uint8Array): MemberId | null {
  if (bytes.length !== MEMBER_ID_BYTES) return null;
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  return isMemberId(hex) ? hex : null;
}

/** Of the two ends of a link made in-band, the smaller id offers: both compute the same without talking. */
export const offersTo = (self: MemberId, peer: MemberId): boolean => self < peer;
