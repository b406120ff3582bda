import { describe, expect, it } from 'vitest';
import {
  addLocal,
  addRemote,
  EMPTY_CHAT,
  MAX_CHAT_LOG_ENTRIES,
  markDelivered,
} from '../../../src/rtc/model/chat.ts';

describe('chat log', () => {
  it('adds local messages as pending and marks them delivered on ack', () => {
    const log = addLocal(EMPTY_CHAT, 'a', 'hello', 10);
    expect(log).toEqual([{ from: 'me', id: 'a', text: 'hello', ts: 10, status: 'pending' }]);
    const acked = markDelivered(log, 'a');
    expect(acked).toEqual([{ from: 'me', id: 'a', text: 'hello', ts: 10, status: 'delivered' }]);
    expect(log[0]).toMatchObject({ status: 'pending' }); // the old log is not mutated
  });

  it('ignores acks for unknown, remote or already delivered ids (same array back)', () => {
    const log = addRemote(addLocal(EMPTY_CHAT, 'a', 'mine', 1), 'b', 'theirs', 2, 3);
    expect(markDelivered(log, 'zzz')).toBe(log);
    expect(markDelivered(log, 'b')).toBe(log);
    const once = markDelivered(log, 'a');
    expect(markDelivered(once, 'a')).toBe(once);
  });

  it('keeps remote messages with both clocks, once per id', () => {
    const log = addRemote(EMPTY_CHAT, 'r', 'hi', 100, 250);
    expect(log).toEqual([{ from: 'peer', id: 'r', text: 'hi', ts: 100, receivedAt: 250 }]);
    expect(addRemote(log, 'r', 'hi again', 101, 260)).toBe(log);
    // A remote id equal to one of ours is a different message.
    expect(addRemote(addLocal(EMPTY_CHAT, 'r', 'mine', 1), 'r', 'theirs', 2, 3)).toHaveLength(2);
  });

  it('drops the oldest entries beyond the cap', () => {
    let log = EMPTY_CHAT;
    for (let i = 0; i < MAX_CHAT_LOG_ENTRIES + 5; i++) log = addRemote(log, `m${i}`, 'x', i, i);
    expect(log).toHaveLength(MAX_CHAT_LOG_ENTRIES);
    expect(log[0]?.id).toBe('m5');
    expect(log.at(-1)?.id).toBe(`m${MAX_CHAT_LOG_ENTRIES + 4}`);
  });
});
