// Remembered devices in real browsers, one Chromium and one Firefox profile as two devices. The device
// certificate: kept in IndexedDB as an RTCCertificate (structured clone), back after a reload with the same
// a=fingerprint, made anew when gone (storage cleared, as Safari does after a week unused); each browser's
// limits on `expires`, measured. Then as people use it: two devices pair and both tap "They match"; paired
// again with fresh codes, each shows the other "— verified before" with nothing to confirm; one whose
// certificate is gone comes back under its remembered name and is a warning, never known; Settings lists,
// renames and forgets.
import { describe, expect, it } from 'vitest';
import {
  AppPage,
  CODE_TIMEOUT_MS,
  CONNECT_TIMEOUT_MS,
  MESSAGE_TIMEOUT_MS,
  pairByText,
  t,
} from './harness/app.ts';
import type { BrowserKind } from './harness/browsers.ts';
import { countShown, fill, nameDevice, press, waitShown } from './harness/by-role.ts';
import {
  dropCertificate,
  lifetimeDays,
  localFingerprint,
  readStored,
  rememberedCount,
} from './harness/remember.ts';
import { wordsOf } from './harness/safety.ts';
import { chromiumAndFirefox } from './harness/suite.ts';

const s = chromiumAndFirefox();
/** What the app asks for (src/app/certificate.ts CERTIFICATE_LIFETIME_MS). */
const ASKED_DAYS = 365;
const A_NAME = 'Anna laptop';
const B_NAME = 'Ben phone';
const isolate = (name: string) => `\u2068${name}\u2069`;
const known = (name: string) => t('trust.known', { name: isolate(name) });

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
    await dropCertificate(again);
    await press(again, `← ${t('nav.back')}`);
    const fresh = await startOffer(again);
    expect(fresh).not.toBe(made);
    expect((await readStored(again)).fingerprint).toBe(fresh);
    await again.close();
  });
});

/** Both devices open again (the settings they have are kept), pair with fresh codes, and connect. */
async function pairAgain(label: string): Promise<[AppPage, AppPage]> {
  const a = await AppPage.open(s.chromium, s.server.url, `A ${label}`, { stun: null });
  const b = await AppPage.open(s.firefox, s.server.url, `B ${label}`, { stun: null });
  await pairByText(a, b);
  return [a, b];
}

describe('remembered devices', () => {
  it(
    'after "They match" on both, the next pairing shows each "— verified before"; another certificate under a remembered name warns; Settings renames and forgets',
    async () => {
      // First pairing: nothing known; both people compare and confirm.
      const a = await AppPage.open(s.chromium, s.server.url, 'A');
      const b = await AppPage.open(s.firefox, s.server.url, 'B');
      await nameDevice(a, A_NAME);
      await nameDevice(b, B_NAME);
      const first = await pairByText(a, b);
      const [wa, wb] = await Promise.all([wordsOf(a), wordsOf(b)]);
      expect(wb).toEqual(wa);
      await waitShown(a, t('safety.hint'));
      for (const [side, peer] of [
        [a, B_NAME],
        [b, A_NAME],
      ] as const)
        expect(await countShown(side, 'text', known(peer)), side.name).toBe(0);
      await press(a, t('safety.match'));
      await press(b, t('safety.match'));
      await Promise.all([waitShown(a, t('safety.verified')), waitShown(b, t('safety.verified'))]);
      // Written by each device once its person confirmed (IndexedDB, before the page goes).
      for (const side of [a, b])
        await side.poll(
          `${side.name}: the peer remembered`,
          () => rememberedCount(side),
          (n) => n === 1,
          MESSAGE_TIMEOUT_MS,
        );
      await a.close();
      await b.close();

      // Paired again with fresh codes: each knows the other, and there is nothing to confirm.
      const [a2, b2] = await pairAgain('again');
      await Promise.all([waitShown(a2, known(B_NAME)), waitShown(b2, known(A_NAME))]);
      for (const side of [a2, b2]) {
        await waitShown(side, t('safety.knownBefore'));
        expect(await countShown(side, 'button', t('safety.match')), side.name).toBe(0);
        expect(await countShown(side, 'button', t('safety.differ')), side.name).toBe(1);
      }
      await a2.close();
      await b2.close();

      // B's certificate is gone (Safari dropped its storage): B comes back under its remembered name with
      // another certificate. A warns and offers to compare; B still knows A.
      const probe = await AppPage.open(s.firefox, s.server.url, 'B dropping', { stun: null });
      await dropCertificate(probe);
      await probe.close();
      const [a3, b3] = await pairAgain('new certificate');
      await waitShown(a3, t('trust.impostor', { name: isolate(B_NAME) }));
      await waitShown(b3, known(A_NAME));
      expect(await countShown(a3, 'text', known(B_NAME))).toBe(0);
      await waitShown(a3, t('safety.hint'));
      expect(await countShown(a3, 'button', t('safety.match'))).toBe(1);
      await a3.close();
      await b3.close();

      // Settings: A renames B, then forgets it; B forgets all.
      const a4 = await AppPage.open(s.chromium, s.server.url, 'A settings', { stun: null });
      await press(a4, t('nav.settings'));
      await waitShown(a4, t('remembered.title'));
      await waitShown(a4, B_NAME);
      await press(a4, t('remembered.renameNamed', { name: B_NAME }));
      await fill(a4, t('remembered.newName', { name: B_NAME }), 'Ben');
      await press(a4, t('remembered.save'));
      await waitShown(a4, 'Ben');
      expect(await countShown(a4, 'text', B_NAME)).toBe(0);
      await press(a4, t('remembered.forgetNamed', { name: 'Ben' }));
      await waitShown(a4, t('remembered.empty'));
      expect(await rememberedCount(a4)).toBe(0);
      const b4 = await AppPage.open(s.firefox, s.server.url, 'B settings', { stun: null });
      await press(b4, t('nav.settings'));
      await waitShown(b4, A_NAME);
      await press(b4, t('remembered.forgetAll'));
      await press(b4, t('remembered.forgetAllYes'));
      await waitShown(b4, t('remembered.empty'));
      expect(await rememberedCount(b4)).toBe(0);
      for (const side of [a4, b4]) expect(await side.pageErrors(), side.name).toEqual([]);
      console.log(`first pairing: offer ${first.offer.length} chars, answer ${first.answer.length}`);
      await a4.close();
      await b4.close();
    },
    8 * CONNECT_TIMEOUT_MS,
  );
});
