// A window with a conversation going on (issue 14, holes 4 and 13), in real Chromium: a code for a new
// conversation arriving as a link (hashchange) asks "Replace the current conversation?" before anything ends;
// Keep leaves the chat working, Replace hangs up (the peer reads a hang-up) and joins the new offer. And a page
// framed by another site refuses to start, even with an offer in its link.
import type { Page as PlaywrightPage } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppPage, chatBothWays, pairByText, t } from './harness/app.ts';
import { type AppServer, serveApp } from './harness/app-build.ts';
import { type BrowserHandle, launchBrowser } from './harness/browsers.ts';
import { press, waitShown } from './harness/by-role.ts';
import { assertInNetns } from './harness/netns.ts';

let server: AppServer;
let one: BrowserHandle;
let two: BrowserHandle;

beforeAll(async () => {
  assertInNetns();
  server = await serveApp();
  [one, two] = await Promise.all([launchBrowser('chromium'), launchBrowser('chromium')]);
}, 300_000);

afterAll(async () => {
  for (const b of [one, two]) await b?.close().catch(() => undefined);
  await server?.close();
});

/** Opens `code` as a link in B's window, as the installed app's window or a hashchange gets it. */
const openLink = (app: AppPage, code: string) =>
  (app.page.raw as PlaywrightPage).evaluate((c) => {
    location.hash = c;
  }, code);

const prompt = (app: AppPage) =>
  (app.page.raw as PlaywrightPage).getByRole('alertdialog', { name: t('replace.question') });

describe('a live window', () => {
  it('asks before a new code replaces its conversation: Keep keeps it, Replace hangs up and joins', async () => {
    const a = await AppPage.open(one, server.url, 'A');
    const b = await AppPage.open(two, server.url, 'B');
    const c = await AppPage.open(one, server.url, 'C');
    try {
      await pairByText(a, b);
      const foreign = await c.start();

      await openLink(b, foreign);
      await prompt(b).waitFor({ state: 'visible' });
      expect((await b.snapshot()).screen).toMatch(/:connected$/);
      await press(b, t('replace.keep'));
      await prompt(b).waitFor({ state: 'hidden' });
      await chatBothWays(a, b, 'kept');

      await openLink(b, foreign);
      await prompt(b).waitFor({ state: 'visible' });
      await press(b, t('replace.replace'));
      await waitShown(a, t('closed.remote-hangup'));
      await b.waitScreen('join:answer-ready');
      for (const app of [a, b, c]) expect(await app.pageErrors(), app.name).toEqual([]);
    } finally {
      for (const app of [a, b, c]) await app.close();
    }
  });

  it('framed by another page, it shows a link to open it in its own tab and starts nothing', async () => {
    const host = await AppPage.open(one, server.url, 'host');
    const offerer = await AppPage.open(two, server.url, 'offerer');
    try {
      const offer = await offerer.start();
      const raw = host.page.raw as PlaywrightPage;
      // Another site: the same server under another host name (a blank page may not load a local address).
      const other = new URL(server.url);
      other.hostname = 'localhost';
      await raw.goto(new URL('manifest.webmanifest', other).href);
      await raw.setContent(`<iframe src="${server.url}#${offer}" width="600" height="400"></iframe>`);
      const frame = raw.frameLocator('iframe');
      await frame.getByText(t('framed.notice')).waitFor({ state: 'visible' });
      const open = frame.getByRole('link', { name: t('framed.open') });
      expect(await open.getAttribute('href')).toBe(server.url);
      expect(await open.getAttribute('target')).toBe('_blank');
      // Nothing of the app ran: no screen, no connection, the offer not joined.
      const inner = raw.frames().find((f) => f !== raw.mainFrame());
      expect(
        await inner?.evaluate(() => ({
          screen: document.querySelector('.screen') !== null,
          header: document.querySelector('header') !== null,
        })),
      ).toEqual({ screen: false, header: false });
      expect((await offerer.snapshot()).screen).toBe('start:offer-ready');
    } finally {
      await host.close();
      await offerer.close();
    }
  });
});
