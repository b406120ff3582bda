// The group's code loads lazily (src/app/group/lazy.ts): until it is in, only the group channel is made, with
// the connection; what the peer sends on it waits, and reaches the roster once the code has loaded.
import { describe, expect, it } from 'vitest';
import type { LoadGroup } from '../../../../src/app/group/lazy.ts';
import { lazyGroupLinks, loadGroup } from '../../../../src/app/group/lazy.ts';
import { encodeGroup, GROUP_FEATURE } from '../../../../src/group/index.ts';
import { id } from '../../group/sim.ts';
import { connected, type FakeChannel, fakeSession, offerReady } from './fakes.ts';

const A = id('a');
const B = id('b');

/** A loader the test releases when it wants the code "downloaded". */
function heldLoader() {
  let release: () => void = () => undefined;
  const gate = new Promise<void>((r) => {
    release = r;
  });
  let calls = 0;
  const load: LoadGroup = async () => {
    calls += 1;
    await gate;
    return loadGroup();
  };
  return { load, release: () => release(), calls: () => calls };
}

function setup(load: LoadGroup) {
  const group = lazyGroupLinks(
    {
      self: A,
      name: () => 'Ana',
      makeSession: () => fakeSession().session,
      linkBase: 'https://pigeon.test/',
    },
    load,
  );
  const fake = fakeSession();
  const follow = (s: Parameters<typeof fake.set>[0]) => {
    fake.set(s);
    group.follow('code:1', fake.session, s);
  };
  return { group, fake, follow };
}

describe('lazy group code', () => {
  it('loads nothing for a session without a connection, and starts loading with the offer', () => {
    const loader = heldLoader();
    const { fake, follow } = setup(loader.load);
    follow({ kind: 'idle' });
    expect(loader.calls()).toBe(0);
    expect(fake.opened).toEqual([]);
    follow(offerReady);
    expect(loader.calls()).toBe(1);
    expect(fake.opened.map((o) => [o.label, o.init])).toEqual([
      ['pigeon-group', { negotiated: true, id: 2 }],
    ]);
  });

  it("the peer's hello that came before the code did reaches the roster once it is in", async () => {
    const loader = heldLoader();
    const { group, fake, follow } = setup(loader.load);
    follow(offerReady);
    const channel = fake.opened[0]?.channel as FakeChannel;
    channel.fire('open');
    follow(connected([GROUP_FEATURE]));
    channel.fire('message', encodeGroup({ t: 'hello', id: B, name: 'Bo', size: 1 }));
    expect(group.getView().members).toEqual([]);
    const views: unknown[] = [];
    group.subscribe((v) => views.push(v));
    loader.release();
    await expect
      .poll(() => group.getView().members)
      .toEqual([{ id: B, name: 'Bo', link: 'up', introducedBy: null, words: null, viaVerified: false }]);
    expect(views.length).toBeGreaterThan(0);
    // Our hello went out on the same channel: no second channel was made.
    expect(fake.opened).toHaveLength(1);
    // Our hello, then (we made the offer: the peer joined us) the roster we hold.
    const sent = channel.sent.map((m) => JSON.parse(m));
    expect(sent[0]).toEqual({ v: 1, t: 'hello', id: A, name: 'Ana', size: 1 });
    expect(sent.map((m) => m.t)).toEqual(['hello', 'roster']);
    expect(group.getView().canAdd).toBe(true);
  });

  it('a session dropped before the code came leaves nothing behind', async () => {
    const loader = heldLoader();
    const { group, follow } = setup(loader.load);
    follow(offerReady);
    group.drop('code:1');
    loader.release();
    await expect.poll(() => group.getView().possible).toBe(false);
    expect(group.getView().members).toEqual([]);
  });

  it('without the code (offline, nothing cached) a pair goes on: no roster, fresh chat ids', async () => {
    const { group, follow } = setup(() => Promise.reject(new Error('offline')));
    follow(offerReady);
    follow(connected([GROUP_FEATURE]));
    await Promise.resolve();
    expect(group.getView().active).toBe(false);
    expect(group.takeAnswer('anything')).toBe(false);
    expect(group.chatId()).not.toBe(group.chatId());
  });
});
