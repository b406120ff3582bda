// The group's one conversation from each link's own chat (docs/groups.md: a message goes out on every link
// with one id). Pure: the links' logs in, one list out, each entry with its writer and, for ours, on how many
// links it was delivered.

import type { ChatLog } from '../../rtc/index.ts';

export interface LinkChat {
  /** The member at the other end of the link (names the writer of its messages). */
  readonly member: string;
  readonly name: string;
  readonly chat: ChatLog;
}

export interface GroupChatEntry {
  /** Unique in the list: ours by message id, theirs by member and message id. */
  readonly key: string;
  readonly mine: boolean;
  /** The writer's name; '' for ours (the UI says "You"). */
  readonly writer: string;
  readonly text: string;
  /** Ours: when written; theirs: when received (the sender's clock may be skewed). */
  readonly at: number;
  /** Ours: links that acknowledged it, of the links it went out on. Theirs: 0 of 0. */
  readonly delivered: number;
  readonly of: number;
}

interface Mine {
  text: string;
  at: number;
  delivered: number;
  of: number;
  first: number;
}

/** One list, oldest first; a message of ours sent on several links is one entry. */
export function mergeChat(links: readonly LinkChat[]): GroupChatEntry[] {
  const mine = new Map<string, Mine>();
  const theirs: GroupChatEntry[] = [];
  let order = 0;
  const orderOf = new Map<string, number>();
  for (const link of links) {
    for (const e of link.chat) {
      if (e.from === 'me') {
        const known = mine.get(e.id);
        const delivered = e.status === 'delivered' ? 1 : 0;
        if (known === undefined) {
          mine.set(e.id, { text: e.text, at: e.ts, delivered, of: 1, first: order++ });
        } else {
          known.delivered += delivered;
          known.of += 1;
        }
        continue;
      }
      const key = `${link.member}:${e.id}`;
      if (orderOf.has(key)) continue;
      orderOf.set(key, order++);
      theirs.push({
        key,
        mine: false,
        writer: link.name,
        text: e.text,
        at: e.receivedAt,
        delivered: 0,
        of: 0,
      });
    }
  }
  const ours: GroupChatEntry[] = [...mine].map(([id, m]) => {
    orderOf.set(id, m.first);
    return { key: id, mine: true, writer: '', text: m.text, at: m.at, delivered: m.delivered, of: m.of };
  });
  // By time, and in the order first seen where times are equal (so the list never shuffles on a redraw).
  return [...ours, ...theirs].sort(
    (x, y) => x.at - y.at || (orderOf.get(x.key) ?? 0) - (orderOf.get(y.key) ?? 0),
  );
}
