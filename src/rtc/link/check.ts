// Part of the link room: after every ICE restart, is the session really carried by the new ICE generation?
// Pure: what the selected candidate pair says (from getStats entries) and the decision "restart clean / move to
// a new connection / restart again". live.ts asks the runner for the readings; session/move.ts makes the move.
//
// Why: after an ICE restart libwebrtc keeps the old generation's remote candidates and may nominate a pair with
// them, which Firefox's old ICE stream answers until its new one is up; both sides then report 'connected'
// while one direction is dead. Repeating the same restart tends to repeat the same nomination, so a restart
// that has not come up clean by RESTART_CLEAN_MS moves the session to a fresh connection when the peer can.
//
// Probed in both browsers (Chromium 14x, Firefox 14x, inside scripts/netns-run): every local-candidate and
// remote-candidate entry carries `usernameFragment` (prflx ones too), the transport names the selected pair
// (`selectedCandidatePairId`; Firefox also flags it `selected`) and its own `iceLocalUsernameFragment`.
// A candidate without a ufrag (an older browser) is taken as no evidence either way: the ping still decides.

import { RESTART_SETTLE_MS } from '../inband/neg-model.ts';
import type { PathVerdict } from '../model/types.ts';
import { readReport, selectedPair, str } from './stats.ts';

/** A restart not up clean (current pair both ways, connected, the peer's pong over it) this long after it was exchanged is not going to be. */
export const RESTART_CLEAN_MS = 6_000;
/** From the restart's settling (RESTART_SETTLE_MS, the first look) on, the path is looked at this often. */
export const PATH_RECHECK_MS = 1_000;
/** Looks before the decision: at settling, then every PATH_RECHECK_MS up to RESTART_CLEAN_MS. */
export const PATH_CHECKS = 1 + Math.ceil((RESTART_CLEAN_MS - RESTART_SETTLE_MS) / PATH_RECHECK_MS);
/**
 * A restart (or move) that did not come up clean is followed by another, this many times in a row at most
 * (then the silence threshold and reconnect codes take over).
 */
export const MAX_RESTART_RETRIES = 3;

const UFRAG = /^a=ice-ufrag:(\S+)/m;

/** The ICE ufrag a description uses (bundled: the first one is everyone's). */
export const ufragOf = (sdp: string | null | undefined): string | null => UFRAG.exec(sdp ?? '')?.[1] ?? null;

/** What carries the connection: the selected pair's candidates against the current descriptions' ufrags. */
export function pathVerdict(
  report: Iterable<unknown>,
  localSdp: string | null | undefined,
  remoteSdp: string | null | undefined,
): PathVerdict {
  const { entries, byId } = readReport(report);
  const pair = selectedPair(entries, byId);
  if (pair === undefined) return 'none';
  const candidate = (id: unknown) => {
    const key = str(id);
    return key === null ? undefined : byId.get(key);
  };
  const transport = entries.find((e) => e.type === 'transport' && str(e.selectedCandidatePairId) === pair.id);
  const local =
    str(candidate(pair.localCandidateId)?.usernameFragment) ?? str(transport?.iceLocalUsernameFragment);
  const remote = str(candidate(pair.remoteCandidateId)?.usernameFragment);
  const stale = (seen: string | null, current: string | null) =>
    seen !== null && current !== null && seen !== current;
  return stale(local, ufragOf(localSdp)) || stale(remote, ufragOf(remoteSdp)) ? 'stale' : 'current';
}

export interface RestartCheck {
  readonly path: PathVerdict;
  /** The peer answered our ping (or chat) since the restart was exchanged. */
  readonly heard: boolean;
  readonly conn: RTCPeerConnectionState;
  /** Looks made so far, this one included. */
  readonly checks: number;
  /** Restarts or moves already made again in a row for this trouble. */
  readonly retries: number;
  /** The peer announced 'move' in hello. */
  readonly canMove: boolean;
}

/**
 * 'clean': nothing to do. 'wait': look again in PATH_RECHECK_MS. Then, once RESTART_CLEAN_MS is up: the first
 * time, 'move' when the peer can (a fresh connection has no old generation), else restart ICE again; after
 * MAX_RESTART_RETRIES, 'give-up' (silence and reconnect codes).
 */
export type RestartOutcome = 'clean' | 'wait' | 'move' | 'restart-again' | 'give-up';

export function afterRestart(check: RestartCheck): RestartOutcome {
  if (check.path === 'current' && check.heard && check.conn === 'connected') return 'clean';
  if (check.checks < PATH_CHECKS) return 'wait';
  if (check.retries >= MAX_RESTART_RETRIES) return 'give-up';
  return check.canMove && check.retries === 0 ? 'move' : 'restart-again';
}
