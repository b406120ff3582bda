// A group's links survive a network change as a pair's does (issue 16: restarts per link): A, B and C (three
// Chromium pages) in a group made through the app; the address A's links use is taken away and another one
// given, as when a phone's Wi-Fi hands it a new address. Every link comes back by itself (each its own ICE
// restart, or a new connection over its own channel), nobody carries a code, the roster keeps everyone
// connected, and what each wrote during the outage reaches both others once, delivered to both.
import { afterEach, describe, expect, it } from 'vitest';
import { type AppPage, t } from './harness/app.ts';
import { countShown } from './harness/by-role.ts';
import { connectedRow, say, shown, toBoth, withGroup } from './harness/group.ts';
import { type MovedAddress, moveAddress, type SelectedPair, selectedPairs } from './harness/network.ts';
import { RECOVERY_TIMEOUT_MS } from './harness/outage.ts';
import { twoOfEach } from './harness/suite.ts';

// As network.test: raw host addresses (the moved one is found by its number; mDNS names hide it), and the
// camera grant a page in a call has, without which Chromium gathers on the default route's interface only
// (then no other path is left to restart over).
const suite = twoOfEach({ rawIp: true, media: true });
/** Three devices grouped through the app, then an outage each of the three links recovers from. */
const TEST_MS = 300_000;

let undo: (() => Promise<void>) | undefined;
afterEach(async () => {
  await undo?.();
  undo = undefined;
});

/** `reader` shows `text` exactly once, in a row naming `writer`. */
async function readOnce(reader: AppPage, writer: string, text: string): Promise<void> {
  await reader.poll(
    `${reader.name}: "${text}" from ${writer}, once`,
    () => countShown(reader, 'text', shown(writer), text),
    (n) => n === 1,
    RECOVERY_TIMEOUT_MS,
  );
  expect(await countShown(reader, 'text', text)).toBe(1);
}

describe('a group across a network change', () => {
  it(
    'the address in use moves: every link comes back by itself and chat from the outage reaches everyone once',
    () =>
      withGroup(
        suite,
        async (a, b, c) => {
          // A's two links, each on its own pair of addresses (often the same one).
          const paths = await selectedPairs(a);
          expect(paths.map((p) => p.local === '')).toEqual([false, false]);
          const path = paths[0] ?? { local: '', remote: '' };
          const moved: MovedAddress = await moveAddress(path.local);
          undo = moved.restore;
          const changed = Date.now();
          const lines: [AppPage, string, string][] = [
            [a, 'Ana', 'Ana during the outage'],
            [b, 'Bo', 'Bo during the outage'],
            [c, 'Cy', 'Cy during the outage'],
          ];
          for (const [from, , text] of lines) await say(from, text);
          for (const [from, writer, text] of lines) {
            for (const [reader] of lines) if (reader !== from) await readOnce(reader, writer, text);
            await from.poll(
              `"${text}" delivered to both`,
              () => countShown(from, 'text', toBoth, text),
              (n) => n === 1,
              RECOVERY_TIMEOUT_MS,
            );
          }
          const recovered = Date.now() - changed;
          for (const [side] of lines)
            for (const [other, name] of lines)
              if (other !== side)
                expect(await countShown(side, 'text', connectedRow(name)), `${side.name} → ${name}`).toBe(1);
          const now = await selectedPairs(a);
          const listed = (ps: readonly SelectedPair[]) => ps.map((p) => `${p.local}↔${p.remote}`).join(', ');
          console.info(
            `measure: address moved ${moved.from} → ${moved.to}: A's paths ${listed(paths)} → ${listed(now)}; ` +
              `chat from the outage on all six ways ${recovered} ms after the change`,
          );
          expect(now).toHaveLength(2);
          for (const p of now) expect(p.local).not.toBe(moved.from);
          // Nothing to carry by hand: every screen is the group's, connected to both others (a lost link's
          // screen would offer its reconnect code instead).
          for (const [side] of lines)
            expect(await countShown(side, 'text', t('group.header', { count: 2 })), side.name).toBe(1);
        },
        // Chromium only, as network.test: Firefox drops its connection when its address goes (README), and a
        // lost link of a group is not yet re-made through another member (docs/groups.md).
        'chromium',
      ),
    TEST_MS,
  );
});
