// Safety words (docs/safety-words.md) in real browsers. Honest, in all four pairings (Chromium/Firefox as
// Starter/Joiner): both show the same six words, and "They match" on both verifies both. In the middle: the
// test itself swaps the codes — it answers A's offer from its own page B', offers B a code of its own page A',
// takes B's answer into A', gives A the answer from B', and relays chat between its two pages. Both sessions
// connect and chat flows, but A and B show different words, and "They differ" ends both sessions with the warning.
import { describe, expect, it } from 'vitest';
import { AppPage, CONNECT_TIMEOUT_MS, MESSAGE_TIMEOUT_MS, t } from './harness/app.ts';
import type { BrowserKind } from './harness/browsers.ts';
import { countShown, press, waitShown } from './harness/by-role.ts';
import { wordsOf } from './harness/safety.ts';
import { twoOfEach } from './harness/suite.ts';

const suite = twoOfEach();
const device = (kind: BrowserKind, n: 0 | 1) => suite.device(kind, n);

const PAIRINGS = [
  ['chromium', 'chromium'],
  ['chromium', 'firefox'],
  ['firefox', 'chromium'],
  ['firefox', 'firefox'],
] as const;

/** What the middle reads on one of its pages and types into the other: B' ↔ A'. */
async function relay(from: AppPage, to: AppPage, text: string): Promise<void> {
  await from.waitTheirs(text);
  await to.send(text);
}

describe('safety words', () => {
  for (const [starter, joiner] of PAIRINGS) {
    it(
      `honest pairing, ${starter} (Start) ↔ ${joiner} (Join): the same words on both; "They match" verifies both`,
      async () => {
        const a = await AppPage.open(device(starter, 0), suite.server.url, 'A');
        const b = await AppPage.open(device(joiner, 1), suite.server.url, 'B');
        try {
          const offer = await a.start();
          const answer = await b.join(offer);
          await a.enterCode(answer);
          await Promise.all([a.waitConnected(), b.waitConnected()]);
          const [wa, wb] = await Promise.all([wordsOf(a), wordsOf(b)]);
          expect(wa).toHaveLength(6);
          expect(wb).toEqual(wa);
          await waitShown(a, t('safety.hint'));
          await press(a, t('safety.match'));
          await waitShown(a, t('safety.waitingPeer'));
          await press(b, t('safety.match'));
          await Promise.all([waitShown(a, t('safety.verified')), waitShown(b, t('safety.verified'))]);
          for (const side of [a, b])
            expect(await countShown(side, 'button', t('safety.match')), side.name).toBe(0);
          console.log(
            `${starter}→${joiner}: both show "${wa.join(' ')}"; offer ${offer.length} chars, answer ${answer.length}`,
          );
        } finally {
          await a.close();
          await b.close();
        }
      },
      4 * CONNECT_TIMEOUT_MS,
    );
  }

  it(
    'the test in the middle relays chat: A and B show different words, and "They differ" ends both sessions',
    async () => {
      const a = await AppPage.open(device('chromium', 0), suite.server.url, 'A');
      const b = await AppPage.open(device('firefox', 0), suite.server.url, 'B');
      const bMiddle = await AppPage.open(device('chromium', 1), suite.server.url, "B'");
      const aMiddle = await AppPage.open(device('firefox', 1), suite.server.url, "A'");
      try {
        const offerA = await a.start();
        const answerMiddle = await bMiddle.join(offerA);
        const offerMiddle = await aMiddle.start();
        const answerB = await b.join(offerMiddle);
        await aMiddle.enterCode(answerB);
        await a.enterCode(answerMiddle);
        await Promise.all([a, b, aMiddle, bMiddle].map((p) => p.waitConnected()));
        // Both people see "Connected" and their chat arrives: nothing but the words tells them apart.
        await a.send('hello from A');
        await relay(bMiddle, aMiddle, 'hello from A');
        await b.waitTheirs('hello from A');
        await b.send('hello from B');
        await relay(aMiddle, bMiddle, 'hello from B');
        await a.waitTheirs('hello from B');
        const [wa, wb, waMiddle, wbMiddle] = await Promise.all([a, b, aMiddle, bMiddle].map(wordsOf));
        // Each honest device agrees with the middle's page it is really talking to, never with the other person.
        expect(wbMiddle).toEqual(wa);
        expect(waMiddle).toEqual(wb);
        expect(wa).not.toEqual(wb);
        await press(a, t('safety.differ'));
        await waitShown(a, t('closed.words-differ'), MESSAGE_TIMEOUT_MS);
        // A's peer (the middle's B') is told too.
        await waitShown(bMiddle, t('closed.words-differ'), MESSAGE_TIMEOUT_MS);
        await press(b, t('safety.differ'));
        await waitShown(b, t('closed.words-differ'), MESSAGE_TIMEOUT_MS);
        await waitShown(aMiddle, t('closed.words-differ'), MESSAGE_TIMEOUT_MS);
        for (const side of [a, b]) {
          expect(await countShown(side, 'button', t('action.hangup')), side.name).toBe(0);
          expect(await countShown(side, 'button', t('safety.differ')), side.name).toBe(0);
          expect(await side.pageErrors(), side.name).toEqual([]);
        }
        console.log(`middle: A shows "${String(wa)}", B shows "${String(wb)}"`);
      } finally {
        for (const p of [a, b, aMiddle, bMiddle]) await p.close();
      }
    },
    6 * CONNECT_TIMEOUT_MS,
  );
});
