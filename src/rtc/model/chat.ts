// The chat log model: what the UI lists. Pure functions over an immutable array.

/** Oldest entries are dropped past this, so a chatty (or hostile) peer cannot grow memory without bound. */
export const MAX_CHAT_LOG_ENTRIES = 2_000;

export interface LocalEntry {
  readonly from: 'me';
  readonly id: string;
  readonly text: string;
  readonly ts: number;
  /** 'pending' until the peer acknowledges it (one tick), then 'delivered' (two ticks). */
  readonly status: 'pending' | 'delivered';
}

export interface RemoteEntry {
  readonly from: 'peer';
  readonly id: string;
  readonly text: string;
  /** The sender's clock: may be skewed, so the UI should prefer receivedAt for ordering. */
  readonly ts: number;
  readonly receivedAt: number;
}

export type ChatEntry = LocalEntry | RemoteEntry;
export type ChatLog = readonly ChatEntry[];

export const EMPTY_CHAT: ChatLog = [];

function append(log: ChatLog, entry: ChatEntry): ChatLog {
  const next = [...log, entry];
  return next.length > MAX_CHAT_LOG_ENTRIES ? next.slice(next.length - MAX_CHAT_LOG_ENTRIES) : next;
}

export function addLocal(log: ChatLog, id: string, text: string, ts: number): ChatLog {
  return append(log, { from: 'me', id, text, ts, status: 'pending' });
}

/** A repeated id (the peer resending) is kept once; the log is returned unchanged. */
export function addRemote(log: ChatLog, id: string, text: string, ts: number, receivedAt: number): ChatLog {
  if (log.some((entry) => entry.from === 'peer' && entry.id === id)) return log;
  return append(log, { from: 'peer', id, text, ts, receivedAt });
}

/** Unknown or already delivered ids leave the log unchanged (same array). */
export function markDelivered(log: ChatLog, id: string): ChatLog {
  const index = log.findIndex(
    (entry) => entry.from === 'me' && entry.id === id && entry.status === 'pending',
  );
  const entry = log[index];
  if (entry === undefined || entry.from !== 'me') return log;
  const next = [...log];
  next[index] = { ...entry, status: 'delivered' };
  return next;
}
