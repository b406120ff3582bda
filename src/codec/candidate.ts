// ICE candidate attribute grammar (RFC 8839 §5.1) and the packed address forms the compact code uses.

export type CandidateType = 'host' | 'srflx' | 'prflx' | 'relay';
export type Transport = 'udp' | 'tcp-active' | 'tcp-passive' | 'tcp-so';

export const CANDIDATE_TYPES: readonly CandidateType[] = ['host', 'srflx', 'prflx', 'relay'];
export const TRANSPORTS: readonly Transport[] = ['udp', 'tcp-active', 'tcp-passive', 'tcp-so'];

/** Addresses as bytes: IPv4 (4), IPv6 (16), or an mDNS `<uuid>.local` name (the UUID's 16 bytes). */
export type Address =
  | { readonly kind: 'ipv4'; readonly bytes: Uint8Array }
  | { readonly kind: 'ipv6'; readonly bytes: Uint8Array }
  | { readonly kind: 'mdns'; readonly bytes: Uint8Array };

export interface ParsedCandidate {
  readonly foundation: string;
  readonly component: number;
  readonly transport: Transport;
  readonly priority: number;
  readonly address: string;
  readonly port: number;
  readonly type: CandidateType;
  readonly raddr: string | null;
  readonly rport: number | null;
  readonly extensions: ReadonlyMap<string, string>;
}

const TCP_TYPES: Record<string, Transport> = { active: 'tcp-active', passive: 'tcp-passive', so: 'tcp-so' };

export function parseCandidate(value: string): ParsedCandidate | null {
  const f = value.trim().split(/\s+/);
  const [foundation, component, proto, priority, address, port, typ, type] = f;
  if (typ !== 'typ' || type === undefined || address === undefined) return null;
  if (!CANDIDATE_TYPES.includes(type as CandidateType)) return null;
  const ext = new Map<string, string>();
  for (let i = 8; i + 1 < f.length; i += 2) ext.set(f[i] ?? '', f[i + 1] ?? '');
  if (f.length % 2 !== 0) return null;
  const p = proto?.toLowerCase();
  let transport: Transport | undefined;
  if (p === 'udp') transport = 'udp';
  else if (p === 'tcp') transport = TCP_TYPES[ext.get('tcptype') ?? ''];
  if (transport === undefined) return null;
  ext.delete('tcptype');
  const raddr = ext.get('raddr') ?? null;
  const rportText = ext.get('rport');
  ext.delete('raddr');
  ext.delete('rport');
  const nums = [component, priority, port, rportText ?? '0'].map((n) =>
    /^\d+$/.test(n ?? '') ? Number(n) : -1,
  );
  if (nums.some((n) => n < 0)) return null;
  return {
    foundation: foundation ?? '',
    component: nums[0] ?? 0,
    transport,
    priority: nums[1] ?? 0,
    address,
    port: nums[2] ?? 0,
    type: type as CandidateType,
    raddr,
    rport: rportText === undefined ? null : (nums[3] ?? 0),
    extensions: ext,
  };
}

export function writeCandidate(c: Omit<ParsedCandidate, 'extensions'>): string {
  const proto = c.transport === 'udp' ? 'udp' : 'tcp';
  let s = `${c.foundation} ${c.component} ${proto} ${c.priority} ${c.address} ${c.port} typ ${c.type}`;
  if (c.raddr !== null) s += ` raddr ${c.raddr} rport ${c.rport ?? 0}`;
  if (c.transport !== 'udp') s += ` tcptype ${c.transport.slice(4)}`;
  return s;
}

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;
const MDNS = /^([0-9a-f]{8})-([0-9a-f]{4})-([0-9a-f]{4})-([0-9a-f]{4})-([0-9a-f]{12})\.local$/;

export function parseAddress(text: string): Address | null {
  const v4 = IPV4.exec(text);
  if (v4) {
    const b = v4.slice(1).map(Number);
    if (b.some((x) => x > 255) || `${b.join('.')}` !== text) return null;
    return { kind: 'ipv4', bytes: Uint8Array.from(b) };
  }
  const md = MDNS.exec(text);
  if (md) return { kind: 'mdns', bytes: hexToBytes(md.slice(1).join('')) };
  const v6 = parseIpv6(text);
  return v6 && writeIpv6(v6) === text.toLowerCase() ? { kind: 'ipv6', bytes: v6 } : null;
}

export function writeAddress(a: Address): string {
  if (a.kind === 'ipv4') return Array.from(a.bytes).join('.');
  if (a.kind === 'ipv6') return writeIpv6(a.bytes);
  const h = bytesToHex(a.bytes);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}.local`;
}

export const ADDRESS_LENGTH: Record<Address['kind'], number> = { ipv4: 4, ipv6: 16, mdns: 16 };

function parseIpv6(text: string): Uint8Array | null {
  if (!/^[0-9a-fA-F:]+$/.test(text) || text.split('::').length > 2) return null;
  const [head = '', tail] = text.split('::');
  const h = head === '' ? [] : head.split(':');
  const t = tail === undefined || tail === '' ? [] : tail.split(':');
  const fill = 8 - h.length - t.length;
  if ((tail === undefined && fill !== 0) || (tail !== undefined && fill < 1)) return null;
  const groups = [...h, ...Array<string>(tail === undefined ? 0 : fill).fill('0'), ...t];
  const out = new Uint8Array(16);
  for (let i = 0; i < 8; i++) {
    const g = groups[i] ?? '';
    if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return null;
    const v = Number.parseInt(g, 16);
    out[i * 2] = v >> 8;
    out[i * 2 + 1] = v & 0xff;
  }
  return out;
}

/** RFC 5952 canonical text: lowercase, longest run (≥ 2) of zero groups compressed. */
function writeIpv6(b: Uint8Array): string {
  const g = Array.from({ length: 8 }, (_, i) => ((b[i * 2] ?? 0) << 8) | (b[i * 2 + 1] ?? 0));
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; i++) {
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j - i > bestLen) [best, bestLen] = [i, j - i];
  }
  const hex = g.map((x) => x.toString(16));
  if (best < 0) return hex.join(':');
  return `${hex.slice(0, best).join(':')}::${hex.slice(best + bestLen).join(':')}`;
}

export function hexToBytes(hex: string): Uint8Array {
  const out = new Uint8Array(hex.length >> 1);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}

export function bytesToHex(b: Uint8Array): string {
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
}

/** "No address": what a browser writes as a related address when it hides the local one. */
const UNSPECIFIED = new Set(['0.0.0.0', '::', '::0']);

/**
 * Whether a description names this device's own network addresses, not only mDNS names: a host candidate with
 * an IP address, or a server-reflexive one whose related address (raddr) is one. Browsers hide them until a page has been allowed
 * the camera or microphone, so a code made after that tells whoever reads it where the device is.
 */
export function namesLocalAddresses(sdp: string): boolean {
  for (const line of sdp.split(/\r?\n/)) {
    if (!line.startsWith('a=candidate:')) continue;
    const c = parseCandidate(line.slice('a=candidate:'.length));
    if (c === null) continue;
    // A server-reflexive candidate's related address is the host address it was mapped from (a relay's is
    // the public one the TURN server saw, which is not local).
    const own = c.type === 'host' ? c.address : c.type === 'srflx' ? c.raddr : null;
    if (own === null || UNSPECIFIED.has(own)) continue;
    const kind = parseAddress(own)?.kind;
    if (kind === 'ipv4' || kind === 'ipv6') return true;
  }
  return false;
}
