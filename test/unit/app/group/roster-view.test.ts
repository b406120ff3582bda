// What the UI shows of the group (src/app/group/roster-view.ts): the roster and when "Add a device" is offered.
import { describe, expect, it } from 'vitest';
import { groupView, rosterOf } from '../../../../src/app/group/roster-view.ts';
import { type GroupState, initialGroup, type Member } from '../../../../src/group/index.ts';
import { id } from '../../group/sim.ts';

const A = id('a');
const B = id('b');
const C = id('c');
const D = id('d');

const member = (m: Partial<Member> & Pick<Member, 'id' | 'status'>): Member => ({
  name: '',
  introducedBy: null,
  admitted: false,
  ...m,
});
const withMembers = (...members: Member[]): GroupState => ({ ...initialGroup(A, 'Ana'), members });

describe('group view', () => {
  it('lists members with their link state and the name of who introduced them', () => {
    const s = withMembers(
      member({ id: B, name: 'Bo', status: { kind: 'up', link: 'code:1' } }),
      member({
        id: C,
        name: 'Cy',
        introducedBy: B,
        status: { kind: 'linking', role: 'offerer', relay: B, link: 'in:c' },
      }),
      member({ id: D, name: '', status: { kind: 'gone', reason: 'vanished' } }),
    );
    expect(rosterOf(s)).toEqual([
      { id: B, name: 'Bo', link: 'up', introducedBy: null, words: null, viaVerified: false },
      { id: C, name: 'Cy', link: 'linking', introducedBy: 'Bo', words: null, viaVerified: false },
      { id: D, name: '', link: 'vanished', introducedBy: null, words: null, viaVerified: false },
    ]);
  });

  it("each member shows its link's safety words once they are shown, and only its own", () => {
    const s = withMembers(
      member({ id: B, status: { kind: 'up', link: 'code:1' } }),
      member({ id: C, status: { kind: 'up', link: 'in:c' } }),
    );
    const words = { symbols: [1, 2, 3, 4, 5, 6], confirmed: false, peerConfirmed: false };
    expect(rosterOf(s, new Map([[C, words]])).map((m) => m.words)).toEqual([null, words]);
  });

  it('a member not compared yet, introduced by one both people verified, came through a verified relay', () => {
    const s = withMembers(
      member({ id: B, status: { kind: 'up', link: 'code:1' } }),
      member({ id: C, introducedBy: B, status: { kind: 'up', link: 'in:c' } }),
    );
    const shown = (confirmed: boolean, peerConfirmed: boolean) => ({
      symbols: [1],
      confirmed,
      peerConfirmed,
    });
    const via = (b: ReturnType<typeof shown>, c: ReturnType<typeof shown>) =>
      rosterOf(
        s,
        new Map([
          [B, b],
          [C, c],
        ]),
      ).map((m) => m.viaVerified);
    expect(via(shown(true, true), shown(false, false))).toEqual([false, true]);
    // Verified by only one of the two people: not a verified relay.
    expect(via(shown(true, false), shown(false, false))).toEqual([false, false]);
    // Compared directly: no need for the relay's word.
    expect(via(shown(true, true), shown(true, true))).toEqual([false, false]);
  });

  it('a pair is not yet a group; a second member or a device being added makes it one', () => {
    const pair = withMembers(member({ id: B, status: { kind: 'up', link: 'code:1' } }));
    expect(groupView(pair, [], null, true).active).toBe(false);
    expect(groupView(pair, [], { stage: 'making' }, true).active).toBe(true);
    const three = withMembers(
      member({ id: B, status: { kind: 'up', link: 'code:1' } }),
      member({ id: C, status: { kind: 'up', link: 'add:1' } }),
    );
    expect(groupView(three, [], null, true).active).toBe(true);
  });

  it('"Add a device" needs a peer that takes part in groups and room for one more (4 at most)', () => {
    const pair = withMembers(member({ id: B, status: { kind: 'up', link: 'code:1' } }));
    expect(groupView(pair, [], null, false).canAdd).toBe(false);
    expect(groupView(pair, [], null, true).canAdd).toBe(true);
    const four = withMembers(
      member({ id: B, status: { kind: 'up', link: 'code:1' } }),
      member({ id: C, status: { kind: 'up', link: 'add:1' } }),
      member({ id: D, status: { kind: 'linking', role: 'answerer', relay: B, link: 'in:d' } }),
    );
    expect(groupView(four, [], null, true).canAdd).toBe(false);
    const refused = { ...pair, refused: 'group-full' as const };
    expect(groupView(refused, [], null, true)).toMatchObject({ canAdd: false, refused: true });
  });
});
