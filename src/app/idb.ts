// The one place that opens IndexedDB (lazy: loaded with device-store.ts, never in the first load).

import { createStore, del, get, update } from 'idb-keyval';
import type { KeyValue } from './remembered.ts';

const DB_NAME = 'pigeon';
const STORE_NAME = 'device';

export function idbKeyValue(): KeyValue {
  const store = createStore(DB_NAME, STORE_NAME);
  return {
    get: (key) => get(key, store),
    update: (key, change) => update(key, change, store),
    del: (key) => del(key, store),
  };
}
