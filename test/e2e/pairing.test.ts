// Pairing through the UI in real browsers, like two people would: A taps Start and B copies the text code into
// Join, B's answer code goes back into A's answer box, then they chat both ways and one hangs up.
import type { Page as PlaywrightPage } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AppPage,
  type ChatMessage,
  CODE_TIMEOUT_MS,
  CONNECT_TIMEOUT_MS,
  chatBothWays,
  MESSAGE_TIMEOUT_MS,
  t,
} from './harness/app.ts';
import { type AppServer, serveApp } from './harness/app-build.ts';
import { type BrowserHandle, type BrowserKind, launchBrowser } from './harness/browsers.ts';
import { countShown, fieldValue, fill, press, shownCode, typeCode, waitShown } from './harness/by-role.ts';
import { assertInNetns } from './harness/netns.ts';

/** Markup a peer might send: it must arrive as these exact characters, never as elements or a script. */
const MARKUP = '<b>bold?</b><img src="x" onerror="window.__pigeonInjected = 1"> & <i>still text</i>';

/** The name A gives itself in Settings: B must show it whole, tags and all, as text. */
const A_NAME = 'Anna’s <b>Pixel</b> 8';
/** What a device calls itself when nobody named it (src/app/device-name.ts), on this Linux machine. */
const DEFAULT_NAME: Record<BrowserKind, string> = {
  chromium: 'Chrome on Linux',
  firefox: 'Firefox on Linux',
};
/** The header once the peer's hello is in; the name is isolated (U+2068…U+2069) for right-to-left names. */
const connectedTo = (name: string) => t('state.connectedPeer', { app: `\u2068${name}\u2069` });

let server: AppServer;
const browsers = new Map<string, BrowserHandle>();

beforeAll(async () => {
  assertInNetns();
  server = await serveApp();
  // Two Chromiums (one per device) and a Firefox for the mixed pairings.
  const [c1, c2, f1] = await Promise.all([
    launchBrowser('chromium'),
    launchBrowser('chromium'),
    launchBrowser('firefox'),
  ]);
  browsers.set('chromium-1', c1);
  browsers.set('chromium-2', c2);
  browsers.set('firefox-1', f1);
});

afterAll(async () => {
  for (const b of browsers.values()) await b.close().catch(() => undefined);
  await server?.close();
});

function browser(name: string): BrowserHandle {
  const b = browsers.get(name);
  if (b === undefined) throw new Error(`${name} did not launch`);
  return b;
}

/** Start as a person does: tap Start, wait for the code to be drawn; returns the text code shown. */
async function startByRole(a: AppPage): Promise<string> {
  await press(a, t('home.start'));
  await waitShown(a, t('state.offerReady'), CODE_TIMEOUT_MS);
  return shownCode(a);
}

/** Join as a person does: tap Join, type the offer in, wait for the answer; returns the answer shown. */
async function joinByRole(b: AppPage, offer: string): Promise<string> {
  await press(b, t('home.join'));
  await typeCode(b, offer);
  await waitShown(b, t('state.answerReady'), CODE_TIMEOUT_MS);
  return shownCode(b);
}

/** Writes a message and taps Send; waits until it is drawn in the sender's own log. */
async function sendByRole(app: AppPage, text: string): Promise<void> {
  await fill(app, t('chat.placeholder'), text);
  await press(app, t('chat.send'));
  await waitShown(app, text, MESSAGE_TIMEOUT_MS);
}

/** Nothing the peer sent turned into an element anywhere in the chat, and no injected script ran. */
function injectedMarkup(): { elements: number; ran: boolean } {
  return {
    elements: document.querySelectorAll('.chat-log img, .chat-log b, .chat-log i').length,
    ran: (window as unknown as { __pigeonInjected?: number }).__pigeonInjected !== undefined,
  };
}

interface Roles {
  readonly a: string;
  readonly b: string;
  /** Who taps Hang up. */
  readonly hangsUp: 'A' | 'B';
  /**
   * A sets "no STUN server" and its name through the Settings screen instead of having settings stored
   * beforehand; B then shows that name, and A shows B's default name.
   */
  readonly settingsThroughUi?: boolean;
}

async function pairChatHangUp(roles: Roles): Promise<void> {
  const started = Date.now();
  const a = await AppPage.open(
    browser(roles.a),
    server.url,
    'A',
    roles.settingsThroughUi ? { stun: null } : {},
  );
  const b = await AppPage.open(browser(roles.b), server.url, 'B');
  try {
    if (roles.settingsThroughUi) {
      // Settings → STUN server emptied → Save → back home.
      await press(a, t('nav.settings'));
      await fill(a, t('settings.name'), A_NAME);
      await fill(a, t('settings.stun'), '');
      await press(a, t('settings.save'));
      await waitShown(a, t('settings.saved'));
      await press(a, `← ${t('nav.back')}`);
    }

    // A: Start → offer code shown as text (and QR, and link).
    const offer = await startByRole(a);
    expect(offer).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(await countShown(a, 'img', t('code.qrTitle')), 'the QR code drawn').toBe(1);
    await waitShown(a, `${server.url}#${offer}`);

    // B: Join → types the offer → answer code.
    const answer = await joinByRole(b, offer);
    expect(answer).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(answer).not.toBe(offer);
    expect(await countShown(b, 'img', t('code.qrTitle')), 'the QR code drawn').toBe(1);
    // No camera was ever allowed here: the codes name no addresses of the devices, and nothing says they do.
    for (const side of [a, b])
      expect(await countShown(side, 'text', t('code.localAddresses')), side.name).toBe(0);

    // A: types the answer into its answer box → both on the chat screen.
    await typeCode(a, answer);
    await Promise.all([a.waitConnected(), b.waitConnected()]);
    const connectedAfter = Date.now() - started;
    if (roles.settingsThroughUi) {
      await waitShown(b, connectedTo(A_NAME), MESSAGE_TIMEOUT_MS);
      await waitShown(a, connectedTo(DEFAULT_NAME[b.kind]), MESSAGE_TIMEOUT_MS);
    }

    // Chat both ways; each sender sees the delivered tick.
    const fromA = `hi B, this is A on ${roles.a}`;
    const fromB = `hi A, B here on ${roles.b} ✓ 你好`;
    await sendByRole(a, fromA);
    await waitShown(b, fromA, MESSAGE_TIMEOUT_MS);
    await sendByRole(b, fromB);
    await waitShown(a, fromB, MESSAGE_TIMEOUT_MS);
    expect((await a.waitDelivered(fromA)).status).toBe('delivered');
    expect((await b.waitDelivered(fromB)).status).toBe('delivered');

    // Markup is carried as text and shown as text.
    await sendByRole(a, MARKUP);
    await waitShown(b, MARKUP, MESSAGE_TIMEOUT_MS);
    const got: ChatMessage = await b.waitTheirs(MARKUP);
    expect(got.text).toBe(MARKUP);
    expect(got.markupInText).toBe(0);
    expect(await b.evaluate(injectedMarkup, undefined)).toEqual({ elements: 0, ran: false });
    await a.waitDelivered(MARKUP);

    // Exactly one connection on each side, and it is up.
    for (const side of [a, b]) {
      const pcs = await side.peerConnections();
      expect(pcs, side.name).toHaveLength(1);
      expect(pcs[0]?.connectionState, side.name).toBe('connected');
    }

    // Hang up on one side; the other is told, and both release the connection.
    const [leaver, stayer] = roles.hangsUp === 'A' ? [a, b] : [b, a];
    await press(leaver, t('action.hangup'));
    const hungUpAt = Date.now();
    await waitShown(leaver, t('closed.local-hangup'), MESSAGE_TIMEOUT_MS);
    await waitShown(stayer, t('closed.remote-hangup'), MESSAGE_TIMEOUT_MS);
    const noticedAfter = Date.now() - hungUpAt;
    for (const side of [leaver, stayer]) {
      const pcs = await side.waitAllClosed();
      expect(pcs, side.name).toHaveLength(1);
      // The conversation stays readable after the call, and a new one is one tap away.
      const log = await side.messages();
      expect(log.map((m) => m.text)).toEqual([fromA, fromB, MARKUP]);
      for (const text of [fromA, fromB, MARKUP])
        expect(await countShown(side, 'text', text), `${side.name}: "${text}" still shown`).toBe(1);
      expect(await countShown(side, 'button', t('action.newSession')), side.name).toBe(1);
      expect(await countShown(side, 'button', t('action.hangup')), side.name).toBe(0);
      expect(await side.pageErrors(), side.name).toEqual([]);
    }
    console.log(
      `${roles.a} (A) → ${roles.b} (B): offer ${offer.length} chars, answer ${answer.length} chars; ` +
        `chat screen after ${connectedAfter} ms; ${roles.hangsUp === 'A' ? 'B' : 'A'} saw the hang-up ` +
        `${noticedAfter} ms after the tap`,
    );
  } finally {
    await a.close();
    await b.close();
  }
}

describe('pairing by text codes through the UI', () => {
  it(
    'Chromium ↔ Chromium: pair, chat both ways, A hangs up',
    () => pairChatHangUp({ a: 'chromium-1', b: 'chromium-2', hangsUp: 'A', settingsThroughUi: true }),
    4 * CONNECT_TIMEOUT_MS,
  );

  it(
    'Chromium ↔ Chromium, B hangs up',
    () => pairChatHangUp({ a: 'chromium-2', b: 'chromium-1', hangsUp: 'B' }),
    4 * CONNECT_TIMEOUT_MS,
  );

  it(
    'Firefox (A) → Chromium (B): pair, chat, B hangs up',
    () => pairChatHangUp({ a: 'firefox-1', b: 'chromium-1', hangsUp: 'B' }),
    4 * CONNECT_TIMEOUT_MS,
  );

  it(
    'Chromium (A) → Firefox (B): pair, chat, A hangs up',
    () => pairChatHangUp({ a: 'chromium-1', b: 'firefox-1', hangsUp: 'A', settingsThroughUi: true }),
    4 * CONNECT_TIMEOUT_MS,
  );

  it(
    'Chromium (A) → Firefox (B): Firefox hangs up',
    () => pairChatHangUp({ a: 'chromium-2', b: 'firefox-1', hangsUp: 'B' }),
    4 * CONNECT_TIMEOUT_MS,
  );
});

describe('deep link', () => {
  const kinds: readonly BrowserKind[] = ['chromium', 'firefox'];
  for (const kind of kinds) {
    it(`${kind}: opening <app>#<offer> lands in Join with the offer taken in, and the code leaves the address bar`, async () => {
      const a = await AppPage.open(browser('chromium-1'), server.url, 'A');
      let b: AppPage | null = null;
      try {
        const offer = await startByRole(a);
        // The link is drawn with the code: what a camera app opens.
        const link = `${server.url}#${offer}`;
        await waitShown(a, link);
        b = await AppPage.open(browser(kind === 'chromium' ? 'chromium-2' : 'firefox-1'), server.url, 'B', {
          hash: `#${offer}`,
        });
        await waitShown(b, t('state.answerReady'), CODE_TIMEOUT_MS);
        const landed = await b.snapshot();
        expect(landed.url).toBe(server.url);
        expect(landed.url).not.toContain('#');
        expect(landed.url).not.toContain(offer.slice(0, 12));
        const history = await b.evaluate(() => ({ hash: location.hash, href: location.href }), undefined);
        expect(history).toEqual({ hash: '', href: server.url });
        // The answer it shows is the answer to this offer: A takes it and they connect.
        await typeCode(a, (await fieldValue(b, t('code.textLabel'))) ?? '');
        await Promise.all([a.waitConnected(), b.waitConnected()]);
        await sendByRole(a, 'came in through a link');
        await waitShown(b, 'came in through a link', MESSAGE_TIMEOUT_MS);
        await a.waitDelivered('came in through a link');
      } finally {
        await a.close();
        await b?.close();
      }
    });
  }
});

describe('Copy and Paste buttons (Chromium clipboard)', () => {
  it('Paste without clipboard permission says so; with it, both codes go Copy → (a chat app) → Paste', async () => {
    const a = await AppPage.open(browser('chromium-1'), server.url, 'A');
    const b = await AppPage.open(browser('chromium-2'), server.url, 'B');
    const contexts = [a, b].map((p) => (p.page.raw as PlaywrightPage).context());
    const origin = new URL(server.url).origin;
    /** Taps Copy code; returns what the clipboard of that device then holds. */
    const copy = async (page: AppPage): Promise<string> => {
      await (page.page.raw as PlaywrightPage).bringToFront();
      await press(page, t('code.copy'));
      await waitShown(page, t('code.copied'), MESSAGE_TIMEOUT_MS);
      return page.evaluate(() => navigator.clipboard.readText(), undefined);
    };
    /** What a chat app does on the other device: the text lands on its clipboard. */
    const putOnClipboard = async (page: AppPage, text: string): Promise<void> => {
      await (page.page.raw as PlaywrightPage).bringToFront();
      await page.evaluate((x) => navigator.clipboard.writeText(x), text);
    };
    try {
      const offer = await startByRole(a);
      await press(b, t('home.join'));
      await press(b, t('input.paste'));
      await waitShown(b, t('input.pasteDenied'), CODE_TIMEOUT_MS);
      expect((await b.snapshot()).screen).toBe('join:idle');

      for (const c of contexts) await c.grantPermissions(['clipboard-read', 'clipboard-write'], { origin });
      expect(await copy(a)).toBe(offer);
      await putOnClipboard(b, offer);
      await press(b, t('input.paste'));
      await waitShown(b, t('state.answerReady'), CODE_TIMEOUT_MS);
      const answer = (await fieldValue(b, t('code.textLabel'))) ?? '';
      expect(await copy(b)).toBe(answer);
      await putOnClipboard(a, answer);
      await press(a, t('input.paste'));
      await Promise.all([a.waitConnected(), b.waitConnected()]);
      await chatBothWays(a, b, 'by copy and paste');
    } finally {
      for (const c of contexts) await c.clearPermissions();
      await a.close();
      await b.close();
    }
  });
});
