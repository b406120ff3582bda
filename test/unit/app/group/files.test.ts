// Files in a group (src/app/group/files.ts with src/app/files.ts): each link the group made has its own engine;
// the person's list is the controller's session's transfers and theirs, each row naming its member; "to
// everyone" offers on every link that is up, "to one" on that member's link only, and an intent about one
// transfer goes to the engine that has it.
import { describe, expect, it } from 'vitest';
import { createFiles } from '../../../../src/app/files.ts';
import { createGroupFiles, type UpMember } from '../../../../src/app/group/files.ts';
import type { MemberId } from '../../../../src/group/index.ts';
import type { Session, SessionState } from '../../../../src/rtc/index.ts';
import { fakeManager, transfer } from '../fake-manager.ts';

const session = { openChannel: () => null, remoteSdp: () => null } as unknown as Session;
const CONNECTED = { kind: 'connected' } as SessionState;
const file = (name: string) => new File([name], name);
const member = (id: string) => id as MemberId;

/** The controller's session reaches Bo (link code:1); the group made links to Cy and Di. */
function setup(
  up: UpMember[] = [
    { id: member('bo'), link: 'code:1' },
    { id: member('cy'), link: 'in:cy' },
    { id: member('di'), link: 'in:di' },
  ],
) {
  const names: Record<string, string> = { 'code:1': 'Bo', 'in:cy': 'Cy', 'in:di': 'Di' };
  const engines = new Map<string, ReturnType<typeof fakeManager>>();
  let making = '';
  const group = createGroupFiles(
    () => up,
    (link) => names[link] ?? '',
    () => 'code:1',
    () => {
      const fake = fakeManager();
      engines.set(making, fake);
      return createFiles({ manager: fake.manager, estimate: null, showSaveFilePicker: null });
    },
  );
  for (const link of ['in:cy', 'in:di']) {
    making = link;
    group.follow(link, session, CONNECTED);
  }
  const own = fakeManager();
  const files = createFiles({ manager: own.manager, estimate: null, showSaveFilePicker: null, more: group });
  files.follow(session, CONNECTED);
  const engine = (link: string) => {
    const e = engines.get(link);
    if (e === undefined) throw new Error(`no engine for ${link}`);
    return e;
  };
  return { files, own, engine };
}

describe('files in a group', () => {
  it('to everyone: offered on every link that is up, the controller’s session among them', () => {
    const { files, own, engine } = setup();
    files.dispatch({ type: 'send', files: [file('photo.jpg')] });
    expect(own.sent).toEqual([['photo.jpg']]);
    expect(engine('in:cy').sent).toEqual([['photo.jpg']]);
    expect(engine('in:di').sent).toEqual([['photo.jpg']]);
  });

  it('to one member: only on its link', () => {
    const { files, own, engine } = setup();
    files.dispatch({ type: 'send', files: [file('for-cy.txt')], to: 'cy' });
    expect(engine('in:cy').sent).toEqual([['for-cy.txt']]);
    expect(engine('in:di').sent).toEqual([]);
    expect(own.sent).toEqual([]);
    files.dispatch({ type: 'send', files: [file('for-bo.txt')], to: 'bo' });
    expect(own.sent).toEqual([['for-bo.txt']]);
    expect(engine('in:cy').sent).toEqual([['for-cy.txt']]);
    // A member who is not up (gone, or never was) gets nothing, and nobody else gets it instead.
    files.dispatch({ type: 'send', files: [file('for-nobody.txt')], to: 'zed' });
    expect([own.sent, engine('in:cy').sent, engine('in:di').sent].flat()).not.toContainEqual([
      'for-nobody.txt',
    ]);
  });

  it('a member gone is not sent to; outside a group the controller’s session is the one link', () => {
    const { files, own, engine } = setup([{ id: member('cy'), link: 'in:cy' }]);
    files.dispatch({ type: 'send', files: [file('a')] });
    expect(engine('in:cy').sent).toEqual([['a']]);
    expect(engine('in:di').sent).toEqual([]);
    expect(own.sent).toEqual([]);
    const alone = setup([]);
    alone.files.dispatch({ type: 'send', files: [file('b')] });
    expect(alone.own.sent).toEqual([['b']]);
  });

  it('every row names its member; an intent about a transfer reaches the engine that has it', () => {
    const { files, own, engine } = setup();
    own.setTransfers([transfer({ id: 't-bo' })]);
    engine('in:cy').setTransfers([transfer({ id: 't-cy' })]);
    engine('in:di').setTransfers([transfer({ id: 't-di', direction: 'out', status: 'sending' })]);
    const rows = files.getState().transfers.map((t) => [t.id, t.peer, t.direction]);
    expect(rows).toEqual([
      ['t-bo', 'Bo', 'in'],
      ['t-cy', 'Cy', 'in'],
      ['t-di', 'Di', 'out'],
    ]);
    files.dispatch({ type: 'decline', id: 't-cy' });
    files.dispatch({ type: 'cancel', id: 't-di' });
    files.dispatch({ type: 'decline', id: 't-bo' });
    expect(engine('in:cy').asked).toEqual(['decline:t-cy']);
    expect(engine('in:di').asked).toEqual(['cancel:t-di']);
    expect(own.asked).toEqual(['decline:t-bo']);
  });

  it('"Save all" counts what arrived on every link', () => {
    const { files, own, engine } = setup();
    const done = (id: string) => transfer({ id, status: 'done', bytes: 3, blob: new Blob(['abc']) });
    own.setTransfers([done('from-bo')]);
    engine('in:cy').setTransfers([done('from-cy')]);
    engine('in:di').setTransfers([transfer({ id: 'still-coming', status: 'receiving' })]);
    expect(files.getState().zippable).toBe(2);
  });
});
