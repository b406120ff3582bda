// Remembered devices in real browsers. The device certificate: kept in IndexedDB as an RTCCertificate
// (structured clone), back after a reload, and the connection made with it shows the same a=fingerprint; gone
// (storage cleared, as Safari does after a week unused), a new one is made. And each browser's limits on
// `expires`, measured.
import { describe, expect, it } from 'vitest';
import { AppPage, CODE_TIMEOUT_MS, t } from './harness/app.ts';
import type { BrowserKind } from './harness/browsers.ts';
import { press, waitShown } from './harness/by-role.ts';
import { chromiumAndFirefox } from './harness/suite.ts';

const s = chromiumAndFirefox();
const DAY_MS = 24 * 60 * 60 * 1000;
/** What the app asks for (src/app/certificate.ts CERTIFICATE_LIFETIME_MS). */
const ASKED_DAYS = 365;

/** The a=fingerprint of the page's newest connection's local description (the certificate it was made with). */
function localFingerprint(app: AppPage): Promise<string | null> {
  return app.evaluate(() => {
    const probe = (window as unknown as { __pigeonProbe?: { pcs: RTCPeerConnection[] } }).__pigeonProbe;
    const sdp = probe?.pcs.at(-1)?.localDescription?.sdp ?? '';
    return /^a=fingerprint:(.+)$/m.exec(sdp)?.[1]?.trim() ?? null;
  }, undefined);
}

interface Stored {
  readonly isCertificate: boolean;
  readonly expiresInDays: number | null;
  /** A connection made here with the certificate read back from IndexedDB: its offer's fingerprint. */
  readonly fingerprint: string | null;
}

/** Reads the app's stored certificate straight from IndexedDB and makes an offer with it. */
function readStored(app: AppPage): Promise<Stored> {
  return app.evaluate(async (day: number) => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const open = indexedDB.open('pigeon');
      open.onsuccess = () => resolve(open.result);
      open.onerror = () => reject(open.error);
    });
    const value = await new Promise<unknown>((resolve, reject) => {
      const get = db.transaction('device').objectStore('device').get('certificate.v1');
      get.onsuccess = () => resolve(get.result);
      get.onerror = () => reject(get.error);
    });
    db.close();
    if (!(value instanceof RTCCertificate))
      return { isCertificate: false, expiresInDays: null, fingerprint: null };
    const pc = new RTCPeerConnection({ certificates: [value] });
    pc.createDataChannel('probe');
    const offer = await pc.createOffer();
    pc.close();
    const fingerprint = /^a=fingerprint:(.+)$/m.exec(offer.sdp ?? '')?.[1]?.trim() ?? null;
    return { isCertificate: true, expiresInDays: (value.expires - Date.now()) / day, fingerprint };
  }, DAY_MS);
}

/** Days a certificate lasts when asked for `days` (null: the browser's default). */
function lifetimeDays(app: AppPage, days: number | null): Promise<number | string> {
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

/** Start as a person does; returns the fingerprint of the offer's connection. */
async function startOffer(app: AppPage): Promise<string> {
  await press(app, t('home.start'));
  await waitShown(app, t('state.offerReady'), CODE_TIMEOUT_MS);
  const fp = await localFingerprint(app);
  if (fp === null) throw new Error(`${app.name}: the offer has no a=fingerprint`);
  return fp;
}

describe.each(['chromium', 'firefox'] as const)('the device certificate in %s', (kind: BrowserKind) => {
  it('is kept in IndexedDB as an RTCCertificate, comes back after a reload with the same fingerprint, and is made anew when gone', async () => {
    const browser = kind === 'chromium' ? s.chromium : s.firefox;
    const first = await AppPage.open(browser, s.server.url, `${kind}-first`);
    const made = await startOffer(first);
    const stored = await readStored(first);
    expect(stored.isCertificate).toBe(true);
    expect(stored.fingerprint).toBe(made);
    await first.close();

    // A new page of the same browser profile: the certificate read back from IndexedDB is the one used.
    const again = await AppPage.open(browser, s.server.url, `${kind}-again`);
    expect(await startOffer(again)).toBe(made);
    expect((await readStored(again)).fingerprint).toBe(made);

    // Each browser's limits, measured: the default, what the app asks for, and more than the spec allows.
    const limits = {
      defaultDays: await lifetimeDays(again, null),
      askedYear: await lifetimeDays(again, ASKED_DAYS),
      asked400: await lifetimeDays(again, 400),
      storedDays: Math.round(stored.expiresInDays ?? 0),
    };
    console.log(`${kind} certificate lifetimes (days): ${JSON.stringify(limits)}`);
    // Measured in both (Chromium, Firefox ESR): 30 by default, a year when asked, more clamped to a year.
    expect(limits).toEqual({
      defaultDays: 30,
      askedYear: ASKED_DAYS,
      asked400: ASKED_DAYS,
      storedDays: ASKED_DAYS,
    });

    // Storage cleared (Safari after a week unused): the next session makes and keeps a new certificate.
    await again.evaluate(
      () =>
        new Promise<void>((resolve, reject) => {
          const open = indexedDB.open('pigeon');
          open.onsuccess = () => {
            const tx = open.result.transaction('device', 'readwrite');
            tx.objectStore('device').delete('certificate.v1');
            tx.oncomplete = () => {
              open.result.close();
              resolve();
            };
            tx.onerror = () => reject(tx.error);
          };
          open.onerror = () => reject(open.error);
        }),
      undefined,
    );
    await press(again, `← ${t('nav.back')}`);
    const fresh = await startOffer(again);
    expect(fresh).not.toBe(made);
    expect((await readStored(again)).fingerprint).toBe(fresh);
    await again.close();
  });
});
