// Reading one JSON object from outside input: bounded before parsing, never throws, own properties only.
// Shared by the control protocol and the group channel (src/group).

import { err, ok, type Result } from './result.ts';

export type Fields = Readonly<Record<string, unknown>>;

export type JsonError =
  | { readonly kind: 'not-text' }
  | { readonly kind: 'too-large'; readonly size: number; readonly max: number }
  | { readonly kind: 'not-json' }
  | { readonly kind: 'not-an-object' };

export function parseObject(data: unknown, max: number): Result<Fields, JsonError> {
  if (typeof data !== 'string') return err({ kind: 'not-text' });
  if (data.length > max) return err({ kind: 'too-large', size: data.length, max });
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch {
    return err({ kind: 'not-json' });
  }
  return isFields(value) ? ok(value) : err({ kind: 'not-an-object' });
}

/** A JSON object (not null, not an array): its fields are read with `field`. */
export const isFields = (value: unknown): value is Fields =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** A message's protocol version `v`, when it is a whole number. */
export function versionOf(record: Fields): number | null {
  const v = field(record, 'v');
  return typeof v === 'number' && Number.isSafeInteger(v) ? v : null;
}

// A hostile "__proto__" key or a polluted prototype must not supply fields.
export const field = (record: Fields, name: string): unknown =>
  Object.hasOwn(record, name) ? record[name] : undefined;

export const isBoundedString = (value: unknown, max: number, min = 1): value is string =>
  typeof value === 'string' && value.length >= min && value.length <= max;
