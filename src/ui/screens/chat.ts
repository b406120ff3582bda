// The conversation: messages with time and delivery ticks, a copy button each, a composer, hang up. Text only:
// a peer's message is always a text node, never markup, and a link in it is never made clickable or opened.

import type { AppState } from '../../app/controller.ts';
import { type ChatEntry, type ChatLog, MAX_CHAT_CHARS } from '../../rtc/index.ts';
import { h, replace } from '../dom.ts';
import { fileDropZone } from '../drop.ts';
import { isolate } from '../i18n/index.ts';
import type { Screen, ScreenContext } from '../screen.ts';
import { filesPanel } from './files.ts';
import { type GroupRow, groupLog } from './group-chat.ts';

const TIME = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
/** How long "Copied" stays after a copy. */
export const COPIED_SHOWN_MS = 2_000;

type CopyNote = 'chat.copied' | 'chat.copyFailed';
/**
 * What each message's copy said, and until when, by message: the log is redrawn whenever it changes (a tick,
 * a new message), and a "Copied" must outlive that.
 */
type CopyNotes = Map<string, { readonly key: CopyNote; readonly until: number }>;

/** One tap puts the message's text on the clipboard; a short "Copied" (or why not) follows it. */
function copyButton(e: ChatEntry, notes: CopyNotes, { t }: ScreenContext): HTMLElement[] {
  const said = h('span', { class: 'copied', role: 'status' });
  const id = `${e.from}:${e.id}`;
  const text = e.text;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const display = (key: CopyNote, until: number) => {
    replace(said, t(key));
    clearTimeout(timer);
    timer = setTimeout(() => replace(said), until - Date.now());
  };
  const show = (key: CopyNote) => {
    const until = Date.now() + COPIED_SHOWN_MS;
    notes.set(id, { key, until });
    display(key, until);
  };
  const earlier = notes.get(id);
  if (earlier !== undefined && earlier.until > Date.now()) display(earlier.key, earlier.until);
  const copy = () => {
    // Absent outside a secure context (plain http on a LAN): say so rather than fail silently.
    const clipboard = globalThis.navigator?.clipboard;
    if (clipboard === undefined) return show('chat.copyFailed');
    clipboard.writeText(text).then(
      () => show('chat.copied'),
      () => show('chat.copyFailed'),
    );
  };
  return [
    h(
      'button',
      { type: 'button', class: 'copy', 'aria-label': t('chat.copy'), onclick: copy },
      t('chat.copyShort'),
    ),
    said,
  ];
}

/** group: in a group, who wrote it (shown on theirs) and on how many links ours arrived. */
function entry(
  e: ChatEntry,
  ctx: ScreenContext,
  notes: CopyNotes = new Map(),
  group?: GroupRow,
): HTMLElement {
  const { t } = ctx;
  const mine = e.from === 'me';
  const time = TIME.format(mine ? e.ts : e.receivedAt);
  const status = mine ? t(e.status === 'delivered' ? 'chat.delivered' : 'chat.sent') : null;
  const writer = group === undefined || mine ? null : group.writer || t('group.unnamed');
  const reach =
    group !== undefined && mine ? ` · ${t('group.delivered', { n: group.delivered, m: group.of })}` : null;
  return h(
    'li',
    {
      class: mine ? 'msg mine' : 'msg theirs',
      'data-testid': mine ? 'msg-mine' : 'msg-theirs',
      'data-status': mine ? e.status : null,
    },
    writer === null
      ? h('span', { class: 'visually-hidden' }, `${t(mine ? 'chat.you' : 'chat.peer')}: `)
      : h('span', { class: 'writer' }, isolate(writer)),
    h('span', { class: 'text' }, e.text),
    h(
      'span',
      { class: 'meta' },
      time,
      status ? ` · ${mine && e.status === 'delivered' ? '✓✓' : '✓'}` : null,
      reach,
      status ? h('span', { class: 'visually-hidden' }, ` ${status}`) : null,
      ' ',
      ...copyButton(e, notes, ctx),
    ),
  );
}

/** A row's key: ids are unique per writer, and a peer may pick one of ours, so the key says who wrote it. */
const keyOf = (e: ChatEntry): string => `${e.from}:${e.id}`;

/**
 * Keeps `list`'s rows equal to the log, touching only what changed: a new message adds one row, a delivery tick
 * rebuilds one, entries dropped off the front leave. The log's entries are immutable, so an unchanged entry is
 * the same object (rtc/model/chat.ts); building all 2,000 rows on every message blocked the page.
 */
export function keyedRows(list: HTMLElement, render: (e: ChatEntry) => HTMLElement): (log: ChatLog) => void {
  let rows = new Map<string, { readonly entry: ChatEntry; readonly el: HTMLElement }>();
  return (log) => {
    const next = new Map<string, { readonly entry: ChatEntry; readonly el: HTMLElement }>();
    for (const entry of log) {
      const key = keyOf(entry);
      const had = rows.get(key);
      if (had !== undefined && had.entry === entry) {
        next.set(key, had);
        continue;
      }
      const row = { entry, el: render(entry) };
      had?.el.replaceWith(row.el);
      next.set(key, row);
    }
    for (const [key, row] of rows) if (!next.has(key)) row.el.remove();
    // In log order; rows already in place are stepped over, so an append moves nothing.
    let cursor = list.firstChild;
    for (const { el } of next.values()) {
      if (el === cursor) cursor = cursor.nextSibling;
      else list.insertBefore(el, cursor);
    }
    rows = next;
  };
}

export function chatLog(log: ChatLog, ctx: ScreenContext): HTMLElement {
  return h(
    'ol',
    { class: 'chat-log', 'aria-label': ctx.t('chat.log'), 'aria-live': 'polite', 'data-testid': 'chat-log' },
    ...log.map((e) => entry(e, ctx)),
  );
}

/**
 * What a state's chat is: the group's one conversation, the live session's, or an ended one's (still readable,
 * maybe still growing).
 */
function logOf(state: AppState, group: ReturnType<typeof groupLog>): ChatLog {
  if (state.group.active) return group.log(state.group.chat);
  const s = state.session;
  return s.kind === 'connected' || s.kind === 'closed' ? s.chat : [];
}

/**
 * The log that follows the state's chat, and the composer. Also under a session waiting to be carried on:
 * what is written there goes out once it is (none lost, none doubled: rtc/link/live.ts).
 */
export function conversation(ctx: ScreenContext): Screen {
  const { t, send } = ctx;
  const list = h('ol', {
    class: 'chat-log',
    'aria-label': t('chat.log'),
    'aria-live': 'polite',
    'data-testid': 'chat-log',
  });
  const error = h('p', { class: 'error', role: 'alert', 'data-testid': 'chat-error' });
  const limited = h('p', { class: 'muted', role: 'status' });
  const input = h('textarea', {
    rows: 2,
    placeholder: t('chat.placeholder'),
    'aria-label': t('chat.placeholder'),
    'data-testid': 'chat-input',
    maxlength: MAX_CHAT_CHARS * 2,
  });
  const form = h(
    'form',
    { class: 'composer' },
    input,
    h('button', { type: 'submit', class: 'primary', 'data-testid': 'chat-send' }, t('chat.send')),
  );
  const draft = ctx.draft ?? { value: '' };
  input.value = draft.value;
  // An error about the text goes once the person changes the text (state keeps it until the next send).
  let errorShown: AppState['chatError'] = null;
  input.addEventListener('input', () => {
    draft.value = input.value;
    draft.dismissed = errorShown;
    replace(error);
  });
  const sendNow = () => {
    if (input.value.trim() === '') return replace(error, t('chat.empty'));
    send({ type: 'send-chat', text: input.value });
  };
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    sendNow();
  });
  // Enter sends, Shift+Enter is a new line: what people expect from chat apps with a keyboard.
  input.addEventListener('keydown', (ev) => {
    if (ev.key === 'Enter' && !ev.shiftKey && !ev.isComposing) {
      ev.preventDefault();
      sendNow();
    }
  });
  // A message's "Copied" note outlives its row being rebuilt (a delivery tick).
  const notes: CopyNotes = new Map();
  const group = groupLog();
  const showLog = keyedRows(list, (e) => entry(e, ctx, notes, group.row(e)));
  let shown: ChatLog | null = null;
  return {
    el: h('div', { class: 'conversation' }, list, limited, error, form),
    update(state: AppState) {
      const log = logOf(state, group);
      if (log !== shown) {
        const atBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 40;
        for (const [id, note] of notes) if (note.until <= Date.now()) notes.delete(id);
        showLog(log);
        if (atBottom) list.scrollTop = list.scrollHeight;
        const sentNow = shown !== null && log.length > shown.length && log[log.length - 1]?.from === 'me';
        if (sentNow) {
          input.value = '';
          draft.value = '';
        }
        shown = log;
      }
      const flooded = state.session.kind === 'connected' && state.session.chatLimited === true;
      if (flooded !== (limited.textContent !== '')) replace(limited, flooded ? t('chat.limited') : '');
      errorShown = state.chatError;
      const e = state.chatError === draft.dismissed ? null : state.chatError;
      if (e?.kind === 'text-too-long') replace(error, t('chat.tooLong', { max: MAX_CHAT_CHARS }));
      else if (e?.kind === 'empty-text') replace(error, t('chat.empty'));
      else replace(error);
    },
    dispose() {},
  };
}

export function chatScreen(header: HTMLElement, ctx: ScreenContext): Screen {
  const { t, send } = ctx;
  const talk = conversation(ctx);
  const hangup = h(
    'button',
    { type: 'button', class: 'danger', 'data-testid': 'hangup', onclick: () => send({ type: 'hangup' }) },
    t('action.hangup'),
  );
  const files = filesPanel(ctx);
  const el = h('div', { class: 'chat' }, header, talk.el, files.el, hangup);
  // Files dropped anywhere on the chat are offered like picked ones.
  const undrop = fileDropZone(el, (dropped) =>
    send({ type: 'files', intent: { type: 'send', files: dropped } }),
  );
  return {
    el,
    update(state: AppState) {
      talk.update(state);
      files.update(state);
    },
    dispose() {
      undrop();
      files.dispose();
    },
  };
}
