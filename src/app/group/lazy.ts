// The group's code (links.ts, the roster reducer, in-band exchanges) is not part of the first load: it loads
// once a session of the controller has a connection, while the person still carries a code. Until then this
// stands in for it, and makes only what cannot wait: each link's group channel, created with the connection
// (a message on a stream with no channel yet is dropped), whose messages wait for the code in `held`.

import type { LinkKey } from '../../group/state.ts';
import type { Session, SessionState } from '../../rtc/index.ts';
import type { GroupDeps, GroupLinks } from './api.ts';
import { followChannel, hasConnection, type Link, newLink } from './link.ts';
import { type GroupView, NO_GROUP } from './view.ts';

export type LoadGroup = () => Promise<{
  createGroupLinks(deps: GroupDeps, early: readonly Link[]): GroupLinks;
}>;

const NO_FILES = { rows: [], savedAs: new Map<string, string>(), own: null };

export const loadGroup: LoadGroup = () => import('./links.ts');

export function lazyGroupLinks(deps: GroupDeps, load: LoadGroup = loadGroup): GroupLinks {
  const listeners = new Set<(v: GroupView) => void>();
  const fileListeners = new Set<() => void>();
  /** The controller's links, by key, until the code is here. */
  const early = new Map<LinkKey, Link>();
  let real: GroupLinks | null = null;
  let loading: Promise<GroupLinks | null> | null = null;

  function start(): Promise<GroupLinks | null> {
    loading ??= load().then(
      (m) => {
        const links = m.createGroupLinks(deps, [...early.values()]);
        real = links;
        links.subscribe((v) => {
          for (const l of [...listeners]) l(v);
        });
        links.files.subscribe(() => {
          for (const l of [...fileListeners]) l();
        });
        // Each link goes on from the state it is in now (held messages are handed over at its 'open').
        for (const link of early.values()) links.follow(link.key, link.session, link.session.getState());
        early.clear();
        return links;
      },
      // Offline with no cached chunk: this page takes no part in groups; pairs work as before.
      () => null,
    );
    return loading;
  }

  return {
    follow(key: LinkKey, session: Session, state: SessionState) {
      if (real !== null) return real.follow(key, session, state);
      let link = early.get(key);
      if (link === undefined || link.session !== session) {
        link = newLink(key, session, { own: false, admitted: false, inBand: null });
        early.set(key, link);
      }
      followChannel(link, state);
      if (hasConnection(state)) void start();
    },
    drop(key) {
      if (real !== null) return real.drop(key);
      // Never reached the roster: nobody to tell.
      early.get(key)?.abort?.abort();
      early.delete(key);
    },
    add() {
      void start().then((links) => links?.add());
    },
    cancelAdd: () => real?.cancelAdd(),
    compare: (member, match) => real?.compare(member, match),
    takeAnswer: (text) => real?.takeAnswer(text) ?? false,
    // Only a group's screen offers a group call, and only the loaded code makes one.
    call: (ask) => real?.call(ask),
    // The controller sends group chat only once the group is active, which only the loaded code can make it.
    sendChat: (text) => real?.sendChat(text) ?? null,
    hangup: () => real?.hangup(),
    leave: () => real?.leave(),
    chatId: () => real?.chatId() ?? crypto.randomUUID(),
    getView: () => real?.getView() ?? NO_GROUP,
    // Until the group's code is in, the controller's session is the only link.
    files: {
      view: () => real?.files.view() ?? NO_FILES,
      send: (files, to) => real?.files.send(files, to) ?? true,
      take: (intent) => real?.files.take(intent) ?? false,
      subscribe(listener) {
        fileListeners.add(listener);
        return () => fileListeners.delete(listener);
      },
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
