// The group channel's messages ('pigeon-group', docs/groups.md) and the relay envelope. Everything here comes
// from another device: parsing never throws and bounds every size before reading further.

import {
  displayText,
  err,
  type Fields,
  field,
  isBoundedString,
  isFields,
  type JsonError,
  ok,
  parseObject,
  type Result,
  versionOf,
} from '../rtc/index.ts';
import { isPrintableAscii } from './ascii.ts';
import {
  isMemberId,
  MAX_MEMBER_NAME_CHARS,
  MAX_MEMBER_NAME_RAW_CHARS,
  MAX_MEMBERS,
  type MemberId,
} from './ids.ts';

export const GROUP_VERSION = 1;
/** The relayed body's bound: a complete data-channel offer with candidates is 1–3 K; a media offer ~7 K. */
export const MAX_BODY_CHARS = 32 * 1024;
/** Any group message, checked before JSON.parse: the envelope's body plus its fields and room to spare. */
export const MAX_GROUP_MESSAGE_CHARS = 40 * 1024;
const MAX_UNKNOWN_TYPE_CHARS = 32;

export interface Introduced {
  readonly id: MemberId;
  readonly name: string;
}

export type RefusedReason = 'group-full' | 'other';
/** A member's end: hung up (bye), went silent or its link was lost, or refused by the group. */
export type GoneReason = 'left' | 'vanished' | 'refused';
const GONE_REASONS: readonly GoneReason[] = ['left', 'vanished', 'refused'];

export type GroupMessage =
  /** size: how many devices the sender's group has, itself included. */
  | { readonly t: 'hello'; readonly id: MemberId; readonly name: string; readonly size: number }
  /** The members the sender is directly linked to. */
  | { readonly t: 'roster'; readonly members: readonly Introduced[] }
  | { readonly t: 'relay'; readonly envelope: Envelope }
  /** The sender's link to `id` ended, and why (a hint for members not linked to it yet). */
  | { readonly t: 'gone'; readonly id: MemberId; readonly reason: GoneReason }
  | { readonly t: 'full'; readonly id: MemberId }
  | { readonly t: 'refused'; readonly reason: RefusedReason }
  /** A newer version's message: tolerated, never acted on. */
  | { readonly t: 'unknown'; readonly type: string };

/** A relayed message: addressed by member id, its body opaque to the relay (printable ASCII, bounded). */
export interface Envelope {
  readonly from: MemberId;
  readonly to: MemberId;
  readonly body: string;
  /** The text as received: a relay forwards exactly this, never a re-encoding. */
  readonly raw: string;
}

export type GroupError =
  | JsonError
  | { readonly kind: 'bad-version' }
  | { readonly kind: 'unknown-type'; readonly type: string }
  | { readonly kind: 'bad-field'; readonly type: string; readonly field: string };

type Outgoing = Exclude<GroupMessage, { t: 'unknown' } | { t: 'relay' }>;

/** Encodes a message of ours (the envelope has its own encoder: `encodeEnvelope`). */
export const encodeGroup = (message: Outgoing): string => JSON.stringify({ v: GROUP_VERSION, ...message });

export type EnvelopeError = { readonly kind: 'bad-body' } | { readonly kind: 'same-ends' };

/** Our own envelope. The body must already be printable ASCII within MAX_BODY_CHARS (body.ts makes it so). */
export function encodeEnvelope(from: MemberId, to: MemberId, body: string): Result<string, EnvelopeError> {
  if (from === to) return err({ kind: 'same-ends' });
  if (body.length === 0 || body.length > MAX_BODY_CHARS || !isPrintableAscii(body))
    return err({ kind: 'bad-body' });
  return ok(JSON.stringify({ v: GROUP_VERSION, t: 'relay', from, to, body }));
}

function cleanName(value: unknown): string {
  return isBoundedString(value, MAX_MEMBER_NAME_RAW_CHARS, 0)
    ? displayText(value, MAX_MEMBER_NAME_CHARS)
    : '';
}

type Parsed = Result<GroupMessage, GroupError>;

function parseRoster(list: unknown): Introduced[] | null {
  if (!Array.isArray(list) || list.length > MAX_MEMBERS - 1) return null;
  const members: Introduced[] = [];
  for (const entry of list) {
    if (!isFields(entry)) return null;
    const id = field(entry, 'id');
    if (!isMemberId(id) || members.some((m) => m.id === id)) return null;
    members.push({ id, name: cleanName(field(entry, 'name')) });
  }
  return members;
}

function parseKnown(t: string, record: Fields, raw: string): Parsed | undefined {
  const bad = (name: string): Parsed => err({ kind: 'bad-field', type: t, field: name });
  const id = field(record, 'id');
  switch (t) {
    case 'hello': {
      const size = field(record, 'size');
      if (!isMemberId(id)) return bad('id');
      if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 1 || size > MAX_MEMBERS)
        return bad('size');
      return ok({ t, id, name: cleanName(field(record, 'name')), size });
    }
    case 'roster': {
      const members = parseRoster(field(record, 'members'));
      return members === null ? bad('members') : ok({ t, members });
    }
    case 'relay': {
      const from = field(record, 'from');
      const to = field(record, 'to');
      const body = field(record, 'body');
      if (!isMemberId(from)) return bad('from');
      if (!isMemberId(to) || to === from) return bad('to');
      if (!isBoundedString(body, MAX_BODY_CHARS) || !isPrintableAscii(body)) return bad('body');
      return ok({ t, envelope: { from, to, body, raw } });
    }
    case 'gone': {
      if (!isMemberId(id)) return bad('id');
      const reason = field(record, 'reason');
      if (typeof reason !== 'string') return bad('reason');
      // A reason from a newer version: the member is gone all the same.
      return ok({ t, id, reason: GONE_REASONS.find((r) => r === reason) ?? 'vanished' });
    }
    case 'full':
      return isMemberId(id) ? ok({ t, id }) : bad('id');
    case 'refused': {
      const reason = field(record, 'reason');
      if (typeof reason !== 'string') return bad('reason');
      return ok({ t, reason: reason === 'group-full' ? reason : 'other' });
    }
    default:
      return undefined;
  }
}

/** Whatever the group channel delivered, as a message. Never throws. */
export function parseGroup(data: unknown): Parsed {
  const object = parseObject(data, MAX_GROUP_MESSAGE_CHARS);
  if (!object.ok) return object;
  const record = object.value;
  const v = versionOf(record);
  if (v === null || v < GROUP_VERSION) return err({ kind: 'bad-version' });
  const t = field(record, 't');
  if (typeof t !== 'string') return err({ kind: 'bad-field', type: '', field: 't' });
  // parseObject checked data is a string.
  const parsed = parseKnown(t, record, data as string);
  const tolerated: GroupMessage = { t: 'unknown', type: t.slice(0, MAX_UNKNOWN_TYPE_CHARS) };
  if (parsed === undefined)
    return v > GROUP_VERSION ? ok(tolerated) : err({ kind: 'unknown-type', type: tolerated.type });
  // A newer version may change a known message's shape: tolerate it rather than act on half of it.
  if (!parsed.ok && v > GROUP_VERSION) return ok(tolerated);
  return parsed;
}
