// What a page keeps in IndexedDB for remembered devices (src/app/idb.ts: database 'pigeon', store 'device'),
// read and changed from the test the way the browser holds it: the device certificate, the list.
import type { AppPage } from './app.ts';

/** src/app/idb.ts and the keys of certificate.ts / remembered.ts. */
export const DB = {
  name: 'pigeon',
  store: 'device',
  certificate: 'certificate.v1',
  devices: 'remembered-devices.v1',
};

export interface Stored {
  readonly isCertificate: boolean;
  readonly expiresInDays: number | null;
  /** A connection made here with the certificate read back from IndexedDB: its offer's fingerprint. */
  readonly fingerprint: string | null;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** The a=fingerprint of the page's newest connection's local description (the certificate it was made with). */
export function localFingerprint(app: AppPage): Promise<string | null> {
  return app.evaluate(() => {
    const probe = (window as unknown as { __pigeonProbe?: { pcs: RTCPeerConnection[] } }).__pigeonProbe;
    const sdp = probe?.pcs.at(-1)?.localDescription?.sdp ?? '';
    return /^a=fingerprint:(.+)$/m.exec(sdp)?.[1]?.trim() ?? null;
  }, undefined);
}

type Op = 'certificate' | 'count' | 'drop-certificate';

/**
 * Runs in the page, self-contained: opens the app's store and reads the certificate (and makes an offer with
 * it), counts the remembered devices, or drops the certificate. The store not there yet reads as empty.
 */
function storeOp({ names, op, day }: { names: typeof DB; op: Op; day: number }): Promise<unknown> {
  const request = <T>(r: IDBRequest<T>) =>
    new Promise<T>((resolve, reject) => {
      r.onsuccess = () => resolve(r.result);
      r.onerror = () => reject(r.error);
    });
  const run = async () => {
    const db = await request(indexedDB.open(names.name));
    try {
      const has = db.objectStoreNames.contains(names.store);
      if (op === 'drop-certificate') {
        if (!has) return null;
        const tx = db.transaction(names.store, 'readwrite');
        tx.objectStore(names.store).delete(names.certificate);
        await new Promise((resolve, reject) => {
          tx.oncomplete = resolve;
          tx.onerror = () => reject(tx.error);
        });
        return null;
      }
      const key = op === 'count' ? names.devices : names.certificate;
      const value = has
        ? await request(db.transaction(names.store).objectStore(names.store).get(key))
        : undefined;
      if (op === 'count') return Array.isArray(value) ? value.length : 0;
      if (!(value instanceof RTCCertificate))
        return { isCertificate: false, expiresInDays: null, fingerprint: null };
      const pc = new RTCPeerConnection({ certificates: [value] });
      pc.createDataChannel('probe');
      const offer = await pc.createOffer();
      pc.close();
      const fingerprint = /^a=fingerprint:(.+)$/m.exec(offer.sdp ?? '')?.[1]?.trim() ?? null;
      return { isCertificate: true, expiresInDays: (value.expires - Date.now()) / day, fingerprint };
    } finally {
      db.close();
    }
  };
  return run();
}

/** Reads the app's stored certificate straight from IndexedDB and makes an offer with it. */
export function readStored(app: AppPage): Promise<Stored> {
  return app.evaluate(storeOp, { names: DB, op: 'certificate', day: DAY_MS }) as Promise<Stored>;
}

/** How many remembered devices the page's storage holds now. */
export function rememberedCount(app: AppPage): Promise<number> {
  return app.evaluate(storeOp, { names: DB, op: 'count', day: DAY_MS }) as Promise<number>;
}

/** Drops the device certificate, as Safari does with a site's storage after a week unused. */
export async function dropCertificate(app: AppPage): Promise<void> {
  await app.evaluate(storeOp, { names: DB, op: 'drop-certificate', day: DAY_MS });
}

/** Days a certificate lasts when asked for `days` (null: the browser's default), or the error. */
export function lifetimeDays(app: AppPage, days: number | null): Promise<number | string> {
  return app.evaluate(
    async ({ days, day }: { days: number | null; day: number }) => {
      try {
        const keygen = {
          name: 'ECDSA',
          namedCurve: 'P-256',
          ...(days === null ? {} : { expires: days * day }),
        };
        const c = await RTCPeerConnection.generateCertificate(keygen);
        return Math.round((c.expires - Date.now()) / day);
      } catch (e) {
        return String(e);
      }
    },
    { days, day: DAY_MS },
  );
}
