// A small SDP grammar: lines are kept in order (unknown ones included), so write(parse(x)) === x for any
// well-formed SDP with CRLF line endings. Only the compact form interprets attributes.

import { err, ok, type Result } from './types.ts';

export interface SdpLine {
  readonly type: string;
  readonly value: string;
}

export interface MediaSection {
  readonly lines: readonly SdpLine[]; // the m= line first
}

export interface Sdp {
  readonly session: readonly SdpLine[];
  readonly media: readonly MediaSection[];
}

const LINE = /^([a-z])=(.*)$/;

export function parseSdp(text: string): Result<Sdp, string> {
  const raw = text.split(/\r?\n/);
  while (raw.length > 0 && raw[raw.length - 1] === '') raw.pop();
  if (raw[0] !== 'v=0') return err('does not start with v=0');
  const session: SdpLine[] = [];
  const media: { lines: SdpLine[] }[] = [];
  for (const l of raw) {
    const m = LINE.exec(l);
    if (!m) return err(`not an SDP line: ${l.slice(0, 40)}`);
    const line = { type: m[1] ?? '', value: m[2] ?? '' };
    if (line.type === 'm') media.push({ lines: [line] });
    else (media[media.length - 1]?.lines ?? session).push(line);
  }
  return ok({ session, media });
}

export function writeSdp(sdp: Sdp): string {
  const lines = [...sdp.session, ...sdp.media.flatMap((m) => m.lines)];
  return lines.map((l) => `${l.type}=${l.value}\r\n`).join('');
}

/** An attribute line `a=name` or `a=name:value`. */
export interface Attribute {
  readonly name: string;
  readonly value: string | null;
}

export function attribute(line: SdpLine): Attribute | null {
  if (line.type !== 'a') return null;
  const i = line.value.indexOf(':');
  return i < 0
    ? { name: line.value, value: null }
    : { name: line.value.slice(0, i), value: line.value.slice(i + 1) };
}

/** Every value of attribute `name` across the given lines. */
export function attributeValues(lines: readonly SdpLine[], name: string): string[] {
  const out: string[] = [];
  for (const l of lines) {
    const a = attribute(l);
    if (a?.name === name && a.value !== null) out.push(a.value);
  }
  return out;
}

/** ICE credentials and DTLS fingerprint, wherever in the SDP they stand (session or first media section). */
export function sessionIdentity(text: string): { ufrag: string; pwd: string; fingerprint: string } | null {
  const parsed = parseSdp(text);
  if (!parsed.ok) return null;
  const lines = [...parsed.value.session, ...(parsed.value.media[0]?.lines ?? [])];
  const ufrag = attributeValues(lines, 'ice-ufrag')[0];
  const pwd = attributeValues(lines, 'ice-pwd')[0];
  const fingerprint = attributeValues(lines, 'fingerprint')[0];
  if (ufrag === undefined || pwd === undefined || fingerprint === undefined) return null;
  return { ufrag, pwd, fingerprint: fingerprint.toLowerCase() };
}
