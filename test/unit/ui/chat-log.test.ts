// The chat log follows the session's log incrementally (issue 14, hole 7): one new message builds one row, a
// delivery tick rebuilds one, entries dropped off the front leave; never all 2,000 rows per message.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AppState } from '../../../src/app/controller.ts';
import { NO_GROUP } from '../../../src/app/group/view.ts';
import {
  addLocal,
  addRemote,
  type ChatLog,
  EMPTY_CHAT,
  MAX_CHAT_LOG_ENTRIES,
  markDelivered,
} from '../../../src/rtc/model/chat.ts';
import { translator } from '../../../src/ui/i18n/index.ts';
import { conversation } from '../../../src/ui/screens/chat.ts';
import { type FakeElement, fakeDocument } from './fake-dom.ts';

/**
 * Elements one message row is built from (li, who, text, meta, its hidden status, the Copy button and its
 * note): a bound for one row, against the ~9,000 a rebuild of the whole log made.
 */
const ELEMENTS_PER_ROW = 7;

let dom: ReturnType<typeof fakeDocument>;
let restore: () => void;
beforeEach(() => {
  dom = fakeDocument();
  restore = dom.install();
});
afterEach(() => restore());

const stateWith = (chat: ChatLog) =>
  ({ session: { kind: 'connected', chat }, chatError: null, group: NO_GROUP }) as unknown as AppState;

function mount() {
  const talk = conversation({ send: () => undefined, t: translator('en') });
  const list = (talk.el as unknown as FakeElement).firstChild as FakeElement;
  const show = (log: ChatLog) => {
    const before = dom.created();
    talk.update(stateWith(log));
    return dom.created() - before;
  };
  const shown = () => list.childNodes.map((li) => li.textContent);
  return { show, shown };
}

/** What a fresh screen shows for the same log: the incremental rows must read the same. */
function rendered(log: ChatLog): string[] {
  const m = mount();
  m.show(log);
  return m.shown();
}

function longLog(n: number): ChatLog {
  let log = EMPTY_CHAT;
  for (let i = 0; i < n; i++)
    log = i % 2 === 0 ? addLocal(log, `m${i}`, `mine ${i}`, i) : addRemote(log, `p${i}`, `theirs ${i}`, i, i);
  return log;
}

describe('chat log rendering', () => {
  it('a message arriving in a full log builds one row, not the whole log', () => {
    const { show, shown } = mount();
    let log = longLog(MAX_CHAT_LOG_ENTRIES);
    show(log);
    log = addRemote(log, 'new', 'hello', 1, 1);
    expect(log.length).toBe(MAX_CHAT_LOG_ENTRIES);
    expect(show(log)).toBeLessThanOrEqual(ELEMENTS_PER_ROW);
    expect(shown()).toEqual(rendered(log));
    expect(shown().at(-1)).toContain('hello');
  });

  it('a delivery tick rebuilds only its row, in place; an unchanged log builds nothing', () => {
    const { show, shown } = mount();
    let log = longLog(100);
    show(log);
    log = markDelivered(log, 'm50');
    expect(show(log)).toBeLessThanOrEqual(ELEMENTS_PER_ROW);
    expect(shown()).toEqual(rendered(log));
    expect(shown()[50]).toContain('✓✓');
    expect(show([...log])).toBe(0);
  });

  it('a peer id equal to one of ours is its own row', () => {
    const { show, shown } = mount();
    const log = addRemote(addLocal(EMPTY_CHAT, 'x', 'mine', 1), 'x', 'theirs', 2, 2);
    show(log);
    expect(shown()).toHaveLength(2);
    expect(shown()).toEqual(rendered(log));
  });
});
