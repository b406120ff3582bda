// The group's screens for `npm run -s screens` (scripts/screens.ts): A paired with B shows "Add a device" and
// its code; once C joined, each page lists the other two and the one conversation with writers; then a photo
// from C to everyone, listed on each side with the member it went to or came from; then a video call among
// the three (its ring, its tiles, one member muted).
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AppPage,
  CODE_TIMEOUT_MS,
  CONNECT_TIMEOUT_MS,
  MESSAGE_TIMEOUT_MS,
  t,
} from '../test/e2e/harness/app.ts';
import type { BrowserHandle } from '../test/e2e/harness/browsers.ts';
import { fill, pickFiles, press, shownCode, typeCode, waitShown } from '../test/e2e/harness/by-role.ts';
import { ringOf } from '../test/e2e/harness/group.ts';

/** The photo Cy sends to everyone. */
const PHOTO_BYTES = 350_000;

export interface Shooter {
  shoot(app: AppPage, state: string): Promise<void>;
}

async function named(browser: BrowserHandle, url: string, name: string): Promise<AppPage> {
  const app = await AppPage.open(browser, url, name);
  await press(app, t('nav.settings'));
  await fill(app, t('settings.name'), name);
  await press(app, t('settings.save'));
  await waitShown(app, t('settings.saved'));
  await press(app, `← ${t('nav.back')}`);
  return app;
}

export async function groupWalk(cam: Shooter, browser: BrowserHandle, url: string): Promise<void> {
  const [a, b, c] = [
    await named(browser, url, 'Ana’s phone'),
    await named(browser, url, 'Bo'),
    await named(browser, url, 'Cy laptop'),
  ];
  const offer = await a.start();
  const answer = await b.join(offer);
  await a.enterCode(answer);
  await Promise.all([a.waitConnected(), b.waitConnected()]);
  await cam.shoot(a, 'group-pair');
  await press(a, t('group.add'));
  await waitShown(a, t('group.addHint'), CODE_TIMEOUT_MS);
  const addOffer = await shownCode(a);
  await cam.shoot(a, 'group-add-code');
  await press(c, t('home.join'));
  await typeCode(c, addOffer);
  await waitShown(c, t('state.answerReady'), CODE_TIMEOUT_MS);
  await typeCode(a, await shownCode(c));
  try {
    await waitShown(b, new RegExp(`Cy laptop\u2069 · ${t('group.link.up')}`), CONNECT_TIMEOUT_MS);
  } catch (e) {
    for (const p of [a, b, c])
      console.log(
        p.name,
        await p.evaluate(() => document.querySelector('[data-testid="group"]')?.outerHTML, undefined),
        JSON.stringify(await p.peerConnectionEvents()),
        await p.pageErrors(),
      );
    throw e;
  }
  await a.send('Welcome, Cy! This is the group chat.');
  await b.send('Hi both — 你好！');
  await c.send('Thanks, I can see you both.');
  await waitShown(a, 'Thanks, I can see you both.', MESSAGE_TIMEOUT_MS);
  await waitShown(b, 'Thanks, I can see you both.', MESSAGE_TIMEOUT_MS);
  await cam.shoot(a, 'group-chat-introducer');
  await cam.shoot(c, 'group-chat-newcomer');

  // A photo from Cy to everyone: a row per member on Cy's side, "from Cy" on theirs.
  const dir = await mkdtemp(join(tmpdir(), 'pigeon-screens-group-'));
  try {
    const photo = join(dir, 'beach-2026.jpg');
    await writeFile(photo, randomBytes(PHOTO_BYTES));
    await pickFiles(c, [photo]);
    for (const p of [a, b]) await press(p, t('files.accept'), 'button', 'beach-2026.jpg');
    await waitShown(c, t('files.doneOut'), MESSAGE_TIMEOUT_MS);
    await waitShown(a, t('files.doneIn'), MESSAGE_TIMEOUT_MS);
    await cam.shoot(a, 'group-files-in');
    await cam.shoot(c, 'group-files-out');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }

  // A video call among the three: the ring on Bo, then a tile for each member on Ana's phone.
  await press(a, t('call.video'));
  await waitShown(b, t('group.callIncomingVideo', { names: '\u2068Ana’s phone\u2069' }), MESSAGE_TIMEOUT_MS);
  await cam.shoot(b, 'group-call-ringing');
  await press(b, t('call.accept'));
  await waitShown(c, ringOf('group.callIncomingVideo'));
  await press(c, t('call.accept'));
  for (const p of [a, b, c]) await waitShown(p, t('group.callActiveVideo'), MESSAGE_TIMEOUT_MS);
  await a.poll(
    'every tile on Ana’s phone playing',
    () =>
      a.evaluate(
        () =>
          [...document.querySelectorAll('figure video')].filter((v) => (v as HTMLVideoElement).videoWidth > 0)
            .length,
        undefined,
      ),
    (n) => n === 3,
    MESSAGE_TIMEOUT_MS,
  );
  await cam.shoot(a, 'group-call-video');
  await press(c, t('call.mute'));
  await waitShown(a, `\u2068Cy laptop\u2069 · ${t('group.callMuted')}`, MESSAGE_TIMEOUT_MS);
  await cam.shoot(c, 'group-call-muted');
  await press(a, t('group.callLeave'));
  for (const p of [a, b, c]) await p.close();
}
