// Remote ICE candidates as a hostile peer may send them in-band. Each one makes this browser send checks to the
// address it names, so only a well-formed line (RFC 8839 §5.1) naming an address a peer could really have is
// handed to addIceCandidate: no DNS name (the lookup itself would tell the peer's server about us), no
// unspecified, loopback (our own services), multicast or broadcast address, no unknown type or transport.

/** Remote candidates taken per ICE generation (between restarts): a browser gathers a handful per interface. */
export const MAX_REMOTE_CANDIDATES = 64;

const TYPES: ReadonlySet<string> = new Set(['host', 'srflx', 'prflx', 'relay']);
const TRANSPORTS: ReadonlySet<string> = new Set(['udp', 'tcp']);
const FOUNDATION = /^[A-Za-z0-9+/]{1,32}$/;
const DIGITS = /^\d{1,10}$/;
/** An mDNS name, as browsers hide host addresses behind (RFC 8828 uses a UUID; any .local label is allowed). */
const MDNS = /^[A-Za-z0-9-]{1,63}\.local$/i;
const MAX_PRIORITY = 2 ** 32 - 1;
const MAX_PORT = 65_535;
const MAX_COMPONENT = 256;

const inRange = (text: string, min: number, max: number): boolean => {
  if (!DIGITS.test(text)) return false;
  const n = Number(text);
  return n >= min && n <= max;
};

function ipv4Ok(address: string): boolean | null {
  const parts = address.split('.');
  if (parts.length !== 4 || !parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255)) return null;
  const first = Number(parts[0]);
  // 0/8 unspecified, 127/8 loopback, 224/4 multicast, 240/4 reserved (and broadcast).
  return first !== 0 && first !== 127 && first < 224;
}

function ipv6Ok(address: string): boolean | null {
  if (!/^[0-9A-Fa-f:.]+$/.test(address) || !address.includes(':')) return null;
  const halves = address.split('::');
  if (halves.length > 2) return null;
  const groups = halves.flatMap((h) => (h === '' ? [] : h.split(':')));
  if (!groups.every((g) => /^[0-9A-Fa-f]{1,4}$/.test(g) || ipv4Ok(g) !== null)) return null;
  if (halves.length === 1 ? groups.length !== 8 : groups.length > 7) return null;
  const lower = address.toLowerCase();
  // Unspecified, loopback, multicast.
  return lower !== '::' && lower !== '::1' && !lower.startsWith('ff');
}

const addressOk = (address: string): boolean => {
  if (MDNS.test(address)) return true;
  return ipv4Ok(address) ?? ipv6Ok(address) ?? false;
};

/** Why a remote candidate line is refused, or null when it may be added ('' ends the candidates). */
export function candidateProblem(line: string): string | null {
  if (line === '') return null;
  const fields = line.replace(/^a=/, '').split(' ');
  const [head, component, transport, priority, address, port, typ, type] = fields;
  if (head === undefined || !head.startsWith('candidate:') || !FOUNDATION.test(head.slice(10)))
    return 'foundation';
  if (component === undefined || !inRange(component, 1, MAX_COMPONENT)) return 'component';
  if (transport === undefined || !TRANSPORTS.has(transport.toLowerCase())) return 'transport';
  if (priority === undefined || !inRange(priority, 1, MAX_PRIORITY)) return 'priority';
  if (address === undefined || !addressOk(address)) return 'address';
  if (port === undefined || !inRange(port, 0, MAX_PORT)) return 'port';
  if (typ !== 'typ' || type === undefined || !TYPES.has(type)) return 'type';
  return null;
}
