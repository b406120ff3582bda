// Sample payloads shaped like Pigeon's: a ~114-character alphanumeric code, optionally behind a URL.
import { seededRandom } from './synth';

/** QR alphanumeric characters minus space and %, which a URL fragment would need escaped. */
const CODE_ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ$*+-./:';

/** Pigeon's QR code length for a typical compact offer. */
export const SAMPLE_CODE_LENGTH = 114;

/** A 40-character https prefix, as a link to the app with the code in the fragment. */
export const SAMPLE_PREFIX = 'https://pigeon.example.org/app/pair/v1/#';

export function sampleCode(seed: number, length: number = SAMPLE_CODE_LENGTH): string {
  const random = seededRandom(seed);
  let code = '';
  for (let i = 0; i < length; i++) code += CODE_ALPHABET[Math.floor(random() * CODE_ALPHABET.length)] ?? '0';
  return code;
}
