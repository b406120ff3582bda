// The group's one conversation from each link's chat (src/app/group/chat.ts).
import { describe, expect, it } from 'vitest';
import { mergeChat } from '../../../../src/app/group/chat.ts';
import type { ChatEntry } from '../../../../src/rtc/index.ts';

const mine = (id: string, text: string, ts: number, delivered: boolean): ChatEntry => ({
  from: 'me',
  id,
  text,
  ts,
  status: delivered ? 'delivered' : 'pending',
});
const theirs = (id: string, text: string, receivedAt: number): ChatEntry => ({
  from: 'peer',
  id,
  text,
  ts: 0,
  receivedAt,
});

describe('mergeChat', () => {
  it('a message of ours sent on two links is one entry, delivered on as many links as acknowledged it', () => {
    const merged = mergeChat([
      { member: 'b', name: 'Bo', chat: [mine('m1', 'hi all', 10, true)] },
      { member: 'c', name: 'Cy', chat: [mine('m1', 'hi all', 10, false)] },
    ]);
    expect(merged).toEqual([
      { key: 'm1', mine: true, writer: '', text: 'hi all', at: 10, delivered: 1, of: 2 },
    ]);
  });

  it("theirs carry their link's member as writer, and two members' equal ids stay two messages", () => {
    const merged = mergeChat([
      { member: 'b', name: 'Bo', chat: [theirs('x', 'from Bo', 20)] },
      { member: 'c', name: 'Cy', chat: [theirs('x', 'from Cy', 15)] },
    ]);
    expect(merged.map((e) => [e.writer, e.text, e.key])).toEqual([
      ['Cy', 'from Cy', 'c:x'],
      ['Bo', 'from Bo', 'b:x'],
    ]);
  });

  it('orders by time (ours when written, theirs when received), equal times in the order first seen', () => {
    const merged = mergeChat([
      { member: 'b', name: 'Bo', chat: [theirs('1', 'second', 20), mine('m', 'first', 5, true)] },
      { member: 'c', name: 'Cy', chat: [theirs('1', 'third', 20)] },
    ]);
    expect(merged.map((e) => e.text)).toEqual(['first', 'second', 'third']);
  });

  it('a link with an empty chat adds nothing', () => {
    expect(mergeChat([{ member: 'b', name: 'Bo', chat: [] }])).toEqual([]);
  });
});
