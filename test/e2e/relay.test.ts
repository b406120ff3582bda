// STUN/TURN settings through the UI and a relay-only connection through a real TURN server (coturn on
// 10.99.0.2 inside the namespace): the settings form refuses what cannot work, keeps what it saved, and a
// Chromium ↔ Firefox pair set to "relay only" connects through coturn, chats, and the details panel says relay.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppPage, chatBothWays, pairByText, t } from './harness/app.ts';
import { fieldValue, waitShown } from './harness/by-role.ts';
import { MEDIA_TIMEOUT_MS, openDetails, readDetails } from './harness/live.ts';
import { selectedPair } from './harness/network.ts';
import { chromiumAndFirefox } from './harness/suite.ts';
import { startTurn, TURN_PASSWORD, TURN_USER, type TurnServer } from './harness/turn.ts';

const suite = chromiumAndFirefox();
let turn: TurnServer;

beforeAll(async () => {
  turn = await startTurn();
});

afterAll(async () => {
  await turn?.stop();
});

interface IceForm {
  readonly turn: string;
  readonly user: string;
  readonly credential: string;
  readonly relayOnly: boolean;
}

const settingsMessage = (app: AppPage) =>
  app.evaluate(
    () => document.querySelector('[data-testid="settings-message"]')?.textContent ?? '',
    undefined,
  );

/** Fills the ICE part of the settings form and saves; resolves with the message the form shows. */
async function submitIce(app: AppPage, form: IceForm): Promise<string> {
  await app.type('turn', form.turn);
  await app.type('turn-user', form.user);
  await app.type('turn-credential', form.credential);
  const checked = await app.evaluate(
    () => (document.querySelector('[data-testid="relay-only"]') as HTMLInputElement | null)?.checked ?? false,
    undefined,
  );
  if (checked !== form.relayOnly) await app.tap('relay-only');
  await app.evaluate(() => {
    const m = document.querySelector('[data-testid="settings-message"]');
    if (m) m.textContent = '';
  }, undefined);
  await app.tap('save-settings');
  return app.poll(
    'the settings message',
    () => settingsMessage(app),
    (m) => m !== '',
    MEDIA_TIMEOUT_MS,
  );
}

async function relayOnlyViaSettings(app: AppPage, turnUrl: string): Promise<void> {
  await app.tap('settings');
  await app.waitScreen('settings');
  // What cannot work is refused with a clear message, and nothing is saved.
  expect(await submitIce(app, { turn: '', user: '', credential: '', relayOnly: true })).toBe(
    t('settings.relayNeedsTurn'),
  );
  expect(
    await submitIce(app, { turn: 'http://10.99.0.2', user: 'u', credential: 'p', relayOnly: true }),
  ).toBe(t('settings.invalidTurn'));
  expect(await submitIce(app, { turn: turnUrl, user: '', credential: '', relayOnly: true })).toBe(
    t('settings.turnNeedsCredentials'),
  );
  const form = { turn: turnUrl, user: TURN_USER, credential: TURN_PASSWORD, relayOnly: true };
  expect(await submitIce(app, form)).toBe(t('settings.saved'));
  await app.tap('back');
  await app.waitScreen('home');
}

const candidateTypes = (sdp: string): string[] =>
  [...sdp.matchAll(/^a=candidate:.* typ (\w+)/gm)].map((m) => m[1] ?? '');

describe('relay only through coturn', () => {
  it('Chromium (Start) ↔ Firefox (Join), both set to relay only in Settings: connects via TURN, details say relay', async () => {
    const a = await AppPage.open(suite.chromium, suite.server.url, 'A (chromium)');
    const b = await AppPage.open(suite.firefox, suite.server.url, 'B (firefox)');
    try {
      const turnUrl = `turn:${turn.host}:${turn.port}?transport=udp`;
      await relayOnlyViaSettings(a, turnUrl);
      await relayOnlyViaSettings(b, turnUrl);
      // Kept on the device: a reload shows the saved form.
      await a.page.goto(suite.server.url);
      await a.waitScreen('home');
      await a.tap('settings');
      // Settings is its own chunk: read the form once it is drawn, as a person would.
      await waitShown(a, t('settings.turn'));
      const kept = {
        turn: await fieldValue(a, t('settings.turn')),
        relay: await a.evaluate(
          () => (document.querySelector('[data-testid="relay-only"]') as HTMLInputElement).checked,
          undefined,
        ),
      };
      expect(kept).toEqual({ turn: turnUrl, relay: true });
      await a.tap('back');
      await a.waitScreen('home');

      await pairByText(a, b);
      const sdps = await Promise.all(
        [a, b].map((app) =>
          app.evaluate(() => {
            const pcs = (window as unknown as { __pigeonProbe: { pcs: RTCPeerConnection[] } }).__pigeonProbe
              .pcs;
            return pcs.at(-1)?.localDescription?.sdp ?? '';
          }, undefined),
        ),
      );
      for (const sdp of sdps) {
        expect(candidateTypes(sdp).length).toBeGreaterThan(0);
        expect(new Set(candidateTypes(sdp))).toEqual(new Set(['relay']));
      }
      await chatBothWays(a, b, 'through the relay');
      await Promise.all([openDetails(a), openDetails(b)]);
      for (const app of [a, b]) {
        const shown = await app.poll(
          'the details panel with the path',
          () => readDetails(app),
          (d) => d.local !== '' && d.states.includes('connected'),
          MEDIA_TIMEOUT_MS,
        );
        console.info(`${app.name} details: ${shown.path} · ${shown.states} · ${shown.bytes}`);
        expect(shown.local).toBe('relay');
        expect(shown.path).toMatch(/^relay\//);
      }
      // The relayed address is coturn's: the bytes go through the allocation, not around it.
      for (const app of [a, b]) expect((await selectedPair(app)).local).toBe(turn.host);
    } finally {
      await a.close();
      await b.close();
    }
  }, 180_000);
});
