// Bounded non-trickle gathering: the whole description goes into one code, so we must wait for candidates,
// but never long. Measured: Chromium waits 39.9 s for iceGatheringState 'complete' when its STUN server is
// unreachable, so 'complete' alone is not an option.

import type { ListenerTarget } from './peer.ts';

/** No STUN/TURN configured: host candidates come almost at once; a code shows within 1.5 s. */
export const GATHER_DEADLINE_NO_SERVER_MS = 1_200;
/** A server configured: leave it time to answer, and still show a code within 3 s. */
export const GATHER_DEADLINE_WITH_SERVER_MS = 2_500;
/** Once every configured server kind has produced a candidate, this much silence ends gathering early. */
export const GATHER_QUIET_MS = 250;
/**
 * A STUN server that answers at all answers within a few hundred ms of the host candidates (its reply is one
 * round trip); one that has not by this long after the last host candidate is taken as unreachable (a LAN
 * without internet), so the code shows at once instead of at the deadline. Not applied to TURN: an allocation
 * takes more round trips, and a person who configured a relay needs it.
 */
export const GATHER_SERVER_GRACE_MS = 800;

/** The candidate type each kind of configured server produces. */
export type ServerCandidateKind = 'srflx' | 'relay';

export interface GatheringPeer extends ListenerTarget {
  readonly localDescription: { readonly sdp: string } | null;
  readonly iceGatheringState: RTCIceGatheringState;
}

export interface GatherPlan {
  readonly deadlineMs: number;
  readonly quietMs: number;
  /** One candidate of each must arrive before the quiet period may end gathering. */
  readonly required: ReadonlySet<ServerCandidateKind>;
  /** This long after the last host candidate with a required kind still missing ends gathering; null: never. */
  readonly serverGraceMs: number | null;
}

/** What to wait for, given the configuration the connection was created with. */
export function planGathering(config: RTCConfiguration | undefined): GatherPlan {
  const required = new Set<ServerCandidateKind>();
  for (const server of config?.iceServers ?? []) {
    const urls = typeof server.urls === 'string' ? [server.urls] : server.urls;
    for (const url of urls) {
      const scheme = url.slice(0, url.indexOf(':')).toLowerCase();
      if (scheme === 'stun' || scheme === 'stuns') required.add('srflx');
      if (scheme === 'turn' || scheme === 'turns') required.add('relay');
    }
  }
  // With a relay-only policy the browser surfaces no server-reflexive candidates to wait for.
  if (config?.iceTransportPolicy === 'relay') required.delete('srflx');
  const hasServer = (config?.iceServers ?? []).length > 0;
  return {
    deadlineMs: hasServer ? GATHER_DEADLINE_WITH_SERVER_MS : GATHER_DEADLINE_NO_SERVER_MS,
    quietMs: GATHER_QUIET_MS,
    required,
    serverGraceMs: required.has('srflx') && !required.has('relay') ? GATHER_SERVER_GRACE_MS : null,
  };
}

const TYP = / typ (\w+)/;

/** The candidate's type, null for the end-of-candidates marker, undefined if the event carries none. */
function candidateType(event: Event): string | null | undefined {
  if (!('candidate' in event)) return undefined;
  const candidate = event.candidate;
  if (candidate === null || typeof candidate !== 'object') return null;
  const type = 'type' in candidate && typeof candidate.type === 'string' ? candidate.type : undefined;
  const line = 'candidate' in candidate && typeof candidate.candidate === 'string' ? candidate.candidate : '';
  // An empty candidate string marks the end of a generation's candidates.
  if (line === '') return null;
  return type ?? TYP.exec(line)?.[1] ?? '';
}

/** Resolves when gathering is complete, quiet, or out of time; rejects with the signal's reason on abort. */
function gatheringEnd(pc: GatheringPeer, plan: GatherPlan, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason);
      return;
    }
    const own = new AbortController();
    const listen = { signal: own.signal };
    const seen = new Set<string>();
    let quiet: ReturnType<typeof setTimeout> | undefined;
    let grace: ReturnType<typeof setTimeout> | undefined;
    const finish = (outcome: () => void): void => {
      clearTimeout(deadline);
      clearTimeout(quiet);
      clearTimeout(grace);
      own.abort();
      outcome();
    };
    const done = (): void => finish(resolve);
    const deadline = setTimeout(done, plan.deadlineMs);
    signal.addEventListener('abort', () => finish(() => reject(signal.reason)), listen);
    pc.addEventListener(
      'icegatheringstatechange',
      () => {
        if (pc.iceGatheringState === 'complete') done();
      },
      listen,
    );
    pc.addEventListener(
      'icecandidate',
      (event) => {
        const type = candidateType(event);
        if (type === undefined) return;
        if (type === null) {
          done();
          return;
        }
        seen.add(type);
        clearTimeout(quiet);
        const allKinds = [...plan.required].every((kind) => seen.has(kind));
        if (allKinds) {
          // The servers answered: the quiet period decides from here.
          clearTimeout(grace);
          quiet = setTimeout(done, plan.quietMs);
        } else if (type === 'host' && plan.serverGraceMs !== null) {
          clearTimeout(grace);
          grace = setTimeout(done, plan.serverGraceMs);
        }
      },
      listen,
    );
  });
}

function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise((resolve, reject) => {
    const own = new AbortController();
    signal.addEventListener('abort', () => reject(signal.reason), { signal: own.signal });
    work.then(resolve, reject).finally(() => own.abort());
  });
}

/**
 * Runs `apply` (which sets the local description) and resolves with the local SDP once gathering ends
 * (see gatheringEnd). Listening starts before `apply`, so no early candidate is missed and the deadline
 * counts from the person's tap, not from when the browser finished setLocalDescription.
 */
export async function gatherLocalDescription(
  pc: GatheringPeer,
  apply: () => Promise<void>,
  plan: GatherPlan,
  signal: AbortSignal,
): Promise<string> {
  signal.throwIfAborted();
  const own = new AbortController();
  signal.addEventListener('abort', () => own.abort(signal.reason), { signal: own.signal });
  try {
    const ended = gatheringEnd(pc, plan, own.signal);
    // If apply fails first, `ended` is rejected by the abort in `finally`; nothing awaits it then.
    ended.catch(() => undefined);
    await untilAborted(apply(), own.signal);
    await ended;
    signal.throwIfAborted();
    const sdp = pc.localDescription?.sdp;
    if (sdp === undefined || sdp === '') throw new Error('no local description after gathering');
    return sdp;
  } finally {
    own.abort();
  }
}
