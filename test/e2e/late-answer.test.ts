// The answer that comes back late: B shows its answer code and A takes it in five minutes later (a person who
// got distracted). Four pairings side by side, so the wait is paid once. Each must connect and chat, or, for
// Firefox ↔ Firefox (mDNS host candidates, where the late answer is known not to connect), show
// 'late-answer-expired' with a "Fresh exchange" button within the app's deadline, and the fresh exchange works.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LATE_ANSWER_DEADLINE_MS } from '../../src/rtc/session/session.ts';
import { AppPage, CONNECT_TIMEOUT_MS, chatBothWays, POLL_MS, type Snapshot, t } from './harness/app.ts';
import { type AppServer, serveApp } from './harness/app-build.ts';
import { type BrowserHandle, type BrowserKind, launchBrowser } from './harness/browsers.ts';
import { assertInNetns } from './harness/netns.ts';

/** How long A waits before taking B's answer in: 5 minutes in `npm test`; a run by hand may set
 * PIGEON_LATE_BY_S (e.g. 3600) to try longer. */
const LATE_BY_MS = Number(process.env.PIGEON_LATE_BY_S ?? 300) * 1000;
/** The app's deadline plus room for this test's polling and the driver round trips. */
const EXPIRED_SHOWN_WITHIN_MS = LATE_ANSWER_DEADLINE_MS + 2_000;
const TEST_TIMEOUT_MS = LATE_BY_MS + 5 * 60_000;

const PAIRINGS: readonly (readonly [BrowserKind, BrowserKind])[] = [
  ['chromium', 'chromium'],
  ['chromium', 'firefox'],
  ['firefox', 'chromium'],
  ['firefox', 'firefox'],
];

const short = (k: BrowserKind) => (k === 'chromium' ? 'C' : 'F');

interface Pairing {
  readonly label: string;
  readonly aKind: BrowserKind;
  readonly bKind: BrowserKind;
  readonly a: AppPage;
  readonly b: AppPage;
  readonly answer: string;
  readonly answeredAt: number;
}

type Path = 'connected' | 'expired' | 'other';

interface Outcome {
  readonly label: string;
  readonly path: Path;
  /** How long after its answer was produced A took it in. */
  readonly lateByMs: number;
  /** From taking the answer in to both chat screens, or to A's failed screen. */
  readonly outcomeAfterMs: number;
  /** B's screen just before A took the answer in. */
  readonly bBefore: string | null;
  /** Both sides when the outcome was seen: screen, state text, and the connections' states. */
  readonly a: Snapshot;
  readonly b: Snapshot;
  readonly aPc: string;
  readonly bPc: string;
}

let server: AppServer;
const browsers: BrowserHandle[] = [];

beforeAll(async () => {
  assertInNetns();
  server = await serveApp();
});

afterAll(async () => {
  for (const b of browsers) await b.close().catch(() => undefined);
  await server?.close();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The connection's state now, and its last few state changes (ms since the page started). */
async function pcSummary(page: AppPage): Promise<string> {
  const now = (await page.peerConnections()).map((p) => `${p.connectionState}/${p.iceConnectionState}`);
  const events = (await page.peerConnectionEvents()).flat().slice(-4);
  return `${now.join(',')}; last changes ${JSON.stringify(events)}`;
}

/**
 * Takes the answer in, then watches both sides until both are on the chat screen, A is on a failed screen, or
 * either side ends up closed or failed (or 30 s pass). Never throws for the app's behaviour: the caller prints
 * every pairing's outcome first and asserts after.
 */
async function lateOutcome(p: Pairing): Promise<Outcome> {
  const bBefore = (await p.b.snapshot()).screen;
  const lateByMs = Date.now() - p.answeredAt;
  await p.a.enterCode(p.answer);
  const appliedAt = Date.now();
  const deadline = appliedAt + CONNECT_TIMEOUT_MS;
  for (;;) {
    const [a, b] = await Promise.all([p.a.snapshot(), p.b.snapshot()]);
    const now = Date.now();
    let path: Path | null = null;
    if (a.screen === 'start:connected' && b.screen === 'join:connected') path = 'connected';
    else if (a.screen === 'start:failed' && a.state === t('failed.late-answer-expired')) path = 'expired';
    else if (
      /:(closed|failed)$/.test(a.screen ?? '') ||
      /:(closed|failed)$/.test(b.screen ?? '') ||
      now > deadline
    )
      path = 'other';
    if (path !== null) {
      const [aPc, bPc] = await Promise.all([pcSummary(p.a), pcSummary(p.b)]);
      return { label: p.label, path, lateByMs, outcomeAfterMs: now - appliedAt, bBefore, a, b, aPc, bPc };
    }
    await sleep(POLL_MS);
  }
}

/** A taps "Fresh exchange"; B reads the new code in its answer screen's box; A reads the new answer. */
async function freshExchange(p: Pairing): Promise<void> {
  const button = await p.a.evaluate(
    () => document.querySelector('[data-testid="new-session"]')?.textContent ?? null,
    undefined,
  );
  expect(button, `${p.label}: the button on A's expired screen`).toBe(t('action.fresh'));
  await p.a.tap('new-session');
  const offer = await p.a.waitFor(
    'a fresh offer code',
    (s) => s.screen === 'start:offer-ready' && (s.code ?? '') !== '',
  );
  // B is still on its answer screen: the fresh offer goes into the box there.
  const b = await p.b.snapshot();
  expect(b.screen, `${p.label}: B still shows its answer screen`).toBe('join:answer-ready');
  expect(
    await p.b.evaluate(
      () => document.querySelector('[data-testid="input-panel"] h2')?.textContent,
      undefined,
    ),
  ).toBe(t('state.newCodeHint'));
  await p.b.enterCode(offer.code ?? '');
  const answer = await p.b.waitAnswerCode(p.answer);
  await p.a.enterCode(answer);
  await Promise.all([p.a.waitConnected(), p.b.waitConnected()]);
}

describe('late answer', () => {
  it(
    `an answer taken in ${LATE_BY_MS / 1000} s after it was made: C→C, C→F, F→C, F→F side by side`,
    async () => {
      // Eight browsers, one per device; launched two at a time to spare the shared cores.
      const pairs: { aB: BrowserHandle; bB: BrowserHandle; aKind: BrowserKind; bKind: BrowserKind }[] = [];
      for (const [aKind, bKind] of PAIRINGS) {
        const [aB, bB] = await Promise.all([launchBrowser(aKind), launchBrowser(bKind)]);
        browsers.push(aB, bB);
        pairs.push({ aB, bB, aKind, bKind });
      }
      const pairings: Pairing[] = [];
      for (const { aB, bB, aKind, bKind } of pairs) {
        const label = `${short(aKind)}→${short(bKind)}`;
        const a = await AppPage.open(aB, server.url, `A ${label}`);
        const b = await AppPage.open(bB, server.url, `B ${label}`);
        const offer = await a.start();
        const answer = await b.join(offer);
        pairings.push({ label, aKind, bKind, a, b, answer, answeredAt: Date.now() });
      }

      // The wait: nothing polls the pages meanwhile.
      const lastAnswer = Math.max(...pairings.map((p) => p.answeredAt));
      await sleep(lastAnswer + LATE_BY_MS - Date.now());

      const outcomes = await Promise.all(pairings.map(lateOutcome));
      for (const o of outcomes) {
        console.log(
          `late answer ${o.label}: ${o.path}; taken in ${(o.lateByMs / 1000).toFixed(1)} s after it was made; ` +
            `outcome ${o.outcomeAfterMs} ms later; B was on ${o.bBefore}; ` +
            `then A ${o.a.screen} "${o.a.state}" [pc ${o.aPc}], B ${o.b.screen} "${o.b.state}" [pc ${o.bPc}]`,
        );
      }

      // Every pairing is carried to its end before the test fails, so one pairing's failure does not hide how
      // the others went: a wrong path is a soft failure, and that pairing's follow-up is skipped.
      for (const [i, p] of pairings.entries()) {
        const o = outcomes[i];
        if (o === undefined) throw new Error('missing outcome');
        expect(o.lateByMs, p.label).toBeGreaterThanOrEqual(LATE_BY_MS);
        // Connected, or — where a Firefox answerer has stopped waiting (measured here: F→F with mDNS, and C→F
        // from an http page, whose Chromium offerer saw ICE fail 0.3 s after applying the 300 s-old answer) —
        // expired with the fresh-exchange offer within the deadline. Chromium answerers must connect.
        const allowed: Path[] = p.bKind === 'firefox' ? ['connected', 'expired'] : ['connected'];
        expect.soft(allowed, `${p.label}: A "${o.a.state}", B "${o.b.state}"`).toContain(o.path);
        if (!allowed.includes(o.path)) continue;
        if (o.path === 'expired') {
          expect
            .soft(o.outcomeAfterMs, `${p.label}: expired screen shown after`)
            .toBeLessThanOrEqual(EXPIRED_SHOWN_WITHIN_MS);
          await freshExchange(p);
          console.log(`late answer ${p.label}: fresh exchange connected`);
        }
        await chatBothWays(p.a, p.b, `late ${p.label}`);
        console.log(`late answer ${p.label}: chat both ways with delivered ticks ✓ (${o.path})`);
      }
    },
    TEST_TIMEOUT_MS,
  );
});
