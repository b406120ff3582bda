// The in-band control protocol: JSON text messages on the 'pigeon' data channel, versioned by `v`.
// Everything that arrives here comes from the other device, so parsing never throws and bounds every size.

import { type Fields, field, isBoundedString, parseObject, versionOf } from '../base/json.ts';
import { err, ok, type Result } from '../base/result.ts';
import { parseSignal, type SignalMessage } from './signal.ts';
import { parseVerify, type VerifyMessage } from './verify.ts';

export const PROTOCOL_VERSION = 1;
/** Chat text limit in characters (Unicode code points), enforced on send and on receive. */
export const MAX_CHAT_CHARS = 4_000;
/**
 * Raw message limit, checked before JSON.parse. The largest valid message is a 4,000-character chat of lone
 * surrogates, which JSON escapes to 6 characters each (24,000) plus the envelope, so 64 Ki leaves room.
 */
export const MAX_MESSAGE_CHARS = 64 * 1024;
export const MAX_ID_CHARS = 64;
export const MAX_APP_CHARS = 64;
/** The peer's app name as shown ("Connected to {app}"), in code points. */
export const MAX_APP_DISPLAY_CHARS = 40;
/** The device's name in a hello as received, in UTF-16 units (room for 40 characters of any script). */
export const MAX_NAME_CHARS = 128;
/** The device's name as sent and as shown ("Connected to {name}"), in code points. */
export const MAX_NAME_DISPLAY_CHARS = 40;
/** Combining marks kept on one character: enough for any script, not for a pile that covers the screen. */
const MAX_MARKS = 2;
export const MAX_FEATURES = 32;
export const MAX_FEATURE_CHARS = 32;
/** How much of an unknown message type we keep for diagnostics. */
export const MAX_UNKNOWN_TYPE_CHARS = 32;
/** Each side pings this often; the peer's pong (or an ack of our chat) says it still hears us. */
export const KEEPALIVE_INTERVAL_MS = 5_000;
/**
 * A peer that answers nothing of ours for this long (no pong, no ack) is reported gone: two missed pings and some
 * slack. Its own messages do not count: with one direction down they still arrive while ours are lost. The
 * silence is counted from the last answer heard, before the peer vanished, so a vanished peer is shown gone
 * within 15 s with room for timer delays (measured at 15 s: 12.0–15.2 s after a browser was killed).
 */
export const PEER_SILENCE_MS = 12_000;
/** What this build of the protocol understands, announced in hello. */
export const FEATURES: readonly string[] = [
  'chat',
  'ack',
  'keepalive',
  'negotiate',
  'call',
  'restart',
  'move',
];
/** The feature that says a device can restart ICE; without it on both sides, no ICE restart is made. */
export const RESTART_FEATURE = 'restart';
/** The feature a peer announces when it can move to a new connection (session/move.ts). */
export const MOVE_FEATURE = 'move';

type V = typeof PROTOCOL_VERSION;

export interface HelloMessage {
  readonly v: V;
  readonly t: 'hello';
  readonly app: string;
  readonly features: readonly string[];
  /** The device's name chosen by its person (or derived from its browser); display text, absent if none. */
  readonly name?: string;
}
export interface ChatMessage {
  readonly v: V;
  readonly t: 'chat';
  readonly id: string;
  /** Plain text, never markup: the UI must render it as text. */
  readonly text: string;
  /** Sender's clock, ms since the epoch. */
  readonly ts: number;
}
export interface AckMessage {
  readonly v: V;
  readonly t: 'ack';
  readonly id: string;
}
export interface PingMessage {
  readonly v: V;
  readonly t: 'ping';
}
export interface PongMessage {
  readonly v: V;
  readonly t: 'pong';
}
/**
 * 'new-connection': this connection is being replaced by a new one that carries the session on (the peer should
 * read the code this device shows, not end the session). 'words-differ': the safety words did not match (a
 * person said so, or the offerer's reveal failed its commitment): someone may be in the middle. 'other' stands for any reason a newer peer may send
 * that we do not know.
 */
export type ByeReason = 'hangup' | 'page-closed' | 'rejected' | 'new-connection' | 'words-differ' | 'other';
export interface ByeMessage {
  readonly v: V;
  readonly t: 'bye';
  readonly reason: ByeReason;
}
/** A message from a newer protocol version that we do not understand: tolerated, never acted on. */
export interface UnknownMessage {
  readonly v: number;
  readonly t: 'unknown';
  readonly type: string;
}

export type OutgoingMessage =
  | HelloMessage
  | ChatMessage
  | AckMessage
  | PingMessage
  | PongMessage
  | ByeMessage
  | SignalMessage
  | VerifyMessage;
export type ControlMessage = OutgoingMessage | UnknownMessage;

export type ChatTextError =
  | { readonly kind: 'empty-text' }
  | { readonly kind: 'text-too-long'; readonly length: number; readonly max: number };

export type ControlError =
  | { readonly kind: 'not-text' }
  | { readonly kind: 'too-large'; readonly size: number; readonly max: number }
  | { readonly kind: 'not-json' }
  | { readonly kind: 'not-an-object' }
  | { readonly kind: 'bad-version' }
  | { readonly kind: 'unknown-type'; readonly type: string }
  | { readonly kind: 'bad-field'; readonly type: string; readonly field: string }
  | ChatTextError;

const BYE_REASONS: readonly ByeReason[] = [
  'hangup',
  'page-closed',
  'rejected',
  'new-connection',
  'words-differ',
];

/** Counts code points without allocating (pasted text can be megabytes). */
function countChars(text: string): number {
  let count = 0;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    const next = text.charCodeAt(i + 1);
    // A high surrogate followed by a low one is one character.
    if (unit >= 0xd800 && unit <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) i++;
    count++;
  }
  return count;
}

/** The send-side check, also applied to what the peer sends. */
export function validateChatText(text: string): Result<string, ChatTextError> {
  if (text.trim() === '') return err({ kind: 'empty-text' });
  const length = countChars(text);
  if (length > MAX_CHAT_CHARS) return err({ kind: 'text-too-long', length, max: MAX_CHAT_CHARS });
  return ok(text);
}

export function chatMessage(id: string, text: string, ts: number): Result<ChatMessage, ChatTextError> {
  const checked = validateChatText(text);
  if (!checked.ok) return checked;
  return ok({ v: PROTOCOL_VERSION, t: 'chat', id, text, ts });
}

export function helloMessage(
  app: string,
  features: readonly string[] = FEATURES,
  name?: string,
): HelloMessage {
  const hello: HelloMessage = { v: PROTOCOL_VERSION, t: 'hello', app: app.slice(0, MAX_APP_CHARS), features };
  // Sent as the peer will show it, so both sides agree on the name.
  const shown = name === undefined ? '' : displayText(name, MAX_NAME_DISPLAY_CHARS);
  return shown === '' ? hello : { ...hello, name: shown };
}
export const ackMessage = (id: string): AckMessage => ({ v: PROTOCOL_VERSION, t: 'ack', id });
export const PING: PingMessage = { v: PROTOCOL_VERSION, t: 'ping' };
export const PONG: PongMessage = { v: PROTOCOL_VERSION, t: 'pong' };
export const byeMessage = (reason: ByeReason): ByeMessage => ({ v: PROTOCOL_VERSION, t: 'bye', reason });

export const encodeControl = (message: OutgoingMessage): string => JSON.stringify(message);

type Parsed = Result<OutgoingMessage, ControlError>;

// Controls, format characters (bidi controls and isolates, U+061C, zero-widths, tags), default-ignorables, line
// and paragraph separators, lone surrogates: nothing of the peer's may reorder or hide what is around it.
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Cs}\p{Default_Ignorable_Code_Point}]/gu;
/** Any run of spaces, tabs and line breaks (not U+FEFF, which `\s` counts): one space. */
const SPACES = /[\p{Zs}\p{Zl}\p{Zp}\t\n\v\f\r]+/gu;
const MARK_PILE = new RegExp(`(\\p{M}{${MAX_MARKS}})\\p{M}+`, 'gu');

/** The peer's text as one short line a person can read: no invisible characters, spaces collapsed, bounded. */
export function displayText(raw: string, max: number): string {
  const clean = raw
    .replace(SPACES, ' ')
    .replace(INVISIBLE, '')
    .replace(MARK_PILE, '$1')
    .replace(/ {2,}/g, ' ')
    .trim();
  return [...clean].slice(0, max).join('').trim();
}

function parseKnown(t: string, record: Fields): Parsed | undefined {
  const bad = (name: string): Parsed => err({ kind: 'bad-field', type: t, field: name });
  switch (t) {
    case 'hello': {
      const app = field(record, 'app');
      const features = field(record, 'features');
      if (!isBoundedString(app, MAX_APP_CHARS, 0)) return bad('app');
      if (!Array.isArray(features) || features.length > MAX_FEATURES) return bad('features');
      const names: string[] = [];
      for (const name of features) {
        if (!isBoundedString(name, MAX_FEATURE_CHARS)) return bad('features');
        names.push(name);
      }
      // Shown to the person as "Connected to {app}": display text, not the peer's raw string.
      const shown = displayText(app, MAX_APP_DISPLAY_CHARS);
      const hello: HelloMessage = { v: PROTOCOL_VERSION, t: 'hello', app: shown, features: names };
      // The name is optional and only shown: one that is not a bounded string, or nothing once cleaned, is
      // left out rather than costing the hello (and with it the shared features).
      const name = field(record, 'name');
      const shownName = isBoundedString(name, MAX_NAME_CHARS)
        ? displayText(name, MAX_NAME_DISPLAY_CHARS)
        : '';
      return ok(shownName === '' ? hello : { ...hello, name: shownName });
    }
    case 'chat': {
      const id = field(record, 'id');
      const text = field(record, 'text');
      const ts = field(record, 'ts');
      if (!isBoundedString(id, MAX_ID_CHARS)) return bad('id');
      if (typeof text !== 'string') return bad('text');
      if (typeof ts !== 'number' || !Number.isSafeInteger(ts) || ts < 0) return bad('ts');
      // `+ 0` turns -0 into 0 so the value round-trips exactly.
      return chatMessage(id, text, ts + 0);
    }
    case 'ack': {
      const id = field(record, 'id');
      return isBoundedString(id, MAX_ID_CHARS) ? ok(ackMessage(id)) : bad('id');
    }
    case 'ping':
      return ok(PING);
    case 'pong':
      return ok(PONG);
    case 'bye': {
      const reason = field(record, 'reason');
      if (typeof reason !== 'string') return bad('reason');
      return ok(byeMessage(BYE_REASONS.find((known) => known === reason) ?? 'other'));
    }
    default:
      return parseVerify(t, record) ?? parseSignal(t, record);
  }
}

/** Turns whatever the data channel delivered into a message. Never throws. */
export function parseControl(data: unknown): Result<ControlMessage, ControlError> {
  const object = parseObject(data, MAX_MESSAGE_CHARS);
  if (!object.ok) return object;
  const record = object.value;
  const v = versionOf(record);
  if (v === null || v < PROTOCOL_VERSION) return err({ kind: 'bad-version' });
  const t = field(record, 't');
  if (typeof t !== 'string') return err({ kind: 'bad-field', type: '', field: 't' });
  const parsed = parseKnown(t, record);
  // A newer peer may add types or change a known one's shape: tolerate, so the connection survives.
  const tolerated: UnknownMessage = { v, t: 'unknown', type: t.slice(0, MAX_UNKNOWN_TYPE_CHARS) };
  if (parsed === undefined) {
    return v > PROTOCOL_VERSION ? ok(tolerated) : err({ kind: 'unknown-type', type: tolerated.type });
  }
  if (!parsed.ok && v > PROTOCOL_VERSION) return ok(tolerated);
  return parsed;
}
