// A Map behind the KeyValue slice the app uses of idb-keyval; values go through structuredClone as they do
// through IndexedDB. `failing` makes every call reject (no IndexedDB: Firefox private windows once, blocked storage).
import type { KeyValue } from '../../../src/app/remembered.ts';

export function memoryKeyValue(
  initial: Record<string, unknown> = {},
): KeyValue & { map: Map<string, unknown>; failing: boolean } {
  const map = new Map<string, unknown>(Object.entries(initial));
  const kv = {
    map,
    failing: false,
    check() {
      if (kv.failing) throw new Error('storage unavailable');
    },
    get: async (key: string) => {
      kv.check();
      return clone(map.get(key));
    },
    update: async (key: string, change: (old: unknown) => unknown) => {
      kv.check();
      map.set(key, clone(change(clone(map.get(key)))));
    },
    del: async (key: string) => {
      kv.check();
      map.delete(key);
    },
  };
  return kv;
}

/** Certificates stand in as plain objects; anything else is copied as IndexedDB would. */
const clone = (v: unknown): unknown => (isFakeCertificate(v) ? v : structuredClone(v));
const isFakeCertificate = (v: unknown) => typeof v === 'object' && v !== null && 'expires' in v;
