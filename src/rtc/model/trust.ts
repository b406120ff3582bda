// The session's trust vocabulary (docs/safety-words.md): the safety words' inputs and what the region shows,
// the certificates a session was made with, and whether the person confirmed the words. Types only.

/** The safety words' inputs, from the first code to connected. */
export interface SasSecrets {
  /**
   * Our own random secret: the offerer's OFFER_SECRET_LENGTH bytes, the answerer's ANSWER_SECRET_LENGTH; empty
   * when there is none (the session shows "Not verifiable").
   */
  readonly own: Uint8Array;
  /**
   * Offerer: the commitment its code carries, null until the runner has hashed it (the code waits for it).
   * Answerer: the one the offer carried (null: none, unverifiable).
   */
  readonly commit: Uint8Array | null;
  /** Offerer: the answerer's secret from its answer code (null until then, or none). */
  readonly peer: Uint8Array | null;
  /** The certificates as applied (base/sas.ts certificateOf): the offerer's and the answerer's. */
  readonly offerFp: string | null;
  readonly answerFp: string | null;
}

/** The certificates of a session's first exchange: every later connection must present the same. */
export interface Fingerprints {
  readonly local: string;
  /** The peer's certificate fingerprint(s), as `base/sas.ts` certificateOf writes them. */
  readonly remote: string;
}

/**
 * How this device knows the peer is the device its person meant. 'by-person': the person here compared the
 * safety words and said they match. (The peer saying so is not enough: a device in the middle can say anything.)
 */
export type Verified = 'by-person';

/** What a session carried on by a new connection keeps of its verification. */
export interface PriorSas {
  readonly sas: SasState;
  readonly fingerprints: Fingerprints | null;
  readonly verified: Verified | null;
}

/** What the safety-words region shows. */
export type SasState =
  /** A code without the field (fallback form, another tool, an older build): no words can be shown honestly. */
  | { readonly kind: 'unverifiable' }
  /**
   * Connected, the words not known yet: the answerer waits for the offerer's reveal (`revealed` null), then for
   * the runner's check of it against the commitment and the words' hash; the offerer for the words' hash.
   */
  | { readonly kind: 'waiting'; readonly secrets: SasSecrets; readonly revealed: Uint8Array | null }
  | {
      readonly kind: 'shown';
      /** SAS_SYMBOLS indices into the symbol list (base/safety-symbols.ts). */
      readonly symbols: readonly number[];
      /**
       * The words' whole digest: only the two devices can make it (it hashes both secrets, and the offerer's
       * is revealed only in-band), and the words show 36 of its 256 bits. Reconnect codes are tagged with it
       * (app/reconnect-tag.ts), so a code that merely names the session's public certificate is not taken.
       */
      readonly key: Uint8Array;
      /** The other device says its person found them matching (shown as such; never trusted as verification). */
      readonly remote: boolean;
    };

/** What the runner hashes for the safety words (SHA-256): the offerer's commitment, its check, the words. */
export type DigestPurpose = 'sas-commit' | 'sas-check' | 'sas-words';
