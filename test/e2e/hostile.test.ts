// A hostile peer (issue 14, in-band protocol): the test plays the other device on its page's own data channels
// and sends what no Pigeon would — garbage, oversized and out-of-state messages, a chat flood written as markup,
// a flood of file offers. The app under attack (Chromium) stays usable: it says the peer is too fast, shows
// markup as text, keeps its chat and file lists bounded, and a normal message both ways still arrives.
import { describe, expect, it } from 'vitest';
import { MAX_CHAT_LOG_ENTRIES } from '../../src/rtc/index.ts';
import { CHAT_BURST } from '../../src/rtc/model/chat-rate.ts';
import { MAX_PENDING_OFFERS } from '../../src/transfer/offer-rate.ts';
import { AppPage, MESSAGE_TIMEOUT_MS, t } from './harness/app.ts';
import { waitShown } from './harness/by-role.ts';
import { rows } from './harness/files.ts';
import { chromiumAndFirefox } from './harness/suite.ts';

const suite = chromiumAndFirefox();
const FLOOD = 500;
const OFFERS = 400;
/** Long enough for the chat allowance to let a normal message through again (5 a second). */
const CALM_MS = 1_000;

/** In the hostile page: sends the whole attack on its open control and files channels; returns what it sent. */
function attack({ flood, offers }: { flood: number; offers: number }): number {
  const probe = (window as unknown as { __pigeonProbe: { channels: RTCDataChannel[] } }).__pigeonProbe;
  const open = (label: string) => {
    const ch = probe.channels.find((c) => c.label === label && c.readyState === 'open');
    if (ch === undefined) throw new Error(`no open channel ${label}`);
    return ch;
  };
  const control = open('pigeon');
  const files = open('pigeon-files');
  let seed = 14;
  const random = () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  const junk = (n: number) =>
    Array.from({ length: n }, () => String.fromCharCode(32 + random() * 95)).join('');
  let sent = 0;
  const send = (ch: RTCDataChannel, data: string | ArrayBuffer) => {
    ch.send(data as string);
    sent++;
  };
  const json = (ch: RTCDataChannel, m: unknown) => send(ch, JSON.stringify(m));
  // Garbage, oversized text, and messages that are well formed but make no sense now.
  for (let i = 0; i < 200; i++) send(control, junk(1 + ((i * 37) % 700)));
  send(control, `{"v":1,"t":"chat","id":"big","text":"${'x'.repeat(100_000)}","ts":1}`);
  for (const m of [
    { v: 1, t: 'pong' },
    { v: 1, t: 'ack', id: 'never-sent' },
    { v: 1, t: 'hello', app: 'y'.repeat(10_000), features: Array(1_000).fill('z') },
    { v: 1, t: 'nonsense' },
    { v: 99, t: 'from-the-future', data: [1, 2, 3] },
    { v: 1, t: 'chat', id: 7, text: ['not', 'text'] },
    { t: 'chat' },
    [1, 2, 3],
    null,
  ])
    json(control, m);
  send(control, new Uint8Array(4_096).fill(0xff).buffer);
  // A chat flood, each message written as markup that would run if it were ever parsed as HTML.
  for (let i = 0; i < flood; i++)
    json(control, {
      v: 1,
      t: 'chat',
      id: `flood-${i}`,
      text: `<img src=x onerror="window.__pwned=1"> #${i}`,
      ts: Date.now(),
    });
  // The files channel: garbage, a stray chunk, answers to offers never made, then a flood of offers.
  for (let i = 0; i < 50; i++) send(files, junk(1 + i * 13));
  send(files, new Uint8Array(2_000).fill(7).buffer);
  for (const t of ['accept', 'cancel', 'ack', 'decline'])
    json(files, { v: 1, t, id: 'never-offered', offset: 0, reason: 'cancelled' });
  for (let i = 0; i < offers; i++)
    json(files, {
      v: 1,
      t: 'offer',
      id: `o${i}`,
      n: i,
      name: `<img src=x onerror="window.__pwned=1">f${i}.txt`,
      size: 10,
      type: 'text/plain',
    });
  return sent;
}

describe('a hostile peer', () => {
  it('floods and garbage on both channels: the app says so, shows text as text, stays bounded and usable', async () => {
    const hostile = await AppPage.open(suite.firefox, suite.server.url, 'hostile');
    const app = await AppPage.open(suite.chromium, suite.server.url, 'app');
    try {
      await app.enterCode(await hostile.join(await app.start()));
      await Promise.all([app.waitConnected(), hostile.waitConnected()]);
      /** Chromium's JS heap in use (the app page's), for the note. */
      const heap = () =>
        app.evaluate(
          () =>
            (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize ?? 0,
          undefined,
        );
      const heapBefore = await heap();
      const sent = await hostile.evaluate(attack, { flood: FLOOD, offers: OFFERS });

      // The person is told, and the flood's markup is text.
      await waitShown(app, t('chat.limited'), MESSAGE_TIMEOUT_MS);
      await waitShown(app, t('files.offersLimited'), MESSAGE_TIMEOUT_MS);
      const shown = (await app.messages()).filter((m) => !m.mine);
      expect(shown.length).toBeGreaterThanOrEqual(CHAT_BURST);
      expect(shown.length).toBeLessThan(FLOOD);
      expect(shown.length).toBeLessThanOrEqual(MAX_CHAT_LOG_ENTRIES);
      for (const m of shown) expect(m.markupInText, m.text).toBe(0);
      expect(shown[0]?.text).toMatch(/^<img src=x onerror="window.__pwned=1"> #\d+$/);
      expect(await app.evaluate(() => 'pwned' in window || '__pwned' in window, undefined)).toBe(false);
      const offered = (await rows(app)).filter((r) => r.status === 'offered');
      expect(offered.length).toBeLessThanOrEqual(MAX_PENDING_OFFERS);
      // Offered names are the peer's text made safe for a file name, never markup.
      expect(offered.every((r) => /f\d+/.test(r.name))).toBe(true);
      const markupInNames = await app.evaluate(
        () => document.querySelectorAll('[data-testid="transfer-name"] *').length,
        undefined,
      );
      expect(markupInNames).toBe(0);

      // Still usable both ways once the peer calms down.
      await new Promise((r) => setTimeout(r, CALM_MS));
      await app.send('still here');
      await hostile.waitTheirs('still here');
      await hostile.send('a normal message');
      await app.waitTheirs('a normal message');
      expect(await app.pageErrors()).toEqual([]);
      const heapAfter = await heap();
      console.log(
        `hostile: ${sent} messages sent; the app shows ${shown.length} of ${FLOOD} flood messages and ` +
          `${offered.length} of ${OFFERS} offers (shown as ${JSON.stringify(offered[0]?.name)}); JS heap ${(heapBefore / 2 ** 20).toFixed(1)} → ` +
          `${(heapAfter / 2 ** 20).toFixed(1)} MiB`,
      );
    } finally {
      await app.close();
      await hostile.close();
    }
  }, 120_000);
});
