// The app on a phone (Chromium at 390×844, and 320 px wide for a call): on every screen nothing scrolls sideways,
// every control a person can see is at least 44×44 CSS px, the QR code takes at least 80 % of the width, and
// only the controls meant for that moment are drawn (found by role and name, as a person finds them).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppPage, chatBothWays, pairByText, t } from './harness/app.ts';
import { type AppServer, serveApp } from './harness/app-build.ts';
import { type BrowserHandle, launchChromium } from './harness/browsers.ts';
import { source, waitRow } from './harness/files.ts';
import { waitCallPhase, waitRemoteVideoPlays } from './harness/live.ts';
import { assertInNetns } from './harness/netns.ts';

const PHONE = { width: 390, height: 844 } as const;
const NARROW = { width: 320, height: 640 } as const;
/** The smallest touch target (WCAG 2.5.5, Apple's and Google's guides): 44 CSS px square. */
const MIN_TARGET_PX = 44;
const MIN_QR_SHARE = 0.8;
/** The own preview is a small picture in a corner. */
const MAX_PREVIEW_SHARE = 0.4;

let server: AppServer;
let chromium: BrowserHandle;
let dir: string;
beforeAll(async () => {
  assertInNetns();
  dir = await mkdtemp(join(tmpdir(), 'pigeon-phone-e2e-'));
  server = await serveApp();
  chromium = await launchChromium({ media: true });
});
afterAll(async () => {
  await chromium?.close().catch(() => undefined);
  await server?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

interface Audit {
  readonly viewport: number;
  readonly scrollWidth: number;
  /** Visible controls smaller than the minimum target, described. */
  readonly small: string[];
  /** Visible buttons with no name at all. */
  readonly blank: number;
  /** The QR code's width, or null when none is drawn. */
  readonly qr: number | null;
}

/** Runs in the page: what a phone screen must hold to. */
function audit(minTarget: number): Audit {
  const small: string[] = [];
  const controls = document.querySelectorAll<HTMLElement>(
    'button, a[href], input, select, textarea, summary, label.button',
  );
  for (const el of controls) {
    // A file input is reached through its label (a .button); a checkbox's target is its label.
    if (el instanceof HTMLInputElement && el.type === 'file') continue;
    const target =
      el instanceof HTMLInputElement && el.type === 'checkbox' ? (el.closest('label') ?? el) : el;
    if (!target.checkVisibility({ visibilityProperty: true })) continue;
    const r = target.getBoundingClientRect();
    if (r.width < minTarget - 0.5 || r.height < minTarget - 0.5)
      small.push(
        `${target.tagName.toLowerCase()} "${(target.textContent ?? '').trim().slice(0, 30)}" ${Math.round(r.width)}×${Math.round(r.height)}`,
      );
  }
  const qr = document.querySelector('[data-testid="qr"]');
  const blank = [...document.querySelectorAll('button')].filter(
    (b) => b.checkVisibility() && (b.textContent ?? '').trim() === '' && !b.hasAttribute('aria-label'),
  ).length;
  return {
    blank,
    viewport: document.documentElement.clientWidth,
    scrollWidth: document.documentElement.scrollWidth,
    small,
    qr: qr instanceof HTMLElement && qr.checkVisibility() ? qr.getBoundingClientRect().width : null,
  };
}

async function holds(app: AppPage, screen: string, opts: { qr?: boolean } = {}): Promise<void> {
  const a = await app.evaluate(audit, MIN_TARGET_PX);
  expect(a.scrollWidth, `${screen}: page wider than the ${a.viewport} px screen`).toBeLessThanOrEqual(
    a.viewport,
  );
  expect(a.small, `${screen}: controls smaller than ${MIN_TARGET_PX} px`).toEqual([]);
  expect(a.blank, `${screen}: blank buttons drawn`).toBe(0);
  if (opts.qr === true) {
    expect(a.qr, `${screen}: a QR code`).not.toBeNull();
    expect(a.qr ?? 0, `${screen}: QR width`).toBeGreaterThanOrEqual(MIN_QR_SHARE * a.viewport);
  }
}

const pageOf = (app: AppPage) => app.page.raw as Page;

async function phone(name: string, size: { width: number; height: number } = PHONE): Promise<AppPage> {
  const app = await AppPage.open(chromium, server.url, name);
  await pageOf(app).setViewportSize(size);
  return app;
}

/** Taps the button a person would by its name. */
const press = (app: AppPage, name: string | RegExp) =>
  pageOf(app)
    .getByRole('button', { name, exact: typeof name === 'string' })
    .click();

/** The visible buttons with exactly this name. */
const visibleButtons = (app: AppPage, name: string) =>
  pageOf(app).getByRole('button', { name, exact: true }).filter({ visible: true }).count();

async function expectShown(app: AppPage, where: string, shown: string[], notShown: string[]): Promise<void> {
  for (const name of shown) expect(await visibleButtons(app, name), `${where}: "${name}" shown`).toBe(1);
  for (const name of notShown)
    expect(await visibleButtons(app, name), `${where}: "${name}" not shown`).toBe(0);
}

/** The call controls' boxes: all in one row (same top), each inside the screen. */
async function controlsInOneRow(app: AppPage, where: string): Promise<void> {
  const boxes = await pageOf(app)
    .locator('[data-testid="call"] .call-controls')
    .filter({ visible: true })
    .locator('button')
    .filter({ visible: true })
    .evaluateAll((els) => els.map((e) => e.getBoundingClientRect().toJSON() as DOMRect));
  expect(boxes.length, `${where}: call controls`).toBeGreaterThan(1);
  const width = await app.evaluate(() => document.documentElement.clientWidth, undefined);
  for (const b of boxes) {
    expect(Math.round(b.top), `${where}: controls in one row`).toBe(Math.round(boxes[0]?.top ?? 0));
    expect(b.right, `${where}: control inside the screen`).toBeLessThanOrEqual(width);
  }
}

describe('the app on a phone', () => {
  it('home, settings, Start, Join, the answer, chat and files: no sideways scroll, 44 px targets, a wide QR', async () => {
    const a = await phone('A (phone)');
    const b = await phone('B (phone)');
    try {
      await holds(a, 'home');
      await press(a, t('nav.settings'));
      await a.waitScreen('settings');
      await holds(a, 'settings');
      await press(a, `← ${t('nav.back')}`);
      await a.waitScreen('home');

      const offer = await a.start();
      await holds(a, 'Start: the code', { qr: true });
      await press(b, new RegExp(`^${t('home.join')}`));
      await b.waitScreen('join:idle');
      await holds(b, 'Join');
      await b.enterCode(offer);
      const answer = await b.waitAnswerCode();
      await holds(b, 'Join: the answer', { qr: true });
      // The next step is the other device's: reading a new code here is folded away, second.
      await expect.poll(() => pageOf(b).getByText(t('state.answerReady')).isVisible()).toBe(true);
      await expectShown(b, 'the answer screen', [], [t('input.scan'), t('input.submit')]);
      await a.enterCode(answer);
      await Promise.all([a.waitConnected(), b.waitConnected()]);
      await chatBothWays(a, b, 'on phones');
      await holds(a, 'chat');
      // Connected, no call: only what starts one is drawn.
      await expectShown(
        a,
        'chat, no call',
        [t('call.audio'), t('call.video'), t('action.hangup')],
        [t('call.accept'), t('call.decline'), t('call.end'), t('call.switchCamera'), t('call.mute')],
      );
      // "Connected to …" is above the call buttons.
      const connected = await pageOf(a)
        .getByText(/^Connected/)
        .boundingBox();
      const callButton = await pageOf(a)
        .getByRole('button', { name: t('call.audio') })
        .boundingBox();
      expect(connected?.y ?? Infinity).toBeLessThan(callButton?.y ?? 0);
      await pageOf(a).getByText(t('details.title')).click();
      await holds(a, 'chat with the details open');

      const file = await source(dir, 'photo.jpg', 200_000);
      await b.pickFile('files-pick', file.path);
      await waitRow(a, 'the offer', (r) => r.status === 'offered');
      await holds(a, 'a file offered');
      await press(a, t('files.accept'));
      await waitRow(a, 'the file received', (r) => r.status === 'done');
      await holds(a, 'a file received');
      await holds(b, 'a file sent');
    } finally {
      await a.close();
      await b.close();
    }
  });

  for (const size of [PHONE, NARROW]) {
    it(`a call at ${size.width} px: the peer across the width, a small mirrored preview, one row of controls, chat reachable`, async () => {
      const a = await phone('A (phone)', size);
      const b = await phone('B (phone)', size);
      try {
        await pairByText(a, b);
        await press(a, t('call.video'));
        await waitCallPhase(b, 'incoming');
        await holds(b, 'an incoming call');
        await expectShown(
          b,
          'ringing',
          [t('call.accept'), t('call.decline')],
          [t('call.audio'), t('call.video')],
        );
        await press(b, t('call.accept'));
        await Promise.all([waitCallPhase(a, 'active'), waitCallPhase(b, 'active')]);
        await waitRemoteVideoPlays(a);
        await holds(a, 'in a video call');
        await expectShown(
          a,
          'in a video call',
          [t('call.mute'), t('call.cameraOff'), t('call.end')],
          [t('call.audio'), t('call.video'), t('call.accept'), t('call.decline')],
        );
        await controlsInOneRow(a, 'in a video call');
        const remote = pageOf(a)
          .getByRole('region', { name: t('call.title') })
          .locator('video.remote');
        const preview = pageOf(a).locator('video.local');
        const [r, p, width] = await Promise.all([
          remote.boundingBox(),
          preview.boundingBox(),
          a.evaluate(() => document.documentElement.clientWidth, undefined),
        ]);
        expect(r?.width ?? 0, 'the peer across the width').toBeGreaterThanOrEqual(width * 0.85);
        expect(p?.width ?? Infinity, 'a small preview').toBeLessThanOrEqual(width * MAX_PREVIEW_SHARE);
        // In the peer's picture's corner, mirrored.
        expect((p?.x ?? 0) + (p?.width ?? 0)).toBeLessThanOrEqual((r?.x ?? 0) + (r?.width ?? 0));
        expect((p?.y ?? 0) + (p?.height ?? 0)).toBeLessThanOrEqual((r?.y ?? 0) + (r?.height ?? 0) + 1);
        expect(await preview.evaluate((v) => getComputedStyle(v).transform)).toMatch(/^matrix\(-1,/);
        // And it plays (our own camera, not a black box).
        await expect
          .poll(() => preview.evaluate((v) => (v as HTMLVideoElement).currentTime), { timeout: 10_000 })
          .toBeGreaterThan(0);
        // Mute says it is on.
        const mute = pageOf(a).getByRole('button', { name: t('call.mute') });
        expect(await mute.getAttribute('aria-pressed')).toBe('false');
        await mute.click();
        await expect.poll(() => mute.getAttribute('aria-pressed')).toBe('true');
        // The chat is still there: write during the call.
        const box = pageOf(a).getByRole('textbox', { name: t('chat.placeholder') });
        await box.scrollIntoViewIfNeeded();
        expect(await box.isVisible()).toBe(true);
        await a.send('written during the call');
        await b.waitTheirs('written during the call');
        await press(a, t('call.end'));
        await waitCallPhase(b, 'idle');

        // Audio only: who is talking, no black boxes.
        await press(b, t('call.audio'));
        await waitCallPhase(a, 'incoming');
        await press(a, t('call.accept'));
        await waitCallPhase(a, 'active');
        await holds(a, 'in an audio call');
        expect(await pageOf(a).locator('video').filter({ visible: true }).count(), 'videos drawn').toBe(0);
        // The other device's badge carries its name, the one the header shows ("Connected to …").
        const peerName = await pageOf(a).evaluate(
          () => /\u2068(.+?)\u2069/.exec(document.body.textContent ?? '')?.[1] ?? '',
        );
        expect(peerName).not.toBe('');
        await expect.poll(() => pageOf(a).getByText(peerName, { exact: true }).isVisible()).toBe(true);
        expect(await pageOf(a).getByText(t('call.them'), { exact: true }).count()).toBe(0);
        // The fake microphone beeps: the other device's badge lights up while it sounds.
        const them = pageOf(a).locator('.person', { hasText: peerName });
        await expect
          .poll(() => them.getByText(t('call.speaking')).isVisible(), { timeout: 15_000 })
          .toBe(true);
        await expectShown(a, 'in an audio call', [t('call.mute'), t('call.end')], [t('call.cameraOff')]);
        await controlsInOneRow(a, 'in an audio call');
        await press(a, t('call.end'));
        await waitCallPhase(b, 'idle');
        await press(a, t('action.hangup'));
        await a.waitScreen('start:closed');
        await holds(a, 'closed');
      } finally {
        await a.close();
        await b.close();
      }
    });
  }
});
