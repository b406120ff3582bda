// What the connection details panel shows, read out of getStats(): the selected candidate pair (host / srflx /
// relay, UDP / TCP), round-trip time, bytes each way, and the ICE, DTLS and SCTP states. Pure: takes the
// report's entries, so node tests can feed recorded ones.

export interface CandidateInfo {
  /** host, srflx, prflx or relay. */
  readonly type: string;
  /** udp or tcp (the path to the peer or, for relay, to the TURN server). */
  readonly protocol: string;
  readonly address: string | null;
  readonly port: number | null;
  /** For relay candidates: how we reach the TURN server (udp, tcp, tls). */
  readonly relayProtocol: string | null;
}

export interface ConnectionDetails {
  readonly local: CandidateInfo | null;
  readonly remote: CandidateInfo | null;
  /** Seconds, from the selected pair's consent checks; null before the first. */
  readonly rtt: number | null;
  readonly bytesSent: number;
  readonly bytesReceived: number;
  readonly ice: string;
  readonly dtls: string;
  readonly sctp: string;
}

export interface LiveStates {
  readonly ice: string;
  readonly dtls: string | null;
  readonly sctp: string | null;
}

export type Entry = Readonly<Record<string, unknown>> & { readonly id?: unknown; readonly type?: unknown };

export const str = (value: unknown): string | null => (typeof value === 'string' ? value : null);
const num = (value: unknown): number | null =>
  typeof value === 'number' && Number.isFinite(value) ? value : null;

function candidate(entry: Entry | undefined): CandidateInfo | null {
  if (entry === undefined) return null;
  return {
    type: str(entry.candidateType) ?? 'unknown',
    protocol: str(entry.protocol) ?? 'unknown',
    address: str(entry.address) ?? str(entry.ip),
    port: num(entry.port),
    relayProtocol: str(entry.relayProtocol),
  };
}

/** The pair in use: the transport's selected one (Chromium), else the one flagged selected (Firefox). */
export function selectedPair(entries: readonly Entry[], byId: ReadonlyMap<string, Entry>): Entry | undefined {
  for (const entry of entries) {
    if (entry.type !== 'transport') continue;
    const id = str(entry.selectedCandidatePairId);
    const pair = id === null ? undefined : byId.get(id);
    if (pair !== undefined) return pair;
  }
  const pairs = entries.filter((e) => e.type === 'candidate-pair');
  return (
    pairs.find((p) => p.selected === true) ??
    pairs.find((p) => p.nominated === true && p.state === 'succeeded')
  );
}

/** A report's entries, and the same by id. */
export function readReport(report: Iterable<unknown>): {
  entries: readonly Entry[];
  byId: ReadonlyMap<string, Entry>;
} {
  const entries: Entry[] = [];
  for (const value of report) {
    // RTCStatsReport iterates [id, stats] pairs; a plain list of stats works too.
    const entry = Array.isArray(value) ? value[1] : value;
    if (typeof entry === 'object' && entry !== null) entries.push(entry as Entry);
  }
  const byId = new Map<string, Entry>();
  for (const entry of entries) {
    const id = str(entry.id);
    if (id !== null) byId.set(id, entry);
  }
  return { entries, byId };
}

export function summarizeStats(report: Iterable<unknown>, states: LiveStates): ConnectionDetails {
  const { entries, byId } = readReport(report);
  const pair = selectedPair(entries, byId);
  const transport = entries.find((e) => e.type === 'transport');
  const localId = str(pair?.localCandidateId);
  const remoteId = str(pair?.remoteCandidateId);
  return {
    local: candidate(localId === null ? undefined : byId.get(localId)),
    remote: candidate(remoteId === null ? undefined : byId.get(remoteId)),
    rtt: num(pair?.currentRoundTripTime),
    bytesSent: num(pair?.bytesSent) ?? num(transport?.bytesSent) ?? 0,
    bytesReceived: num(pair?.bytesReceived) ?? num(transport?.bytesReceived) ?? 0,
    ice: states.ice,
    dtls: states.dtls ?? str(transport?.dtlsState) ?? 'unknown',
    sctp: states.sctp ?? 'unknown',
  };
}
