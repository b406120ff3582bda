// Groups (issue 16, proof 1 as far as it goes): A and B pair with codes; on A, "Add a device" shows a new offer
// code and C (Firefox) joins A with that one exchange; A introduces C to B, and B↔C negotiate their own
// connection with offer and answer relayed over A's group channels, no code carried. Every device then lists
// the other two as connected, and chat from each reaches both others, each message showing who wrote it.
import { describe, expect, it } from 'vitest';
import { AppPage, CODE_TIMEOUT_MS, CONNECT_TIMEOUT_MS, MESSAGE_TIMEOUT_MS, t } from './harness/app.ts';
import { countShown, fill, press, shownCode, typeCode, waitShown } from './harness/by-role.ts';
import { twoOfEach } from './harness/suite.ts';

const suite = twoOfEach();

/** Names are isolated (U+2068…U+2069) where the app shows them, so a right-to-left one keeps its place. */
const shown = (name: string) => `\u2068${name}\u2069`;
const literal = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Settings → this device's name → Save → back (the harness already stored no STUN server). */
async function name(app: AppPage, as: string): Promise<void> {
  await press(app, t('nav.settings'));
  await fill(app, t('settings.name'), as);
  await press(app, t('settings.save'));
  await waitShown(app, t('settings.saved'));
  await press(app, `← ${t('nav.back')}`);
}

/** The roster row of `member` says it is connected. */
const connectedRow = (member: string) =>
  new RegExp(`^${literal(shown(member))} · ${literal(t('group.link.up'))}`);

/** Ours, on the two links it went out on. */
const toBoth = new RegExp(literal(t('group.delivered', { n: 2, m: 2 })));

async function say(app: AppPage, text: string): Promise<void> {
  await fill(app, t('chat.placeholder'), text);
  await press(app, t('chat.send'));
  await waitShown(app, text, MESSAGE_TIMEOUT_MS);
}

/** `reader` shows `text`, and the row it is in names `writer`. */
async function readFrom(reader: AppPage, writer: string, text: string): Promise<void> {
  await waitShown(reader, text, MESSAGE_TIMEOUT_MS);
  expect(
    await countShown(reader, 'text', shown(writer), text),
    `${reader.name}: "${text}" by ${writer}`,
  ).toBe(1);
}

describe('groups', () => {
  it(
    'three devices: C joins A with one exchange, B↔C connect in-band, chat from each reaches both others',
    async () => {
      const a = await AppPage.open(suite.device('chromium', 0), suite.server.url, 'A');
      const b = await AppPage.open(suite.device('chromium', 1), suite.server.url, 'B');
      const c = await AppPage.open(suite.device('firefox', 0), suite.server.url, 'C');
      try {
        await name(a, 'Ana');
        await name(b, 'Bo');
        await name(c, 'Cy');

        // A and B pair with codes, as today.
        await press(a, t('home.start'));
        await waitShown(a, t('state.offerReady'), CODE_TIMEOUT_MS);
        const offer = await shownCode(a);
        await press(b, t('home.join'));
        await typeCode(b, offer);
        await waitShown(b, t('state.answerReady'), CODE_TIMEOUT_MS);
        await typeCode(a, await shownCode(b));
        await Promise.all([a.waitConnected(), b.waitConnected()]);

        // On A, "Add a device": a new offer code; C joins it with one exchange.
        await press(a, t('group.add'));
        await waitShown(a, t('group.addHint'), CODE_TIMEOUT_MS);
        const addOffer = await shownCode(a);
        expect(addOffer).not.toBe(offer);
        await press(c, t('home.join'));
        await typeCode(c, addOffer);
        await waitShown(c, t('state.answerReady'), CODE_TIMEOUT_MS);
        await typeCode(a, await shownCode(c));
        await c.waitConnected();

        // Nobody carries anything more: B and C are introduced by A and connect in-band.
        await Promise.all([
          waitShown(a, connectedRow('Bo'), CONNECT_TIMEOUT_MS),
          waitShown(a, connectedRow('Cy'), CONNECT_TIMEOUT_MS),
          waitShown(b, connectedRow('Ana'), CONNECT_TIMEOUT_MS),
          waitShown(b, connectedRow('Cy'), CONNECT_TIMEOUT_MS),
          waitShown(c, connectedRow('Ana'), CONNECT_TIMEOUT_MS),
          waitShown(c, connectedRow('Bo'), CONNECT_TIMEOUT_MS),
        ]);
        await waitShown(b, new RegExp(literal(t('group.introducedBy', { name: shown('Ana') }))));
        // B's and C's own connection: one more RTCPeerConnection each, connected.
        for (const side of [b, c]) {
          const pcs = await side.peerConnections();
          expect(
            pcs.filter((p) => p.connectionState === 'connected'),
            side.name,
          ).toHaveLength(2);
        }

        // Chat from each reaches both others, with its writer; the writer sees it delivered to both.
        const lines: [AppPage, string, string][] = [
          [a, 'Ana', 'hello from Ana on Chromium'],
          [b, 'Bo', 'hello from Bo on Chromium'],
          [c, 'Cy', 'hello from Cy on Firefox 你好'],
        ];
        for (const [from, writer, text] of lines) {
          await say(from, text);
          for (const [reader] of lines) if (reader !== from) await readFrom(reader, writer, text);
          await from.poll(
            `"${text}" delivered to both`,
            () => countShown(from, 'text', toBoth, text),
            (n) => n === 1,
            MESSAGE_TIMEOUT_MS,
          );
        }
      } catch (e) {
        for (const side of [a, b, c])
          console.log(
            side.name,
            await side.evaluate(
              () => document.querySelector('[data-testid="group"]')?.outerHTML ?? 'no group',
              undefined,
            ),
            await side.pageErrors(),
            JSON.stringify(await side.peerConnections()),
            JSON.stringify(await side.peerConnectionEvents()),
          );
        throw e;
      } finally {
        await a.close();
        await b.close();
        await c.close();
      }
    },
    6 * CONNECT_TIMEOUT_MS,
  );
});
