// The group's conversation as chat entries (src/ui/screens/group-chat.ts): an unchanged message keeps its entry
// object, so the keyed log rebuilds only the rows that changed.
import { describe, expect, it } from 'vitest';
import type { GroupChatEntry } from '../../../src/app/group/chat.ts';
import { groupLog } from '../../../src/ui/screens/group-chat.ts';

const ours = (delivered: number): GroupChatEntry => ({
  key: 'm1',
  mine: true,
  writer: '',
  text: 'hi',
  at: 1,
  delivered,
  of: 2,
});
const theirs: GroupChatEntry = {
  key: 'b:1',
  mine: false,
  writer: 'Bo',
  text: 'yo',
  at: 2,
  delivered: 0,
  of: 0,
};

describe('groupLog', () => {
  it('ours is delivered once every link acknowledged it; theirs knows its writer', () => {
    const g = groupLog();
    const [one, two] = g.log([ours(1), theirs]);
    expect(one).toMatchObject({ from: 'me', status: 'pending' });
    expect(two).toMatchObject({ from: 'peer', text: 'yo' });
    expect(two && g.row(two)).toEqual({ writer: 'Bo', delivered: 0, of: 0 });
    expect(g.log([ours(2), theirs])[0]).toMatchObject({ status: 'delivered' });
  });

  it('an unchanged message keeps its entry, and an unchanged list is the same list', () => {
    const g = groupLog();
    const first = g.log([ours(1), theirs]);
    const again = g.log([ours(1), { ...theirs }]);
    expect(again).toBe(first);
    const ticked = g.log([ours(2), theirs]);
    expect(ticked[1]).toBe(first[1]);
    expect(ticked[0]).not.toBe(first[0]);
  });
});
