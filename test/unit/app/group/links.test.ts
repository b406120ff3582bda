// The group glue with stand-in sessions (src/app/group/links.ts): the group channel is made with the
// connection, before it can carry anything (a message on a stream with no channel yet is lost), and the hello
// goes out once the channel is open and the peer announced groups; what came before it waits.
import { describe, expect, it } from 'vitest';
import { createGroupLinks } from '../../../../src/app/group/links.ts';
import { encodeGroup, GROUP_FEATURE } from '../../../../src/group/index.ts';
import type { SessionState } from '../../../../src/rtc/index.ts';
import { id } from '../../group/sim.ts';
import { connected, type FakeChannel, fakeSession as fake, offerReady } from './fakes.ts';

const A = id('a');
const B = id('b');

/** What a session was asked, and the chat id the group gave it then. */
const asked: { type: string; chatId: string }[] = [];
let chatId: () => string = () => '';
const fakeSession = () => fake((type) => asked.push({ type, chatId: chatId() }));

function setup() {
  const group = createGroupLinks({
    self: A,
    name: () => 'Ana',
    makeSession: () => fakeSession().session,
    linkBase: 'https://pigeon.test/',
  });
  chatId = group.chatId;
  asked.length = 0;
  const fake = fakeSession();
  const follow = (s: SessionState) => {
    fake.set(s);
    group.follow('code:1', fake.session, s);
  };
  return { group, fake, follow };
}

/** A link up with Bo: channel open, both hellos heard. */
function withBo() {
  const { group, fake, follow } = setup();
  follow(offerReady);
  const channel = fake.opened[0]?.channel as FakeChannel;
  channel.fire('open');
  follow(connected([GROUP_FEATURE]));
  channel.fire('message', encodeGroup({ t: 'hello', id: B, name: 'Bo', size: 1 }));
  return group;
}

describe('group links', () => {
  it("makes 'pigeon-group' (negotiated, id 2) once, with the offer, before the connection is up", () => {
    const { fake, follow } = setup();
    follow(offerReady);
    expect(fake.opened.map((o) => [o.label, o.init])).toEqual([
      ['pigeon-group', { negotiated: true, id: 2 }],
    ]);
    follow(connected(null));
    follow(connected([GROUP_FEATURE]));
    expect(fake.opened).toHaveLength(1);
  });

  it('says hello once the channel is open and the peer announced groups; a peer without groups hears nothing', () => {
    const { fake, follow } = setup();
    follow(offerReady);
    const channel = fake.opened[0]?.channel as FakeChannel;
    channel.fire('open');
    follow(connected(['chat']));
    expect(channel.sent).toEqual([]);
    follow(connected(['chat', GROUP_FEATURE]));
    expect(channel.sent.map((m) => JSON.parse(m))).toEqual([
      { v: 1, t: 'hello', id: A, name: 'Ana', size: 1 },
    ]);
  });

  it("the peer's hello that came before ours is kept and makes it a member", () => {
    const { group, fake, follow } = setup();
    follow(offerReady);
    const channel = fake.opened[0]?.channel as FakeChannel;
    channel.fire('open');
    channel.fire('message', encodeGroup({ t: 'hello', id: B, name: 'Bo', size: 1 }));
    expect(group.getView().members).toEqual([]);
    follow(connected([GROUP_FEATURE]));
    expect(group.getView().members).toEqual([
      { id: B, name: 'Bo', link: 'up', introducedBy: null, words: null, viaVerified: false },
    ]);
    expect(group.getView().canAdd).toBe(true);
  });

  it('a link whose peer went silent shows it gone, and back once its connection heals, on the same channel', () => {
    const { group, fake, follow } = setup();
    follow(offerReady);
    const channel = fake.opened[0]?.channel as FakeChannel;
    channel.fire('open');
    const up = connected([GROUP_FEATURE]);
    follow(up);
    const hello = encodeGroup({ t: 'hello', id: B, name: 'Bo', size: 1 });
    channel.fire('message', hello);
    expect(group.getView().members.map((m) => m.link)).toEqual(['up']);
    // Silent long enough for the session to say so: it keeps the connection for a reconnect.
    follow({ kind: 'closed', reason: 'peer-gone', chat: [], resume: up } as unknown as SessionState);
    expect(group.getView().members.map((m) => m.link)).toEqual(['vanished']);
    channel.sent.length = 0;
    follow(up);
    expect(channel.sent.map((t) => JSON.parse(t).t)).toEqual(['hello']);
    channel.fire('message', hello);
    expect(group.getView().members.map((m) => [m.name, m.link])).toEqual([['Bo', 'up']]);
    expect(fake.opened).toHaveLength(1);
  });

  it('a session the controller disposes ends its link: its member shows as left', () => {
    const group = withBo();
    group.drop('code:1');
    expect(group.getView().members.map((m) => m.link)).toEqual(['left']);
  });

  it('a group message goes to every link that is up with one id; text the protocol refuses goes nowhere', () => {
    const group = withBo();
    expect(group.sendChat('   ')).toEqual({ kind: 'empty-text' });
    expect(asked).toEqual([]);
    expect(group.sendChat('hi all')).toBeNull();
    expect(asked.map((a) => a.type)).toEqual(['send-chat']);
    expect(asked[0]?.chatId).toMatch(/^[0-9a-f-]{36}$/);
    // Outside a group message, ids are fresh each time.
    expect(group.chatId()).not.toBe(asked[0]?.chatId);
  });
});
