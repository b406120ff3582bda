// The connection a session holds: a live session's, or a silent peer's kept for a reconnect code. Pure.

import type { Resume, SessionState } from './types.ts';

/** Role, peer and live state (negotiation, call, link) of the connection this session holds, or null. */
export function heldConnection(s: SessionState): Resume | null {
  if (s.kind === 'connected') return s;
  return s.kind === 'closed' ? (s.resume ?? null) : null;
}
