// Part of the transfer room: the allowance for a peer's new offers, a token bucket (OFFER_BURST at once, then
// one per OFFER_REFILL_MS), so a peer cannot flood the list faster than a person could read it.

/** Offers waiting for the person's answer beyond this many are declined: a peer cannot flood the list. */
export const MAX_PENDING_OFFERS = 64;
/** New offers allowed at once; beyond the bucket they are declined and the list says so. */
export const OFFER_BURST = 2 * MAX_PENDING_OFFERS;
export const OFFER_REFILL_MS = 500;

/** Takes a token for each new offer: false when the peer offers faster than the bucket refills. */
export function offerAllowance(now: () => number): () => boolean {
  let tokens = OFFER_BURST;
  let refilledAt = now();
  return () => {
    const at = now();
    const gained = Math.floor((at - refilledAt) / OFFER_REFILL_MS);
    if (gained > 0) {
      tokens = Math.min(OFFER_BURST, tokens + gained);
      refilledAt = tokens === OFFER_BURST ? at : refilledAt + gained * OFFER_REFILL_MS;
    }
    if (tokens === 0) return false;
    tokens--;
    return true;
  };
}
