// Remembered devices, kept on this device (IndexedDB through a KeyValue): one list under one key, changed in
// one transaction each time (update), so two tabs never lose each other's change. What is read back is checked
// entry by entry: storage is outside input too.

import { cleanDeviceName, MAX_DEVICE_NAME_CHARS } from './device-name.ts';
import type { RememberedDevice } from './recognise.ts';

/** The slice of idb-keyval this app uses (idb.ts); node tests pass a Map-backed one. */
export interface KeyValue {
  get(key: string): Promise<unknown>;
  /** Reads and writes in one transaction. */
  update(key: string, change: (old: unknown) => unknown): Promise<void>;
  del(key: string): Promise<void>;
}

export const DEVICES_KEY = 'remembered-devices.v1';
/** More than a person pairs with; beyond it the longest unverified is dropped. */
export const MAX_REMEMBERED = 64;
/** A fingerprint list is a few hashes: anything longer did not come from this app. */
const MAX_FINGERPRINT_CHARS = 1024;

export interface RememberedStore {
  list(): Promise<readonly RememberedDevice[]>;
  /** After "They match": kept (or refreshed) under its certificate's fingerprint. */
  remember(peer: {
    readonly name: string;
    readonly fingerprint: string;
  }): Promise<readonly RememberedDevice[]>;
  rename(fingerprint: string, name: string): Promise<readonly RememberedDevice[]>;
  forget(fingerprint: string): Promise<readonly RememberedDevice[]>;
  forgetAll(): Promise<readonly RememberedDevice[]>;
}

const isName = (v: unknown): v is string => typeof v === 'string' && v.length <= MAX_DEVICE_NAME_CHARS * 4;

function entryOf(v: unknown): RememberedDevice | null {
  if (typeof v !== 'object' || v === null) return null;
  const { fingerprint, name, helloName, verifiedAt } = v as Record<string, unknown>;
  if (typeof fingerprint !== 'string' || fingerprint === '' || fingerprint.length > MAX_FINGERPRINT_CHARS)
    return null;
  if (!isName(name) || !isName(helloName)) return null;
  if (typeof verifiedAt !== 'number' || !Number.isFinite(verifiedAt)) return null;
  return { fingerprint, name, helloName, verifiedAt };
}

/** The stored list as far as it is usable: one entry per fingerprint, newest first. */
export function parseDevices(stored: unknown): RememberedDevice[] {
  if (!Array.isArray(stored)) return [];
  const seen = new Set<string>();
  const out: RememberedDevice[] = [];
  for (const v of stored) {
    const d = entryOf(v);
    if (d === null || seen.has(d.fingerprint)) continue;
    seen.add(d.fingerprint);
    out.push(d);
  }
  return out.sort((a, b) => b.verifiedAt - a.verifiedAt).slice(0, MAX_REMEMBERED);
}

export function rememberedStore(kv: KeyValue, now: () => number = Date.now): RememberedStore {
  /** One change in one transaction; resolves to the list as written. */
  async function change(
    edit: (list: RememberedDevice[]) => RememberedDevice[],
  ): Promise<readonly RememberedDevice[]> {
    let written: RememberedDevice[] = [];
    await kv.update(DEVICES_KEY, (old) => {
      written = parseDevices(edit(parseDevices(old)));
      return written;
    });
    return written;
  }

  return {
    list: async () => parseDevices(await kv.get(DEVICES_KEY)),
    remember: ({ name, fingerprint }) =>
      change((list) => {
        const before = list.find((d) => d.fingerprint === fingerprint);
        const hello = cleanDeviceName(name);
        // A name the person gave it stays; one it never renamed follows what the device calls itself now.
        const renamed = before !== undefined && before.name !== before.helloName;
        const kept = renamed ? before.name : hello;
        const entry = { fingerprint, name: kept, helloName: hello, verifiedAt: now() };
        return [entry, ...list.filter((d) => d.fingerprint !== fingerprint)];
      }),
    rename: (fingerprint, name) =>
      change((list) => {
        const clean = cleanDeviceName(name);
        return list.map((d) =>
          d.fingerprint === fingerprint ? { ...d, name: clean === '' ? d.helloName : clean } : d,
        );
      }),
    forget: (fingerprint) => change((list) => list.filter((d) => d.fingerprint !== fingerprint)),
    forgetAll: async () => {
      await kv.del(DEVICES_KEY);
      return [];
    },
  };
}
