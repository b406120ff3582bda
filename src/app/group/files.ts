// Files in a group (docs/groups.md): every link this group made has its own transfer engine (app/files.ts on
// that link's session: its own channel, paced on its own), and the list the person sees is the controller's
// engine's with these added, each row naming its member (app/files.ts, MoreFiles). Sending to everyone offers
// the files on every link that is up; to one member, on that member's link only.

import type { LinkKey, MemberId } from '../../group/index.ts';
import type { Session, SessionState } from '../../rtc/index.ts';
import type { FolderFile } from '../../transfer/index.ts';
import { createFiles, type FileRow, type FilesApp, type MoreFiles } from '../files.ts';

export interface GroupFiles extends MoreFiles {
  /** A link this group made, with each state of its session. */
  follow(key: LinkKey, session: Session, state: SessionState): void;
}

/** A member that is up, on its link. */
export interface UpMember {
  readonly id: MemberId;
  readonly link: LinkKey;
}

/**
 * `up`: the members linked now; `nameOf`: the member a link reached (kept once it is gone, so finished rows
 * keep their name); `ownLink`: the controller's session's link, when the group is active.
 */
export function createGroupFiles(
  up: () => readonly UpMember[],
  nameOf: (link: LinkKey) => string,
  ownLink: () => LinkKey | null,
  makeFiles: () => FilesApp = createFiles,
): GroupFiles {
  const apps = new Map<LinkKey, FilesApp>();
  const listeners = new Set<() => void>();
  const changed = () => {
    for (const l of [...listeners]) l();
  };

  return {
    follow(key, session, state) {
      let app = apps.get(key);
      if (app === undefined) {
        if (state.kind !== 'connected') return;
        app = makeFiles();
        apps.set(key, app);
        app.subscribe(changed);
      }
      app.follow(state.kind === 'connected' ? session : null, state);
    },
    view() {
      const rows: FileRow[] = [];
      const savedAs = new Map<string, string>();
      for (const [key, app] of apps) {
        const v = app.getState();
        const peer = nameOf(key);
        for (const t of v.transfers) rows.push({ ...t, peer });
        for (const [id, name] of v.savedAs) savedAs.set(id, name);
      }
      const own = ownLink();
      return { rows, savedAs, own: own === null ? null : nameOf(own) };
    },
    send(files: readonly (File | FolderFile)[], to: string | null) {
      let ours = false;
      const targets = up().filter((m) => to === null || m.id === to);
      for (const m of targets) {
        const app = apps.get(m.link);
        if (app === undefined) ours = true;
        else app.dispatch({ type: 'send', files });
      }
      // Not in a group (nobody up yet): the controller's session is the only link.
      return ours || (to === null && targets.length === 0);
    },
    take(intent) {
      for (const app of apps.values())
        if (app.getState().transfers.some((t) => t.id === intent.id)) {
          app.dispatch(intent);
          return true;
        }
      return false;
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
