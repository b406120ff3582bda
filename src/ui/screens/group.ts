// The group on the chat screen (docs/groups.md): its members with their link state and who introduced them,
// and "Add a device": a new offer code, then the newcomer's answer read in, beside the live conversation.

import type { AppState } from '../../app/controller.ts';
import type { Adding, RosterEntry } from '../../app/group/view.ts';
import { SAFETY_SYMBOLS } from '../../rtc/index.ts';
import { h, replace } from '../dom.ts';
import { isolate, type MessageKey } from '../i18n/index.ts';
import type { Screen, ScreenContext } from '../screen.ts';
import { codePanel } from './code-panel.ts';
import { fileButton } from './file-button.ts';
import { type InputPanel, inputPanel } from './input-panel.ts';

/** "Send files to Bo…": files for that member only (app/group/files.ts). */
function sendTo(m: RosterEntry, name: string, { t, send }: ScreenContext): HTMLElement {
  return fileButton(t('group.sendFiles', { name }), (files) =>
    send({ type: 'files', intent: { type: 'send', files, to: m.id } }),
  );
}

/**
 * The link's safety words, as the safety panel names them, for the two people to compare, and where that
 * stands: "They match" / "They differ" until this device's person answered, then whether the other did.
 */
function words(m: RosterEntry, { t, send, locale }: ScreenContext): HTMLElement[] {
  const w = m.words;
  if (w === null) return [];
  const zh = locale === 'zh-CN';
  const named = w.symbols.map((i) => {
    const s = SAFETY_SYMBOLS[i];
    return `${s?.emoji ?? '?'} ${(zh ? s?.zh : s?.en) ?? ''}`;
  });
  const line = h('span', { class: 'member-words muted' }, t('group.words', { words: named.join(' · ') }));
  const compare = (match: boolean) =>
    h(
      'button',
      {
        type: 'button',
        class: match ? '' : 'danger',
        onclick: () => send({ type: 'group-words', member: m.id, match }),
      },
      t(match ? 'safety.match' : 'safety.differ'),
    );
  if (!w.confirmed) {
    const via = m.viaVerified && m.introducedBy !== null;
    const note = via ? t('group.viaVerified', { name: isolate(m.introducedBy || t('group.unnamed')) }) : '';
    return [
      line,
      h('span', { class: 'member-words' }, compare(true), ' ', compare(false), note ? ` ${note}` : ''),
    ];
  }
  return [
    line,
    h(
      'span',
      { class: 'member-words', role: 'status' },
      t(w.peerConfirmed ? 'group.verified' : 'group.confirmedWaiting'),
    ),
  ];
}

function member(m: RosterEntry, ctx: ScreenContext): HTMLElement {
  const { t } = ctx;
  // Names come from other devices: display text already (group/wire.ts), set as text, isolated.
  const name = isolate(m.name || t('group.unnamed'));
  const by =
    m.introducedBy === null
      ? ''
      : ` · ${t('group.introducedBy', { name: isolate(m.introducedBy || t('group.unnamed')) })}`;
  return h(
    'li',
    { class: 'member', 'data-link': m.link },
    h('span', { class: 'name' }, name),
    h('span', { class: 'meta' }, ` · ${t(`group.link.${m.link}`)}${by}`),
    m.link === 'up' ? sendTo(m, name, ctx) : null,
    ...(m.link === 'up' ? words(m, ctx) : []),
  );
}

/** The key of what the adding part shows: rebuilt only when it changes, so typed text and camera survive. */
const addingKey = (a: Adding | null): string =>
  a === null ? '' : a.stage === 'offer' ? `offer:${a.code.text}` : a.stage;

export function groupPanel(ctx: ScreenContext): Screen {
  const { t, send } = ctx;
  const roster = h('ul', { class: 'roster', 'aria-label': t('group.roster') });
  const refused = h('p', { class: 'error', role: 'alert' });
  const adding = h('div', { class: 'stack' });
  const add = h('button', { type: 'button', onclick: () => send({ type: 'group-add' }) }, t('group.add'));
  const heading = h('h2', { class: 'group-title' }, t('group.title'));
  const el = h(
    'section',
    { class: 'group stack', 'data-testid': 'group' },
    heading,
    roster,
    refused,
    adding,
    add,
  );
  let shownKey: string | null = null;
  let shownRoster: readonly RosterEntry[] | null = null;
  let input: InputPanel | null = null;
  const cancel = () =>
    h(
      'button',
      { type: 'button', class: 'link', onclick: () => send({ type: 'group-cancel-add' }) },
      t('group.addCancel'),
    );

  function addingParts(a: Adding): HTMLElement[] {
    const status = (key: MessageKey) => h('p', { class: 'state', role: 'status' }, t(key));
    switch (a.stage) {
      case 'making':
        return [status('group.addMaking')];
      case 'offer':
        input = inputPanel(t('group.takeAnswer'), ctx);
        return [status('group.addHint'), codePanel(a.code, a.link, ctx), input.el, cancel()];
      case 'connecting':
        return [status('group.addConnecting')];
      case 'failed':
        return [status('group.addFailed'), cancel()];
    }
  }

  function showAdding(a: Adding | null): void {
    input?.dispose();
    input = null;
    replace(adding, ...(a === null ? [] : addingParts(a)));
  }

  return {
    el,
    update(state: AppState) {
      const g = state.group;
      el.hidden = !g.possible && !g.active;
      heading.hidden = !g.active;
      if (g.members !== shownRoster) {
        shownRoster = g.members;
        replace(roster, ...(g.active ? g.members.map((m) => member(m, ctx)) : []));
      }
      replace(refused, g.refused ? t('group.refused') : '');
      const key = addingKey(g.adding);
      if (key !== shownKey) {
        shownKey = key;
        showAdding(g.adding);
      }
      if (g.adding?.stage === 'offer') input?.showError(g.adding.error);
      add.hidden = !g.canAdd || g.adding !== null;
    },
    dispose() {
      input?.dispose();
    },
  };
}
