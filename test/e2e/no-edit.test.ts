// JSEP: a local description is exactly what createOffer/createAnswer returned. The app chooses its DTLS roles by
// pinning the REMOTE offer (`a=setup:active` before setRemoteDescription), so the Joiner's own answer is passive
// and waits for a late Starter. Every e2e test checks for edited local descriptions after it (harness/checks.ts);
// this file shows that check can fail, and that the roles come out right in the four browser pairings.
import { describe, expect, it } from 'vitest';
import { AppPage, chatBothWays, collectedEdits, pairByText } from './harness/app.ts';
import type { BrowserKind } from './harness/browsers.ts';
import { twoOfEach } from './harness/suite.ts';

const TEST_TIMEOUT_MS = 90_000;

const suite = twoOfEach();
const browser = (kind: BrowserKind, n: 0 | 1) => suite.device(kind, n);

/** In the page: the setup role of the local and remote descriptions, and the DTLS role getStats reports. */
function readRoles(): Promise<{ local: string; remote: string; dtls: string | null }> {
  const w = window as unknown as { __pigeonProbe?: { pcs: RTCPeerConnection[] } };
  const pc = w.__pigeonProbe?.pcs.at(-1);
  if (pc === undefined) throw new Error('no connection');
  const setup = (sdp: string | undefined) => /^a=setup:(\w+)/m.exec(sdp ?? '')?.[1] ?? '(none)';
  return pc.getStats().then((stats) => {
    let dtls: string | null = null;
    stats.forEach((s: { type: string; dtlsRole?: string }) => {
      if (s.type === 'transport' && s.dtlsRole !== undefined) dtls = s.dtlsRole;
    });
    return { local: setup(pc.localDescription?.sdp), remote: setup(pc.remoteDescription?.sdp), dtls };
  });
}

/** In the page: makes an offer and sets it with one line changed, as a munging app would. */
async function setEditedOffer(): Promise<string> {
  const pc = new RTCPeerConnection();
  pc.createDataChannel('x');
  const offer = await pc.createOffer();
  await pc.setLocalDescription({ type: 'offer', sdp: (offer.sdp ?? '').replace(/^s=.*$/m, 's=edited') });
  pc.close();
  return 'set';
}

describe('local descriptions are the browser’s own', () => {
  for (const kind of ['chromium', 'firefox'] as const) {
    it(`${kind}: the check sees a local description that was edited`, async () => {
      const app = await AppPage.open(browser(kind, 0), suite.server.url, `munger ${kind}`);
      await app.evaluate(setEditedOffer, undefined);
      await app.close();
      // Taken out of the after-each check: this edit was made on purpose.
      const seen = collectedEdits.splice(0);
      expect(seen).toHaveLength(1);
      expect(seen[0]).toMatch(/local offer differs from what the browser created/);
    });
  }

  const pairings: readonly (readonly [BrowserKind, BrowserKind])[] = [
    ['chromium', 'chromium'],
    ['chromium', 'firefox'],
    ['firefox', 'chromium'],
    ['firefox', 'firefox'],
  ];
  for (const [aKind, bKind] of pairings) {
    it(
      `${aKind} Starter → ${bKind} Joiner: the Joiner's own answer is passive, the Starter is the DTLS client`,
      async () => {
        const a = await AppPage.open(browser(aKind, 0), suite.server.url, `A ${aKind}`);
        const b = await AppPage.open(browser(bKind, 1), suite.server.url, `B ${bKind}`);
        try {
          await pairByText(a, b);
          const [ra, rb] = await Promise.all([
            a.evaluate(readRoles, undefined),
            b.evaluate(readRoles, undefined),
          ]);
          console.log(`${aKind} → ${bKind}: Starter ${JSON.stringify(ra)}, Joiner ${JSON.stringify(rb)}`);
          expect(rb.local, 'the Joiner answered passive by itself').toBe('passive');
          expect(rb.remote, 'the offer as the Joiner applied it').toBe('active');
          expect(ra.local, 'the Starter offered either role').toBe('actpass');
          expect(ra.remote, 'the Starter read a passive answer').toBe('passive');
          // Where the browser reports it (Chromium does), the roles themselves.
          if (ra.dtls !== null) expect(ra.dtls).toBe('client');
          if (rb.dtls !== null) expect(rb.dtls).toBe('server');
          await chatBothWays(a, b, 'no edit');
        } finally {
          await a.close();
          await b.close();
        }
      },
      TEST_TIMEOUT_MS,
    );
  }
});
