// Bootstrap descriptor ⇄ bytes. Layout (version 1), after the frame header:
//   flags: setup(2) credentials-profile(2) fingerprint-alg(2) extras(2)
//   credentials (packed by alphabet), fingerprint bytes, [extras], then candidates up to the end:
//   candidate header: address-kind(2) type(2) transport(2) has-related(1) tcp-twin(1), address, port, [related]
// A UDP host candidate's tcp-twin bit stands for an active TCP host candidate on the same address right
// after it (port 9 by rule), which browsers list for every interface: it costs nothing then.

import { ByteReader, ByteWriter, packChars, packedLength, unpackChars } from './binary.ts';
import { ADDRESS_LENGTH, type Address, CANDIDATE_TYPES, TRANSPORTS } from './candidate.ts';
import {
  type Bootstrap,
  type BootstrapCandidate,
  DEFAULT_MID,
  DEFAULT_SCTP_PORT,
  FINGERPRINT_ALGS,
  FINGERPRINT_LENGTH,
  type Setup,
  TCP_ACTIVE_DISCARD_PORT,
} from './compact.ts';
import type { SignalType } from './types.ts';

const SETUPS: readonly Setup[] = ['actpass', 'active', 'passive'];
const ICE_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'; // RFC 8839 ice-char
const HEX = '0123456789abcdef';
const ICE_BITS = 6;
const HEX_BITS = 4;

/** Credential shapes browsers use, so lengths need not be sent: Chromium 4+24 ICE chars, Firefox 8+32 hex. */
const PROFILES = [
  { ufrag: 4, pwd: 24, alphabet: ICE_CHARS, bits: ICE_BITS },
  { ufrag: 8, pwd: 32, alphabet: HEX, bits: HEX_BITS },
] as const;
const PROFILE_GENERIC = 2;

/** max-message-size values browsers send; anything else, or a non-default mid/sctp-port, goes in extras. */
const CHROMIUM_MAX_MESSAGE = 262144;
const FIREFOX_MAX_MESSAGE = 1073741823;
const EXTRAS = { chromium: 0, firefox: 1, absent: 2, explicit: 3 } as const;
const NO_MAX_MESSAGE = 0xffffffff;

const ADDRESS_KINDS: readonly Address['kind'][] = ['ipv4', 'ipv6', 'mdns'];
const SAME_ADDRESS = 3;

export function writeBootstrap(b: Bootstrap): Uint8Array {
  const w = new ByteWriter();
  const profile = PROFILES.findIndex((p) => fits(b.ufrag, p) && fits(b.pwd, p, 'pwd'));
  const defaults = b.mid === DEFAULT_MID && b.sctpPort === DEFAULT_SCTP_PORT;
  let extras: number = EXTRAS.explicit;
  if (defaults && b.maxMessageSize === CHROMIUM_MAX_MESSAGE) extras = EXTRAS.chromium;
  else if (defaults && b.maxMessageSize === FIREFOX_MAX_MESSAGE) extras = EXTRAS.firefox;
  else if (defaults && b.maxMessageSize === null) extras = EXTRAS.absent;
  const prof = profile < 0 ? PROFILE_GENERIC : profile;
  w.u8(
    (SETUPS.indexOf(b.setup) << 6) |
      (prof << 4) |
      (FINGERPRINT_ALGS.indexOf(b.fingerprint.alg) << 2) |
      extras,
  );
  const p = PROFILES[profile];
  if (p) w.bytes(packChars(b.ufrag + b.pwd, p.alphabet, p.bits) ?? []);
  else
    w.u8(b.ufrag.length)
      .u8(b.pwd.length)
      .bytes(packChars(b.ufrag + b.pwd, ICE_CHARS, ICE_BITS) ?? []);
  w.bytes(b.fingerprint.bytes);
  if (extras === EXTRAS.explicit) {
    const mid = new TextEncoder().encode(b.mid);
    w.u32(b.maxMessageSize ?? NO_MAX_MESSAGE)
      .u16(b.sctpPort)
      .u8(mid.length)
      .bytes(mid);
  }
  let prev: BootstrapCandidate | undefined;
  const twins = pairTwins(b.candidates);
  for (const [i, c] of b.candidates.entries()) {
    if (twins.absorbed.has(i)) continue;
    const same = prev !== undefined && sameAddress(prev.address, c.address);
    const kind = same ? SAME_ADDRESS : ADDRESS_KINDS.indexOf(c.address.kind);
    const t = TRANSPORTS.indexOf(c.transport);
    const twin = twins.hosts.has(i) ? 1 : 0;
    w.u8((kind << 6) | (CANDIDATE_TYPES.indexOf(c.type) << 4) | (t << 2) | (c.related ? 2 : 0) | twin);
    if (!same) w.bytes(c.address.bytes);
    if (c.transport !== 'tcp-active') w.u16(c.port);
    if (c.related)
      w.u8(ADDRESS_KINDS.indexOf(c.related.address.kind)).bytes(c.related.address.bytes).u16(c.related.port);
    prev = c;
  }
  return w.finish();
}

/** Whether a string can be carried by the compact form at all (the generic profile takes any ICE chars). */
export function carriable(b: Bootstrap): boolean {
  const ice = (s: string) => s.length > 0 && s.length < 256 && [...s].every((ch) => ICE_CHARS.includes(ch));
  const mid = new TextEncoder().encode(b.mid).length;
  return (
    ice(b.ufrag) &&
    ice(b.pwd) &&
    mid < 256 &&
    b.sctpPort <= 0xffff &&
    (b.maxMessageSize ?? 0) < NO_MAX_MESSAGE
  );
}

export type LayoutError = 'cut-short' | 'malformed';

export function readBootstrap(type: SignalType, body: Uint8Array): Bootstrap | LayoutError {
  const r = new ByteReader(body);
  const flags = r.u8();
  const setup = SETUPS[flags >> 6];
  const prof = (flags >> 4) & 3;
  const alg = FINGERPRINT_ALGS[(flags >> 2) & 3];
  const extras = flags & 3;
  if (!setup || !alg || prof > PROFILE_GENERIC) return 'malformed';
  const p = PROFILES[prof] ?? { ufrag: r.u8(), pwd: r.u8(), alphabet: ICE_CHARS, bits: ICE_BITS };
  const creds = unpackChars(
    r.bytes(packedLength(p.ufrag + p.pwd, p.bits)),
    p.ufrag + p.pwd,
    p.alphabet,
    p.bits,
  );
  const fingerprint = { alg, bytes: r.bytes(FINGERPRINT_LENGTH[alg]) };
  let maxMessageSize: number | null = extras === EXTRAS.absent ? null : CHROMIUM_MAX_MESSAGE;
  if (extras === EXTRAS.firefox) maxMessageSize = FIREFOX_MAX_MESSAGE;
  let sctpPort = DEFAULT_SCTP_PORT;
  let mid = DEFAULT_MID;
  if (extras === EXTRAS.explicit) {
    const mms = r.u32();
    maxMessageSize = mms === NO_MAX_MESSAGE ? null : mms;
    sctpPort = r.u16();
    mid = new TextDecoder().decode(r.bytes(r.u8()));
  }
  const candidates: BootstrapCandidate[] = [];
  while (r.remaining > 0 && !r.short) {
    const h = r.u8();
    const kind = h >> 6;
    const cType = CANDIDATE_TYPES[(h >> 4) & 3];
    const transport = TRANSPORTS[(h >> 2) & 3];
    const prev = candidates[candidates.length - 1];
    const twin = (h & 1) === 1;
    if (!cType || !transport || (kind === SAME_ADDRESS && !prev)) return 'malformed';
    if (twin && !(cType === 'host' && transport === 'udp')) return 'malformed';
    const address = kind === SAME_ADDRESS && prev ? prev.address : readAddress(r, kind);
    if (!address) return 'malformed';
    const port = transport === 'tcp-active' ? TCP_ACTIVE_DISCARD_PORT : r.u16();
    let related: BootstrapCandidate['related'] = null;
    if (h & 2) {
      const ra = readAddress(r, r.u8());
      if (!ra) return 'malformed';
      related = { address: ra, port: r.u16() };
    }
    candidates.push({ transport, type: cType, address, port, related });
    if (twin) candidates.push(tcpTwin(address));
  }
  if (r.short) return 'cut-short';
  const ufrag = creds.slice(0, p.ufrag);
  return {
    type,
    ufrag,
    pwd: creds.slice(p.ufrag),
    fingerprint,
    setup,
    mid,
    sctpPort,
    maxMessageSize,
    candidates,
  };
}

const tcpTwin = (address: Address): BootstrapCandidate => ({
  transport: 'tcp-active',
  type: 'host',
  address,
  port: TCP_ACTIVE_DISCARD_PORT,
  related: null,
});

/** Each active TCP host candidate is folded into the nearest earlier UDP host candidate on its address. */
function pairTwins(cands: readonly BootstrapCandidate[]): { hosts: Set<number>; absorbed: Set<number> } {
  const hosts = new Set<number>();
  const absorbed = new Set<number>();
  for (const [j, c] of cands.entries()) {
    if (c.transport !== 'tcp-active' || c.type !== 'host' || c.related) continue;
    for (let i = j - 1; i >= 0; i--) {
      const u = cands[i];
      if (u?.transport === 'udp' && u.type === 'host' && !hosts.has(i) && sameAddress(u.address, c.address)) {
        hosts.add(i);
        absorbed.add(j);
        break;
      }
    }
  }
  return { hosts, absorbed };
}

function readAddress(r: ByteReader, kind: number): Address | null {
  const k = ADDRESS_KINDS[kind];
  return k ? { kind: k, bytes: r.bytes(ADDRESS_LENGTH[k]) } : null;
}

function fits(s: string, p: (typeof PROFILES)[number], which: 'ufrag' | 'pwd' = 'ufrag'): boolean {
  return s.length === p[which] && [...s].every((ch) => p.alphabet.includes(ch));
}

function sameAddress(a: Address, b: Address): boolean {
  return a.kind === b.kind && a.bytes.every((x, i) => x === b.bytes[i]);
}
