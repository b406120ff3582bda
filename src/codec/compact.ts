// SDP ⇄ bootstrap descriptor: the few values of a data-channel offer/answer that cannot be regenerated.
// Everything else (o= line, foundations, priorities, c= line, trickle options) is rebuilt on decode.
// Anything that would be lost and might matter makes `toBootstrap` refuse, so the lossless fallback is used.

import {
  type Address,
  type CandidateType,
  type ParsedCandidate,
  parseAddress,
  parseCandidate,
  type Transport,
  writeAddress,
  writeCandidate,
} from './candidate.ts';
import { type Attribute, attribute, parseSdp, type SdpLine, writeSdp } from './sdp.ts';
import { err, ok, type Result, type SignalType } from './types.ts';

export type Setup = 'actpass' | 'active' | 'passive';
export type FingerprintAlg = 'sha-256' | 'sha-1' | 'sha-384' | 'sha-512';
export const FINGERPRINT_ALGS: readonly FingerprintAlg[] = ['sha-256', 'sha-1', 'sha-384', 'sha-512'];
export const FINGERPRINT_LENGTH: Record<FingerprintAlg, number> = {
  'sha-1': 20,
  'sha-256': 32,
  'sha-384': 48,
  'sha-512': 64,
};

export interface BootstrapCandidate {
  readonly transport: Transport;
  readonly type: CandidateType;
  readonly address: Address;
  readonly port: number;
  /** Related address, kept only when it carries information (browsers often mask it as 0.0.0.0 0). */
  readonly related: { readonly address: Address; readonly port: number } | null;
}

export interface Bootstrap {
  readonly type: SignalType;
  readonly ufrag: string;
  readonly pwd: string;
  readonly fingerprint: { readonly alg: FingerprintAlg; readonly bytes: Uint8Array };
  readonly setup: Setup;
  readonly mid: string;
  readonly sctpPort: number;
  readonly maxMessageSize: number | null;
  readonly candidates: readonly BootstrapCandidate[];
}

export const DEFAULT_MID = '0';
export const DEFAULT_SCTP_PORT = 5000;
const DATA_MLINE = /^application \d+ UDP\/DTLS\/SCTP webrtc-datachannel$/;
const TCP_ACTIVE_PORT = 9; // RFC 6544: active TCP candidates carry the discard port
/** Session-level lines every browser adds that carry nothing the peer needs from a bootstrap. */
const IGNORED_SESSION = new Set(['extmap-allow-mixed', 'msid-semantic', 'sendrecv', 'ice-options', 'group']);
const IGNORED_MEDIA = new Set(['extmap-allow-mixed', 'sendrecv', 'ice-options', 'end-of-candidates']);
/** Candidate extensions that are meaningless in a complete (non-trickle) description. */
const DROPPABLE_EXTENSIONS = new Set(['generation', 'network-id', 'network-cost']);

export function toBootstrap(type: SignalType, sdp: string): Result<Bootstrap, string> {
  const parsed = parseSdp(sdp);
  if (!parsed.ok) return parsed;
  const { session, media } = parsed.value;
  const section = media[0];
  if (media.length !== 1 || !section) return err('not exactly one media section');
  const [mline, ...mlines] = section.lines;
  if (!mline || !DATA_MLINE.test(mline.value)) return err('not a data-channel section');
  const values = new Map<string, string[]>();
  const candidates: ParsedCandidate[] = [];
  // Returns why the lines can't be carried exactly, or null. `rebuilt` line types are regenerated on decode.
  const take = (lines: readonly SdpLine[], rebuilt: string, ignored: Set<string>): string | null => {
    for (const line of lines) {
      if (rebuilt.includes(line.type)) continue;
      const a = attribute(line);
      if (!a) return `unexpected line ${line.type}=`;
      if (a.name === 'candidate') {
        const c = a.value === null ? null : parseCandidate(a.value);
        if (!c) return 'unparsable candidate';
        candidates.push(c);
      } else if (!ignored.has(a.name)) {
        values.set(a.name, [...(values.get(a.name) ?? []), a.value ?? '']);
      } else if (!isHarmless(a)) return `attribute ${a.name} with unusual value`;
    }
    return null;
  };
  const problem = take(session, 'vost', IGNORED_SESSION) ?? take(mlines, 'c', IGNORED_MEDIA);
  if (problem) return err(problem);
  const one = (name: string): string | undefined => {
    const v = values.get(name);
    return v?.length === 1 ? v[0] : undefined;
  };
  const known = ['ice-ufrag', 'ice-pwd', 'fingerprint', 'setup', 'mid', 'sctp-port', 'max-message-size'];
  for (const name of values.keys()) if (!known.includes(name)) return err(`attribute ${name}`);
  const ufrag = one('ice-ufrag');
  const pwd = one('ice-pwd');
  const fp = parseFingerprint(one('fingerprint'));
  const setup = one('setup');
  const mid = one('mid');
  if (ufrag === undefined || pwd === undefined || !fp || mid === undefined)
    return err('missing ICE/DTLS values');
  if (setup !== 'actpass' && setup !== 'active' && setup !== 'passive') return err('setup role');
  if (values.has('sctp-port') && !/^\d+$/.test(one('sctp-port') ?? '')) return err('sctp-port');
  if (values.has('max-message-size') && !/^\d+$/.test(one('max-message-size') ?? ''))
    return err('max-message-size');
  const packed: BootstrapCandidate[] = [];
  for (const c of candidates) {
    const b = packCandidate(c, ufrag);
    if (!b) return err('candidate the compact form cannot carry exactly');
    packed.push(b);
  }
  const mms = one('max-message-size');
  return ok({
    type,
    ufrag,
    pwd,
    fingerprint: fp,
    setup,
    mid,
    sctpPort: Number(one('sctp-port') ?? DEFAULT_SCTP_PORT),
    maxMessageSize: mms === undefined ? null : Number(mms),
    candidates: packed,
  });
}

function isHarmless(a: Attribute): boolean {
  if (a.name === 'ice-options') return a.value === 'trickle';
  if (a.name === 'group') return /^BUNDLE \S+$/.test(a.value ?? '');
  return true;
}

function parseFingerprint(v: string | undefined): Bootstrap['fingerprint'] | null {
  const m = /^(\S+) ((?:[0-9A-Fa-f]{2}:)*[0-9A-Fa-f]{2})$/.exec(v ?? '');
  const alg = m?.[1]?.toLowerCase() as FingerprintAlg | undefined;
  if (!m || !alg || !FINGERPRINT_ALGS.includes(alg)) return null;
  const bytes = Uint8Array.from((m[2] ?? '').split(':'), (h) => Number.parseInt(h, 16));
  return bytes.length === FINGERPRINT_LENGTH[alg] ? { alg, bytes } : null;
}

function packCandidate(c: ParsedCandidate, ufrag: string): BootstrapCandidate | null {
  if (c.component !== 1) return null;
  for (const [k, v] of c.extensions)
    if (!DROPPABLE_EXTENSIONS.has(k) && !(k === 'ufrag' && v === ufrag)) return null;
  const address = parseAddress(c.address);
  if (!address || c.port > 0xffff) return null;
  if (c.transport === 'tcp-active' && c.port !== TCP_ACTIVE_PORT) return null;
  let related: BootstrapCandidate['related'] = null;
  if (c.raddr !== null && !(c.raddr === '0.0.0.0' && (c.rport ?? 0) === 0)) {
    const ra = parseAddress(c.raddr);
    if (!ra || (c.rport ?? 0) > 0xffff) return null;
    related = { address: ra, port: c.rport ?? 0 };
  }
  return { transport: c.transport, type: c.type, address, port: c.port, related };
}

/** RFC 8445 §5.1.2.2 type preferences, so rebuilt priorities keep the offerer's order within each type. */
const TYPE_PREFERENCE: Record<CandidateType, number> = { host: 126, prflx: 110, srflx: 100, relay: 0 };
const MAX_LOCAL_PREFERENCE = 65535;
/** TCP below UDP, as browsers rank them (RFC 6544 §4.2). */
const localPreference = (c: BootstrapCandidate): number =>
  c.transport === 'udp' ? MAX_LOCAL_PREFERENCE : MAX_LOCAL_PREFERENCE >> 1;
const COMPONENT_RTP = 1;

export function fromBootstrap(b: Bootstrap): string {
  const fp = Array.from(b.fingerprint.bytes, (x) => x.toString(16).toUpperCase().padStart(2, '0')).join(':');
  // A stable o= session id per DTLS certificate, so a later restart offer looks like the same session.
  const sessionId = BigInt(`0x${fp.replaceAll(':', '').slice(0, 15)}`).toString();
  const a = (value: string): SdpLine => ({ type: 'a', value });
  const cands = b.candidates.map((c, i) =>
    a(
      `candidate:${writeCandidate({
        foundation: String(i + 1),
        component: COMPONENT_RTP,
        transport: c.transport,
        priority:
          TYPE_PREFERENCE[c.type] * 2 ** 24 + (localPreference(c) - i) * 2 ** 8 + (256 - COMPONENT_RTP),
        address: writeAddress(c.address),
        port: c.port,
        type: c.type,
        raddr: c.type === 'host' ? null : c.related ? writeAddress(c.related.address) : '0.0.0.0',
        rport: c.type === 'host' ? null : (c.related?.port ?? 0),
      })}`,
    ),
  );
  const session: SdpLine[] = [
    { type: 'v', value: '0' },
    { type: 'o', value: `- ${sessionId} 2 IN IP4 127.0.0.1` },
    { type: 's', value: '-' },
    { type: 't', value: '0 0' },
    a(`group:BUNDLE ${b.mid}`),
  ];
  const lines: SdpLine[] = [
    { type: 'm', value: 'application 9 UDP/DTLS/SCTP webrtc-datachannel' },
    { type: 'c', value: 'IN IP4 0.0.0.0' },
    ...cands,
    a('end-of-candidates'),
    a(`ice-ufrag:${b.ufrag}`),
    a(`ice-pwd:${b.pwd}`),
    a('ice-options:trickle'),
    a(`fingerprint:${b.fingerprint.alg} ${fp}`),
    a(`setup:${b.setup}`),
    a(`mid:${b.mid}`),
    a(`sctp-port:${b.sctpPort}`),
  ];
  if (b.maxMessageSize !== null) lines.push(a(`max-message-size:${b.maxMessageSize}`));
  return writeSdp({ session, media: [{ lines }] });
}

export const TCP_ACTIVE_DISCARD_PORT = TCP_ACTIVE_PORT;
