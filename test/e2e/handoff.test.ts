// Both codes carried as links, as a phone's camera app opens them: each link opens a NEW tab. The Joiner's new
// tab simply joins. The Starter's new tab holds an answer whose offer waits in another tab of the same browser:
// it hands the answer over (app/handoff.ts), says so, and the waiting tab connects. A tab opened later with the
// same answer finds no tab waiting for it and names the mistake itself.

import { describe, expect, it } from 'vitest';
import { KEEPALIVE_INTERVAL_MS } from '../../src/rtc/index.ts';
import { AppPage, chatBothWays, POLL_MS, pairByText, sleep, t } from './harness/app.ts';
import type { BrowserKind } from './harness/browsers.ts';
import { livePc, reportingBothSides, setDeaf } from './harness/live.ts';
import { RECOVERY_TIMEOUT_MS } from './harness/outage.ts';
import { chromiumAndFirefox } from './harness/suite.ts';

const suite = chromiumAndFirefox();
const PAIRS: readonly (readonly [BrowserKind, BrowserKind])[] = [
  ['chromium', 'firefox'],
  ['firefox', 'chromium'],
];

describe('a code opened as a link in a new tab goes to the tab waiting for it', () => {
  for (const [starter, joiner] of PAIRS) {
    it(`${starter} starts, ${joiner} joins from the link; ${starter} opens the answer's link in a new tab`, async () => {
      const url = suite.server.url;
      const a = await AppPage.open(suite[starter], url, `A (${starter})`);
      const pages: AppPage[] = [a];
      try {
        const offer = await a.start();
        expect(await a.codeLink()).toBe(`${url}#${offer}`);
        const b = await AppPage.open(suite[joiner], url, `B (${joiner})`, { hash: `#${offer}` });
        pages.push(b);
        const answered = await b.waitFor(
          'the answer code',
          (s) => s.screen === 'join:answer-ready' && (s.code ?? '') !== '',
        );
        const answer = answered.code ?? '';
        expect(await b.codeLink()).toBe(`${url}#${answer}`);

        const opened = await AppPage.open(suite[starter], url, `A's new tab (${starter})`, {
          hash: `#${answer}`,
        });
        pages.push(opened);
        const handed = await opened.waitScreen('handed-off');
        expect(handed.url).toBe(url);
        await Promise.all([a.waitConnected(), b.waitConnected()]);
        // The new tab stayed out of it: no connection of its own.
        expect(await opened.peerConnections()).toEqual([]);
        await a.front();
        await chatBothWays(a, b, 'after the links');

        // Now nothing waits for that answer: a tab opened with it handles it itself and says what it is.
        const late = await AppPage.open(suite[starter], url, `A's late tab (${starter})`, {
          hash: `#${answer}`,
        });
        pages.push(late);
        const refused = await late.waitFor('the mistake named', (s) => (s.inputError ?? '') !== '');
        expect(refused.inputError).toBe(t('error.expected-offer'));
        expect(refused.screen).toBe('join:idle');
        expect((await a.snapshot()).screen).toBe('start:connected');
        for (const page of pages) expect(await page.pageErrors(), page.name).toEqual([]);
      } finally {
        for (const page of pages) await page.close();
      }
    });
  }

  it("one direction down: both say so (Chromium hears Firefox, but gets no answers); Chromium takes Firefox's restart code from a link in a new tab; the same connection restarts", async () => {
    const url = suite.server.url;
    const a = await AppPage.open(suite.chromium, url, 'A (chromium)');
    const b = await AppPage.open(suite.firefox, url, 'B (firefox)');
    const pages: AppPage[] = [a, b];
    try {
      await pairByText(a, b);
      await chatBothWays(a, b, 'before');
      const before = await livePc(a);
      await setDeaf(b, true);
      await Promise.all([
        b.waitScreen(':closed', RECOVERY_TIMEOUT_MS),
        a.waitScreen(':closed', RECOVERY_TIMEOUT_MS),
      ]);
      await b.tap('make-reconnect');
      const restart = await b.waitFor('the restart code', (s) => (s.code ?? '') !== '');
      const opened = await AppPage.open(suite.chromium, url, "A's new tab", { hash: `#${restart.code}` });
      pages.push(opened);
      await opened.waitScreen('handed-off');
      await reportingBothSides([a, b], async () => {
        const answer = await a.waitFor('our answer', (s) => (s.code ?? '') !== '');
        // B's pings keep reaching A: A's answer stays until B answers a ping of A's.
        await sleep(KEEPALIVE_INTERVAL_MS + POLL_MS);
        expect(await a.snapshot()).toMatchObject({ screen: 'start:closed', code: answer.code });
        await b.enterCode(answer.code ?? '');
        // The restart brings the lost direction back (here: the test stops dropping B's messages).
        await setDeaf(b, false);
        await Promise.all([a.waitConnected(RECOVERY_TIMEOUT_MS), b.waitConnected(RECOVERY_TIMEOUT_MS)]);
      });
      // The same connection, restarted: new credentials, no second connection; the answer leaves the screen.
      expect((await livePc(a)).localUfrag).not.toBe(before.localUfrag);
      expect(await a.peerConnections()).toHaveLength(1);
      expect((await a.snapshot()).code).toBeNull();
      await chatBothWays(a, b, 'after');
      for (const page of pages) expect(await page.pageErrors(), page.name).toEqual([]);
    } finally {
      for (const page of pages) await page.close();
    }
  }, 180_000);
});
