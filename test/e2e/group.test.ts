// Groups (issue 16, proofs 1, 2 and 3): A and B pair with codes; on A, "Add a device" shows a new offer
// code and C (Firefox) joins A with that one exchange; A introduces C to B, and B↔C negotiate their own
// connection with offer and answer relayed over A's group channels, no code carried. Every device then lists
// the other two as connected, and chat from each reaches both others, each message showing who wrote it.
// Then C's page is closed: A and B show it gone within 15 s (proof 2's bound) and keep chatting; or A, who
// introduced C, hangs up, and B and C carry on over their own link. Files: 10 MB from C to everyone arrive
// whole on A and B; a file for one member reaches that one only.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AppPage, CONNECT_TIMEOUT_MS, MESSAGE_TIMEOUT_MS, openedApps, t } from './harness/app.ts';
import { countShown, nameDevice, pickFiles, press, waitShown } from './harness/by-role.ts';
import { downloadedSha256, recordObjectUrls, type Source, source, waitRow } from './harness/files.ts';
import {
  add,
  connectedRow,
  diagnose,
  literal,
  meshUp,
  pair,
  readFrom,
  say,
  shown,
  toBoth,
  withGroup,
} from './harness/group.ts';
import { twoOfEach } from './harness/suite.ts';

const suite = twoOfEach();

/** The safety words `side`'s roster shows for its link with `member`, as the row reads them. */
function wordsWith(side: AppPage, member: string): Promise<string> {
  const read = ({ name, label }: { name: string; label: string }) => {
    const row = [...document.querySelectorAll('li')].find((li) => li.textContent?.startsWith(name));
    const parts = [...(row?.querySelectorAll('span') ?? [])].map((el) => el.textContent ?? '');
    const line = parts.find((l) => l.startsWith(label));
    return line?.slice(label.length).trim() ?? '';
  };
  const label = t('group.words', { words: '' });
  return side.poll(
    `${side.name}: the safety words with ${member}`,
    () => side.evaluate(read, { name: shown(member), label }),
    (w) => w !== '',
    MESSAGE_TIMEOUT_MS,
  );
}

/** A member's row says it is gone: it left (bye) or went silent. */
const goneRow = (member: string) =>
  new RegExp(
    `^${literal(shown(member))} · (${literal(t('group.link.left'))}|${literal(t('group.link.vanished'))})`,
  );
/** A member's row says its link could not be made. */
const failedRow = (member: string) =>
  new RegExp(`^${literal(shown(member))} · ${literal(t('group.link.failed'))}`);
const MB = 1024 * 1024;
/** A 10 MB file over loopback between two of three devices, on a shared machine. */
const TRANSFER_TIMEOUT_MS = 120_000;

/** `reader` is offered `file` by `writer` (its row names it), accepts it, and holds the source's bytes. */
async function receives(reader: AppPage, writer: string, file: Source): Promise<void> {
  const offered = await waitRow(
    reader,
    `${reader.name}: the offer of ${file.name}`,
    (r) => r.name === file.name,
  );
  expect(
    await countShown(
      reader,
      'text',
      new RegExp(literal(t('files.from', { name: shown(writer) }))),
      file.name,
    ),
  ).toBe(1);
  await press(reader, t('files.accept'), 'button', file.name);
  await waitRow(
    reader,
    `${reader.name}: ${file.name} received`,
    (r) => r.id === offered.id && r.status === 'done',
    TRANSFER_TIMEOUT_MS,
  );
  expect(await reader.evaluate(downloadedSha256, offered.id), `${reader.name}: ${file.name}`).toBe(
    file.sha256,
  );
}

/** How soon the others must show a closed page as gone (issue 16, proof 2). */
const GONE_WITHIN_MS = 15_000;

/** The two left show `gone` gone within the bound, each other still connected, and chat both ways. */
async function carryOn(gone: string, [p, pName]: [AppPage, string], [q, qName]: [AppPage, string]) {
  await Promise.all([
    waitShown(p, goneRow(gone), GONE_WITHIN_MS),
    waitShown(q, goneRow(gone), GONE_WITHIN_MS),
  ]);
  await Promise.all([waitShown(p, connectedRow(qName)), waitShown(q, connectedRow(pName))]);
  await say(p, `${gone} has gone, ${qName}`);
  await readFrom(q, pName, `${gone} has gone, ${qName}`);
  await say(q, `still here, ${pName}`);
  await readFrom(p, qName, `still here, ${pName}`);
}

describe('groups', () => {
  it(
    'three devices: C joins A with one exchange, B↔C connect in-band, chat from each reaches both others',
    () =>
      withGroup(suite, async (a, b, c) => {
        // The safety panel steps aside in a group: the roster shows every link's words, this one's among them.
        for (const side of [a, b, c])
          expect(await countShown(side, 'text', t('safety.title')), side.name).toBe(0);
        // Every link has its own words, the same on its two ends: B↔C's were committed end to end through A.
        const bc = await wordsWith(b, 'Cy');
        expect(await wordsWith(c, 'Bo')).toBe(bc);
        const ab = await wordsWith(a, 'Bo');
        expect(await wordsWith(b, 'Ana')).toBe(ab);
        expect(await wordsWith(c, 'Ana')).toBe(await wordsWith(a, 'Cy'));
        expect(bc.split(' · ')).toHaveLength(6);
        expect(bc).not.toBe(ab);
        // People compare them in the roster. A and B first: then Cy, not compared yet, came to B through Ana,
        // whom B's person verified; once B and C compare theirs, their link is verified by people too.
        // A roster row is found by its member's name, as a person looks for it (before any chat names them).
        const row = (member: string) => shown(member);
        /** `side`'s roster row for `member` shows `text`. */
        const says = (side: AppPage, member: string, text: string) =>
          side.poll(
            `${side.name}: "${text}" for ${member}`,
            () => countShown(side, 'text', text, row(member)),
            (n) => n === 1,
            MESSAGE_TIMEOUT_MS,
          );
        await press(a, t('safety.match'), 'button', row('Bo'));
        await press(b, t('safety.match'), 'button', row('Ana'));
        await Promise.all([says(a, 'Bo', t('group.verified')), says(b, 'Ana', t('group.verified'))]);
        await waitShown(b, new RegExp(literal(t('group.viaVerified', { name: shown('Ana') }))));
        await press(b, t('safety.match'), 'button', row('Cy'));
        await says(b, 'Cy', t('group.confirmedWaiting'));
        await press(c, t('safety.match'), 'button', row('Bo'));
        await Promise.all([says(b, 'Cy', t('group.verified')), says(c, 'Bo', t('group.verified'))]);
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
      }),
    6 * CONNECT_TIMEOUT_MS,
  );

  it(
    'a 10 MB file from C to everyone arrives on A and B with its hash; one for Bo alone reaches only B',
    async () => {
      const dir = await mkdtemp(join(tmpdir(), 'pigeon-group-files-'));
      try {
        await withGroup(suite, async (a, b, c) => {
          for (const side of [a, b]) await side.evaluate(recordObjectUrls, undefined);
          const ten = await source(dir, 'ten-for-everyone.bin', 10 * MB);
          // "Send files…" in a group offers to everyone: one pick, a transfer on each link.
          await waitShown(c, t('files.everyone'));
          await pickFiles(c, [ten.path]);
          await Promise.all([receives(a, 'Cy', ten), receives(b, 'Cy', ten)]);
          // C lists it twice, once per member, each delivered.
          for (const to of ['Ana', 'Bo'])
            await waitShown(c, new RegExp(literal(t('files.to', { name: shown(to) }))));
          await c.poll(
            'both sends confirmed',
            async () => (await countShown(c, 'text', t('files.doneOut'), ten.name)) === 2,
            (done) => done,
            TRANSFER_TIMEOUT_MS,
          );

          // "Send files to Bo…" by Bo's name: B is offered it, A never is.
          const one = await source(dir, 'only-for-bo.txt', 2_000);
          await pickFiles(c, [one.path], t('group.sendFiles', { name: shown('Bo') }));
          await receives(b, 'Cy', one);
          expect(await countShown(a, 'text', one.name)).toBe(0);
          expect(
            await countShown(c, 'text', new RegExp(literal(t('files.to', { name: shown('Ana') }))), one.name),
          ).toBe(0);
        });
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
    6 * CONNECT_TIMEOUT_MS,
  );

  it(
    "C's page is closed: A and B show it gone within 15 s and keep chatting",
    () =>
      withGroup(suite, async (a, b, c) => {
        await c.close();
        await carryOn('Cy', [a, 'Ana'], [b, 'Bo']);
      }),
    6 * CONNECT_TIMEOUT_MS,
  );

  it(
    'A, who introduced C, hangs up: B and C show it left and keep chatting over their own link',
    () =>
      withGroup(suite, async (a, b, c) => {
        await press(a, t('action.hangup'));
        await carryOn('Ana', [b, 'Bo'], [c, 'Cy']);
      }),
    6 * CONNECT_TIMEOUT_MS,
  );

  it(
    "four devices, D joining through B: the full mesh (6 links) is up; B's page is closed and the other three show it gone within 15 s and keep chatting",
    async () => {
      const d = await AppPage.open(suite.device('firefox', 1), suite.server.url, 'D');
      try {
        await withGroup(suite, async (a, b, c) => {
          await nameDevice(d, 'Di');
          await add(b, d, '');
          // D carried one exchange, with B; A and C are introduced to it by B.
          await meshUp([
            [a, 'Ana'],
            [b, 'Bo'],
            [c, 'Cy'],
            [d, 'Di'],
          ]);
          await waitShown(a, new RegExp(literal(t('group.introducedBy', { name: shown('Bo') }))));
          // Full: a fifth is not offered ("Add a device" is gone on every member).
          for (const side of [a, b, c, d])
            expect(await countShown(side, 'button', t('group.add')), side.name).toBe(0);

          // B joined D to the group and is closed; D keeps chatting with A and C over its in-band links.
          await b.close();
          await Promise.all([a, c, d].map((side) => waitShown(side, goneRow('Bo'), GONE_WITHIN_MS)));
          await say(d, 'Bo has gone; Di here');
          await readFrom(a, 'Di', 'Bo has gone; Di here');
          await readFrom(c, 'Di', 'Bo has gone; Di here');
          await say(a, 'Ana still here');
          await readFrom(c, 'Ana', 'Ana still here');
          await readFrom(d, 'Ana', 'Ana still here');
        });
      } catch (e) {
        await diagnose([d]);
        throw e;
      } finally {
        if (openedApps.has(d)) await d.close();
      }
    },
    8 * CONNECT_TIMEOUT_MS,
  );

  it(
    'a relay that tampers with the descriptions it relays: the link it relays fails visibly, nothing else breaks',
    async () => {
      const a = await AppPage.open(suite.device('chromium', 0), suite.server.url, 'A');
      const b = await AppPage.open(suite.device('chromium', 1), suite.server.url, 'B');
      const c = await AppPage.open(suite.device('firefox', 0), suite.server.url, 'C');
      try {
        await nameDevice(a, 'Ana');
        await nameDevice(b, 'Bo');
        await nameDevice(c, 'Cy');
        const offer = await pair(a, b);
        // A forwards B's and C's descriptions with the first byte of each DTLS fingerprint changed (the
        // envelope still parses: only the peer's certificate check can notice).
        await a.evaluate(() => {
          const w = window as unknown as { pigeonTestRelay: (raw: string) => string; tampered: number };
          w.tampered = 0;
          w.pigeonTestRelay = (raw) =>
            raw.replace(/(a=fingerprint:sha-256 )([0-9A-F]{2})/, (_m, p: string, hex: string) => {
              w.tampered += 1;
              return `${p}${hex === '00' ? '11' : '00'}`;
            });
        }, undefined);
        await add(a, c, offer);
        // B and C were introduced, and their link, made with what A relayed, fails on both.
        await Promise.all([
          waitShown(b, failedRow('Cy'), CONNECT_TIMEOUT_MS),
          waitShown(c, failedRow('Bo'), CONNECT_TIMEOUT_MS),
        ]);
        expect(
          await a.evaluate(() => (window as unknown as { tampered: number }).tampered, undefined),
        ).toBeGreaterThanOrEqual(1);
        // Nothing else broke: A's two links are up, and A's chat reaches both, theirs reach A.
        await waitShown(a, connectedRow('Bo'));
        await waitShown(a, connectedRow('Cy'));
        await waitShown(b, connectedRow('Ana'));
        await waitShown(c, connectedRow('Ana'));
        await say(a, 'one relay, two links');
        await readFrom(b, 'Ana', 'one relay, two links');
        await readFrom(c, 'Ana', 'one relay, two links');
        await say(b, 'Bo to Ana');
        await readFrom(a, 'Bo', 'Bo to Ana');
        await say(c, 'Cy to Ana');
        await readFrom(a, 'Cy', 'Cy to Ana');
      } catch (e) {
        await diagnose([a, b, c]);
        throw e;
      } finally {
        for (const side of [a, b, c]) if (openedApps.has(side)) await side.close();
      }
    },
    6 * CONNECT_TIMEOUT_MS,
  );
});
