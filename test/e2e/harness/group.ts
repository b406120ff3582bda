// Driving a group as people do (issue 16; test/e2e/group.test.ts, scripts/bench-group.ts): pairing by codes,
// "Add a device" with one exchange, and waiting until every device lists every other as connected.
import { expect } from 'vitest';
import { AppPage, CODE_TIMEOUT_MS, CONNECT_TIMEOUT_MS, MESSAGE_TIMEOUT_MS, openedApps, t } from './app.ts';
import type { BrowserKind } from './browsers.ts';
import { countShown, fill, nameDevice, press, shownCode, typeCode, waitShown } from './by-role.ts';
import type { FourDeviceSuite } from './suite.ts';

/** Names are isolated (U+2068…U+2069) where the app shows them, so a right-to-left one keeps its place. */
export const shown = (name: string) => `\u2068${name}\u2069`;
export const literal = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The roster row of `member` says it is connected. */
export const connectedRow = (member: string) =>
  new RegExp(`^${literal(shown(member))} · ${literal(t('group.link.up'))}`);

/** Ours, on the two links it went out on (of three devices). */
export const toBoth = new RegExp(literal(t('group.delivered', { n: 2, m: 2 })));

/** `app` writes `text` in the chat and sends it. */
export async function say(app: AppPage, text: string): Promise<void> {
  await fill(app, t('chat.placeholder'), text);
  await press(app, t('chat.send'));
  await waitShown(app, text, MESSAGE_TIMEOUT_MS);
}

/** `reader` shows `text`, and the row it is in names `writer`. */
export async function readFrom(reader: AppPage, writer: string, text: string): Promise<void> {
  await waitShown(reader, text, MESSAGE_TIMEOUT_MS);
  expect(
    await countShown(reader, 'text', shown(writer), text),
    `${reader.name}: "${text}" by ${writer}`,
  ).toBe(1);
}

/** The ring of a group call, whoever calls (their names as the app lists them). */
export const ringOf = (key: 'group.callIncomingAudio' | 'group.callIncomingVideo') =>
  new RegExp(`^${literal(t(key, { names: 'NAMES' })).replace('NAMES', '.+')}$`);

/** A and B pair with codes, as today. */
export async function pair(a: AppPage, b: AppPage): Promise<string> {
  await press(a, t('home.start'));
  await waitShown(a, t('state.offerReady'), CODE_TIMEOUT_MS);
  const offer = await shownCode(a);
  await press(b, t('home.join'));
  await typeCode(b, offer);
  await waitShown(b, t('state.answerReady'), CODE_TIMEOUT_MS);
  await typeCode(a, await shownCode(b));
  await Promise.all([a.waitConnected(), b.waitConnected()]);
  return offer;
}

/** On `member`, "Add a device": a new offer code (not `earlier`); `newcomer` joins it with one exchange. */
export async function add(member: AppPage, newcomer: AppPage, earlier: string): Promise<void> {
  await press(member, t('group.add'));
  await waitShown(member, t('group.addHint'), CODE_TIMEOUT_MS);
  const addOffer = await shownCode(member);
  expect(addOffer).not.toBe(earlier);
  await press(newcomer, t('home.join'));
  await typeCode(newcomer, addOffer);
  await waitShown(newcomer, t('state.answerReady'), CODE_TIMEOUT_MS);
  await typeCode(member, await shownCode(newcomer));
  await newcomer.waitConnected();
}

/** Every device lists every other as connected, on its own RTCPeerConnection each. */
export async function meshUp(members: readonly [AppPage, string][]): Promise<void> {
  await Promise.all(
    members.flatMap(([side], i) =>
      members.flatMap(([, other], j) =>
        i === j ? [] : [waitShown(side, connectedRow(other), CONNECT_TIMEOUT_MS)],
      ),
    ),
  );
  for (const [side] of members) {
    const pcs = await side.peerConnections();
    expect(
      pcs.filter((p) => p.connectionState === 'connected'),
      side.name,
    ).toHaveLength(members.length - 1);
  }
}

/** Ana, Bo and Cy, as every test here names them. */
export async function nameThree(a: AppPage, b: AppPage, c: AppPage): Promise<void> {
  await nameDevice(a, 'Ana');
  await nameDevice(b, 'Bo');
  await nameDevice(c, 'Cy');
}

/** Names set; A and B paired by codes; C added on A with one exchange; the mesh up on every device. */
export async function makeGroup(a: AppPage, b: AppPage, c: AppPage): Promise<void> {
  await nameThree(a, b, c);
  const offer = await pair(a, b);
  await add(a, c, offer);
  // Nobody carries anything more: B and C are introduced by A and connect in-band.
  await meshUp([
    [a, 'Ana'],
    [b, 'Bo'],
    [c, 'Cy'],
  ]);
  await waitShown(b, new RegExp(literal(t('group.introducedBy', { name: shown('Ana') }))));
}

/** What each page still open shows of the group and its connections, for a failure's log. */
export async function diagnose(pages: readonly AppPage[]): Promise<void> {
  for (const side of pages) {
    if (!openedApps.has(side)) continue;
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
  }
}

/** Three devices as in every test here: two Chromiums and a Firefox (the newcomer), named, in a group. */
export const withGroup = (
  suite: FourDeviceSuite,
  run: (a: AppPage, b: AppPage, c: AppPage) => Promise<void>,
  newcomer: BrowserKind = 'firefox',
): Promise<void> =>
  withThree(
    suite,
    async (a, b, c) => {
      await makeGroup(a, b, c);
      await run(a, b, c);
    },
    newcomer,
  );

/** The three devices' pages, open, shown in a failure's log and closed after `run`. */
export async function withThree(
  suite: FourDeviceSuite,
  run: (a: AppPage, b: AppPage, c: AppPage) => Promise<void>,
  newcomer: BrowserKind = 'firefox',
): Promise<void> {
  const a = await AppPage.open(suite.device('chromium', 0), suite.server.url, 'A');
  const b = await AppPage.open(suite.device('chromium', 1), suite.server.url, 'B');
  // A Chromium newcomer is a page of its own on A's browser (its own storage and connections).
  const c = await AppPage.open(suite.device(newcomer, 0), suite.server.url, 'C');
  try {
    await run(a, b, c);
  } catch (e) {
    await diagnose([a, b, c]);
    throw e;
  } finally {
    // A test may have closed a page itself (its checks were collected then).
    for (const side of [a, b, c]) if (openedApps.has(side)) await side.close();
  }
}
