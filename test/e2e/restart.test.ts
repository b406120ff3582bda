// Restarts tapped in real Chromium and Firefox: asked for from both sides at the same moment on a chat session.
// While the old connection carries, a restart is a move to a new connection (rtc/session/move.ts), offered in-band by
// the Joiner and answered by the Starter; the chat carries on over the new credentials. (ICE restarts proper, made
// by themselves when the path fails, are network.test's.)
import { describe, expect, it } from 'vitest';
import { AppPage, CONNECT_TIMEOUT_MS, chatBothWays, pairByText } from './harness/app.ts';
import {
  countRestartOffers,
  livePc,
  openDetails,
  reportingBothSides,
  restartOffers,
  waitNewCredentials,
} from './harness/live.ts';
import { twoOfEach } from './harness/suite.ts';

// Four browsers, as four phones: each pairing of the two engines, the same engine on both sides too.
const suite = twoOfEach();

describe('restart in-band', () => {
  for (const [starter, joiner] of [
    ['chromium', 'firefox'],
    ['firefox', 'chromium'],
    ['chromium', 'chromium'],
    ['firefox', 'firefox'],
  ] as const) {
    it(`${starter} (Start) ↔ ${joiner} (Join): both tap Restart at once; one move to a new connection, chat continues`, async () => {
      const a = await AppPage.open(suite.device(starter, 0), suite.server.url, `A (${starter})`);
      const b = await AppPage.open(suite.device(joiner, 1), suite.server.url, `B (${joiner})`);
      try {
        await pairByText(a, b);
        await chatBothWays(a, b, 'before the restart');
        await Promise.all([openDetails(a), openDetails(b)]);
        const before = await Promise.all([livePc(a), livePc(b)]);
        await Promise.all([countRestartOffers(a), countRestartOffers(b)]);
        await Promise.all([a.tap('restart-ice'), b.tap('restart-ice')]);
        await reportingBothSides([a, b], async () => {
          const after = await waitNewCredentials([a, b], before);
          expect(after[0]?.localUfrag).toBe(after[1]?.remoteUfrag);
          expect(after[1]?.localUfrag).toBe(after[0]?.remoteUfrag);
          await chatBothWays(a, b, 'after the restart');
          // Two requests, one move: the Starter's was asked of the Joiner and folded into the Joiner's own. The old
          // connection is closed, and no ICE restart was made on it.
          for (const side of [a, b]) {
            const pcs = await side.poll(
              'the old connection closed',
              () => side.peerConnections(),
              (p) => p.length === 2 && p[0]?.connectionState === 'closed',
              CONNECT_TIMEOUT_MS,
            );
            expect(
              pcs.map((p) => p.connectionState),
              side.name,
            ).toEqual(['closed', 'connected']);
          }
          expect([await restartOffers(a), await restartOffers(b)]).toEqual([0, 0]);
        });
        expect(await a.pageErrors()).toEqual([]);
        expect(await b.pageErrors()).toEqual([]);
      } finally {
        await a.close();
        await b.close();
      }
    });
  }
});
