// ICE restarts in real Chromium and Firefox: asked for from both sides at the same moment on a chat session,
// offered in-band by the Joiner, answered by the Starter; the chat carries on over the new credentials.
import { describe, expect, it } from 'vitest';
import { AppPage, chatBothWays, pairByText } from './harness/app.ts';
import {
  countRestartOffers,
  livePc,
  openDetails,
  restartOffers,
  waitNewCredentials,
} from './harness/live.ts';
import { chromiumAndFirefox } from './harness/suite.ts';

const suite = chromiumAndFirefox();

describe('ICE restart in-band', () => {
  for (const [starter, joiner] of [
    ['chromium', 'firefox'],
    ['firefox', 'chromium'],
  ] as const) {
    it(`${starter} (Start) ↔ ${joiner} (Join): both tap Restart at once; one restart, chat continues`, async () => {
      const a = await AppPage.open(suite[starter], suite.server.url, `A (${starter})`);
      const b = await AppPage.open(suite[joiner], suite.server.url, `B (${joiner})`);
      try {
        await pairByText(a, b);
        await chatBothWays(a, b, 'before the restart');
        await Promise.all([openDetails(a), openDetails(b)]);
        const before = await Promise.all([livePc(a), livePc(b)]);
        await Promise.all([countRestartOffers(a), countRestartOffers(b)]);
        await Promise.all([a.tap('restart-ice'), b.tap('restart-ice')]);
        const after = await waitNewCredentials([a, b], before);
        expect(after[0]?.localUfrag).toBe(after[1]?.remoteUfrag);
        expect(after[1]?.localUfrag).toBe(after[0]?.remoteUfrag);
        await chatBothWays(a, b, 'after the restart');
        // Two requests, one restart: the Starter's was asked of the Joiner and folded into the Joiner's own.
        expect([await restartOffers(a), await restartOffers(b)]).toEqual([0, 1]);
        expect(await a.pageErrors()).toEqual([]);
        expect(await b.pageErrors()).toEqual([]);
      } finally {
        await a.close();
        await b.close();
      }
    });
  }
});
