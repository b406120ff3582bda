// The remembered devices' screens for `npm run -s screens` (scripts/screens.ts): run after a pair of its pages
// confirmed the safety words. Both pages are tabs of one Chromium, so they share one device certificate and each
// remembers the other under that one fingerprint: the next pair is "verified before"; Settings lists it; with the
// certificate dropped (as Safari may), the next pair presents another one under the remembered name: a warning.
import { AppPage, CODE_TIMEOUT_MS, MESSAGE_TIMEOUT_MS, t } from '../test/e2e/harness/app.ts';
import type { BrowserHandle } from '../test/e2e/harness/browsers.ts';
import { waitShown } from '../test/e2e/harness/by-role.ts';
import { dropCertificate, rememberedCount } from '../test/e2e/harness/remember.ts';

type Shoot = (
  app: AppPage,
  state: string,
  opts?: { readonly prepare?: () => Promise<void> },
) => Promise<void>;
type Pair = (tag: string) => Promise<{ a: AppPage; b: AppPage }>;

export async function rememberedWalk(shoot: Shoot, pair: Pair, browser: BrowserHandle, url: string) {
  const settings = await AppPage.open(browser, url, 'remembered');
  await settings.poll(
    'the pair remembered',
    () => rememberedCount(settings),
    (n) => n > 0,
    MESSAGE_TIMEOUT_MS,
  );
  const k = await pair('known');
  await waitShown(k.a, t('safety.knownBefore'), MESSAGE_TIMEOUT_MS);
  await shoot(k.a, 'safety-known');
  await k.a.close();
  await k.b.close();

  await settings.tap('settings');
  await settings.waitScreen('settings', CODE_TIMEOUT_MS);
  await waitShown(settings, t('remembered.forgetAll'));
  await shoot(settings, 'settings-remembered');
  // A language switch rebuilds the screen, which folds the question away again (and so after the last one).
  const ask = () => settings.tap('forget-all');
  await shoot(settings, 'settings-forget-all', { prepare: ask });

  await dropCertificate(settings);
  await settings.close();
  const i = await pair('impostor');
  await i.a.poll(
    'the warning',
    () => i.a.evaluate(() => document.querySelector('[role="alert"]') !== null, undefined),
    (shown) => shown,
    MESSAGE_TIMEOUT_MS,
  );
  await shoot(i.a, 'safety-impostor');
  await i.a.close();
  await i.b.close();
}
