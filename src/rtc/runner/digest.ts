// The safety words' hashing (session/sas.ts decides what): SHA-256 by WebCrypto, which both browsers have in a
// secure context and Node ≥ 20 has everywhere, so no hash library rides in the first load. Part of the runner room.

import type { Command, SessionEvent } from '../model/types.ts';

type DigestCommand = Extract<Command, { type: 'digest' }>;

/** Hashes and reports; where WebCrypto is missing (a plain-http page) the digest is null (no words then). */
export async function runDigest(command: DigestCommand, emit: (event: SessionEvent) => void): Promise<void> {
  const { purpose, data } = command;
  let digest: Uint8Array | null = null;
  try {
    const subtle = globalThis.crypto?.subtle;
    // A copy: the command's bytes stay the reducer's, and subtle wants an ArrayBuffer-backed view.
    if (subtle !== undefined) digest = new Uint8Array(await subtle.digest('SHA-256', Uint8Array.from(data)));
  } catch {
    digest = null;
  }
  emit({ type: 'digested', purpose, data, digest });
}
