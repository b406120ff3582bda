// The group's call on the links' sessions: group/call.ts decides what each link is asked; this asks it, and
// settles again whenever a link's state changes (a session's state changes synchronously with what it is
// asked, so settling reads every link afresh).

import {
  type CallLink,
  type GroupCall,
  groupCallIntent,
  type LinkAction,
  type MemberId,
  NO_GROUP_CALL,
  ringingLinks,
  settleGroupCall,
} from '../../group/index.ts';
import { type CallState, heldConnection, type Session } from '../../rtc/index.ts';
import type { CallMember, GroupCallAsk, GroupCallView } from './view.ts';

/** A link that is up, as the glue holds it. */
export interface UpLink {
  readonly key: string;
  readonly peer: MemberId;
  readonly name: string;
  readonly session: Session;
}

export interface GroupCallGlue {
  ask(ask: GroupCallAsk): void;
  /** After any change of a link or of the roster. */
  settle(): void;
  view(): GroupCallView;
}

const callOf = (session: Session): CallState | null => heldConnection(session.getState())?.live.call ?? null;

export function createGroupCall(
  /** The screen is the group's (view.ts `active`): only then is a call the group's (a pair's is its own). */
  isGroup: () => boolean,
  upLinks: () => readonly UpLink[],
  /** Runs `dispatch` with `id` as the session's next id (a call-start's call id). */
  withId: (id: string, dispatch: () => void) => void,
): GroupCallGlue {
  let call: GroupCall = NO_GROUP_CALL;
  let settling = false;
  let again = false;

  const callLinks = (): CallLink[] =>
    upLinks().flatMap((l) => {
      const c = callOf(l.session);
      return c === null ? [] : [{ key: l.key, peer: l.peer, call: c }];
    });

  function run(actions: readonly LinkAction[]): void {
    const byKey = new Map(upLinks().map((l) => [l.key, l.session]));
    for (const a of actions) {
      const session = byKey.get(a.key);
      if (session === undefined) continue;
      if (a.intent.type === 'call-start' && call.joined !== null)
        withId(call.joined.id, () => session.dispatch(a.intent));
      else session.dispatch(a.intent);
    }
  }

  function settle(): void {
    if (!isGroup()) return;
    if (settling) {
      again = true;
      return;
    }
    settling = true;
    try {
      // A dispatch that changed a link settles again; one that was refused changes nothing, so this ends.
      do {
        again = false;
        const step = settleGroupCall(call, callLinks());
        call = step.call;
        run(step.actions);
      } while (again);
    } finally {
      settling = false;
    }
  }

  function view(): GroupCallView {
    const links = callLinks();
    const byKey = new Map(upLinks().map((l) => [l.key, l]));
    const member = (l: CallLink): CallMember[] => {
      const up = byKey.get(l.key);
      if (up === undefined) return [];
      const c = l.call;
      const active = c.phase === 'active' ? c : null;
      return [
        {
          id: l.peer,
          name: up.name,
          joined: active !== null,
          mic: active?.peerMic ?? true,
          cam: active?.peerCam ?? false,
          remote: active === null ? null : up.session.media().remote,
        },
      ];
    };
    const joined = call.joined;
    if (joined === null) {
      const ring = ringingLinks(call, links);
      const first = ring[0]?.call;
      return {
        phase: first === undefined ? 'idle' : 'ringing',
        video: ring.some((l) => l.call.phase === 'incoming' && l.call.video),
        mic: true,
        cam: false,
        members: ring.flatMap(member),
        local: null,
        ended: first === undefined ? call.ended : null,
      };
    }
    const inIt = links.filter((l) => l.call.phase === 'outgoing' || l.call.phase === 'active');
    const local = inIt.map((l) => byKey.get(l.key)?.session.media().local ?? null).find((s) => s !== null);
    return {
      phase: 'in-call',
      video: joined.video,
      mic: joined.mic,
      cam: joined.cam,
      members: inIt.flatMap(member),
      local: local ?? null,
      ended: null,
    };
  }

  return {
    ask(ask) {
      const intent = ask.type === 'start' ? { ...ask, id: crypto.randomUUID() } : ask;
      const step = groupCallIntent(call, callLinks(), intent);
      call = step.call;
      run(step.actions);
      settle();
    },
    settle,
    view,
  };
}
