// The group's one conversation as the chat log's entries, so the chat screen draws it as it draws a pair's:
// an unchanged message keeps its entry object (its row is not rebuilt), and each row knows its writer.

import type { GroupChatEntry } from '../../app/group/chat.ts';
import type { ChatEntry, ChatLog } from '../../rtc/index.ts';

export interface GroupRow {
  /** The writer's name; '' for ours. */
  readonly writer: string;
  readonly delivered: number;
  readonly of: number;
}

export interface GroupLog {
  log(chat: readonly GroupChatEntry[]): ChatLog;
  /** The group facts of an entry `log` made; undefined for a pair's. */
  row(e: ChatEntry): GroupRow | undefined;
}

export function groupLog(): GroupLog {
  const made = new Map<string, { readonly from: GroupChatEntry; readonly entry: ChatEntry }>();
  const rows = new WeakMap<ChatEntry, GroupRow>();
  let last: { readonly chat: readonly GroupChatEntry[]; readonly log: ChatLog } | null = null;
  const same = (a: GroupChatEntry, b: GroupChatEntry) =>
    a.text === b.text && a.delivered === b.delivered && a.of === b.of && a.writer === b.writer;
  return {
    log(chat) {
      if (last?.chat === chat) return last.log;
      const log = chat.map((g) => {
        const had = made.get(g.key);
        if (had !== undefined && same(had.from, g)) return had.entry;
        const entry: ChatEntry = g.mine
          ? {
              from: 'me',
              id: g.key,
              text: g.text,
              ts: g.at,
              status: g.delivered === g.of ? 'delivered' : 'pending',
            }
          : { from: 'peer', id: g.key, text: g.text, ts: g.at, receivedAt: g.at };
        made.set(g.key, { from: g, entry });
        rows.set(entry, { writer: g.writer, delivered: g.delivered, of: g.of });
        return entry;
      });
      // The same list while nothing changed, so the screen redraws nothing.
      const unchanged =
        last !== null && last.log.length === log.length && log.every((e, i) => e === last?.log[i]);
      const result = unchanged && last !== null ? last.log : log;
      last = { chat, log: result };
      return result;
    },
    row: (e) => rows.get(e),
  };
}
