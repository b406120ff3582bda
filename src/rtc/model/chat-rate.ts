// How fast the peer may chat: a token bucket over the reducer's event times (no clock of its own). A person
// typing never comes near it; a hostile peer's flood is dropped past it, unacknowledged, and the person told.

/** Messages the peer may send at once after a quiet spell. */
export const CHAT_BURST = 30;
/** Then one message per this long (5 a second, sustained). */
export const CHAT_REFILL_MS = 200;
/** How long "sending too fast" stays on screen after the last dropped message. */
export const CHAT_LIMITED_NOTICE_MS = 10_000;

/** What is left of the bucket, as of `at` (the event time it was last taken from). */
export interface ChatAllowance {
  readonly tokens: number;
  readonly at: number;
}

/** One message's worth taken at `at`: the allowance after it, or null when it is spent (drop the message). */
export function takeChat(allowance: ChatAllowance | undefined, at: number): ChatAllowance | null {
  const before = allowance ?? { tokens: CHAT_BURST, at };
  const refilled = Math.min(CHAT_BURST, before.tokens + Math.max(0, at - before.at) / CHAT_REFILL_MS);
  return refilled >= 1 ? { tokens: refilled - 1, at } : null;
}
