// A call among the group (docs/groups.md, "Calls"): one pairwise call per link, each its own media negotiation
// (rtc/call), held together here. Pure: from the person's intent, or the links' call states as they are now,
// what to ask each link's session; the glue (app/group/call.ts) asks it and settles again after every change.
//
// Who calls whom, with nobody coordinating: the person who starts calls every member; a member in the call
// answers the calls of it that ring and calls every member it has not met in it (one who joined the group
// since is called too). Two members who call each other at once send two invites of one id: the link's call
// machine lets its polite side take the other's (rtc/call), so one call goes ahead on that link.

import type { CallEnd, CallState, Intent } from '../rtc/index.ts';
import type { MemberId } from './ids.ts';
import type { LinkKey } from './state.ts';

/** A link that is up, with its call as its session has it now. */
export interface CallLink {
  readonly key: LinkKey;
  readonly peer: MemberId;
  readonly call: CallState;
}

export type GroupCallIntent =
  | { readonly type: 'start'; readonly video: boolean; readonly id: string }
  | { readonly type: 'join' }
  | { readonly type: 'decline' }
  | { readonly type: 'leave' }
  | { readonly type: 'mic'; readonly on: boolean }
  | { readonly type: 'cam'; readonly on: boolean }
  /** The next camera, on every link (they share one capture of it: app/capture.ts). */
  | { readonly type: 'switch-camera' };

/** What one link's session is asked: its own call intents (a call-start is given the group call's id). */
export type LinkCallIntent = Extract<
  Intent,
  {
    readonly type:
      | 'call-start'
      | 'call-accept'
      | 'call-decline'
      | 'call-end'
      | 'call-mic'
      | 'call-cam'
      | 'call-switch-camera';
  }
>;

export interface LinkAction {
  readonly key: LinkKey;
  readonly intent: LinkCallIntent;
}

export interface GroupCall {
  /** The call this device is in (started or joined); null when in none. */
  readonly joined: {
    readonly id: string;
    readonly video: boolean;
    readonly mic: boolean;
    readonly cam: boolean;
    /**
     * Links that were in this call (called, calling or in it): a member is called once, so one who declined
     * or left is not asked again.
     */
    readonly met: readonly LinkKey[];
  } | null;
  /** Calls the person declined or left: the same call ringing on another link is declined by itself. */
  readonly declined: readonly string[];
  /** How the last call this device was in ended, for the screen; null after the person's own leave. */
  readonly ended: CallEnd | null;
}

export const NO_GROUP_CALL: GroupCall = { joined: null, declined: [], ended: null };

export interface GroupCallStep {
  readonly call: GroupCall;
  readonly actions: readonly LinkAction[];
}

const inCall = (c: CallState): boolean => c.phase === 'outgoing' || c.phase === 'active';
const ringing = (c: CallState, declined: readonly string[]): c is Extract<CallState, { phase: 'incoming' }> =>
  c.phase === 'incoming' && !declined.includes(c.id);

/** The calls ringing here, first come first (one group call rings on several links with one id). */
export const ringingLinks = (call: GroupCall, links: readonly CallLink[]): readonly CallLink[] =>
  call.joined === null ? links.filter((l) => ringing(l.call, call.declined)) : [];

export function groupCallIntent(
  call: GroupCall,
  links: readonly CallLink[],
  intent: GroupCallIntent,
): GroupCallStep {
  switch (intent.type) {
    case 'start': {
      const idle = links.filter((l) => l.call.phase === 'idle');
      if (call.joined !== null || idle.length === 0) return { call, actions: [] };
      return {
        call: {
          ...call,
          ended: null,
          joined: {
            id: intent.id,
            video: intent.video,
            mic: true,
            cam: intent.video,
            met: idle.map((l) => l.key),
          },
        },
        actions: idle.map((l) => ({ key: l.key, intent: { type: 'call-start', video: intent.video } })),
      };
    }
    case 'join': {
      const first = ringingLinks(call, links)[0];
      if (first?.call.phase !== 'incoming') return { call, actions: [] };
      const { id, video } = first.call;
      const joined = { id, video, mic: true, cam: video, met: [] };
      return settleGroupCall({ ...call, ended: null, joined }, links);
    }
    case 'decline': {
      const ring = ringingLinks(call, links);
      const ids = ring.flatMap((l) => (l.call.phase === 'incoming' ? [l.call.id] : []));
      return {
        call: { ...call, declined: [...call.declined, ...ids] },
        actions: ring.map((l) => ({ key: l.key, intent: { type: 'call-decline' } })),
      };
    }
    case 'leave': {
      if (call.joined === null) return { call, actions: [] };
      const actions = links.flatMap((l): LinkAction[] =>
        inCall(l.call)
          ? [{ key: l.key, intent: { type: 'call-end' } }]
          : l.call.phase === 'incoming'
            ? [{ key: l.key, intent: { type: 'call-decline' } }]
            : [],
      );
      // Left for good: it is not taken up again (see adopted) and its ring from a late member is declined.
      return { call: { joined: null, declined: [...call.declined, call.joined.id], ended: null }, actions };
    }
    case 'switch-camera': {
      if (call.joined === null || !call.joined.cam) return { call, actions: [] };
      const sending = links.filter((l) => l.call.phase === 'active' && l.call.video && !l.call.accepting);
      return { call, actions: sending.map((l) => ({ key: l.key, intent: { type: 'call-switch-camera' } })) };
    }
    case 'mic':
    case 'cam': {
      if (call.joined === null) return { call, actions: [] };
      const joined =
        intent.type === 'mic' ? { ...call.joined, mic: intent.on } : { ...call.joined, cam: intent.on };
      return { call: { ...call, joined }, actions: [] };
    }
  }
}

/**
 * A call going on on a link while this device is in none (a pair's call when a third device joined): it is
 * the group's call from now on, with its microphone and camera as they are. Not one the person left.
 */
function adopted(call: GroupCall, links: readonly CallLink[]): GroupCall['joined'] {
  const going = links.find((l) => inCall(l.call) && !call.declined.includes(callId(l.call)));
  const c = going?.call;
  if (c === undefined || (c.phase !== 'active' && c.phase !== 'outgoing')) return null;
  const active = c.phase === 'active' ? c : null;
  return {
    id: c.id,
    video: c.video,
    mic: active?.mic ?? true,
    cam: active?.cam ?? c.video,
    met: links.filter((l) => inCall(l.call)).map((l) => l.key),
  };
}

const callId = (c: CallState): string => (c.phase === 'idle' ? '' : c.id);

/** How a call that lost its last link ended: a failure shows first, then everyone declining. */
function endOf(links: readonly CallLink[]): CallEnd {
  const ends = links.flatMap((l) => (l.call.phase === 'idle' && l.call.ended !== null ? [l.call.ended] : []));
  if (ends.includes('media-failed')) return 'media-failed';
  return ends.length > 0 && ends.every((e) => e === 'declined') ? 'declined' : 'remote-ended';
}

/**
 * What the links need now for the call this device is in: ringing links of it answered (any other call
 * declined: one call at a time), members not heard from called (see the file's head), the person's mute and
 * camera on every link. With no link left in it, the call is over.
 */
export function settleGroupCall(call: GroupCall, links: readonly CallLink[]): GroupCallStep {
  const joined = call.joined ?? adopted(call, links);
  if (joined === null) {
    // A call the person declined rings on another link (a member who joined it calls): declined too.
    const again = links.filter((l) => l.call.phase === 'incoming' && call.declined.includes(l.call.id));
    return { call, actions: again.map((l) => ({ key: l.key, intent: { type: 'call-decline' } })) };
  }
  const actions: LinkAction[] = [];
  const met = [...joined.met];
  const meet = (key: LinkKey) => {
    if (!met.includes(key)) met.push(key);
  };
  for (const l of links) {
    const c = l.call;
    if (c.phase === 'incoming') {
      const ours = c.id === joined.id;
      if (ours) meet(l.key);
      actions.push({ key: l.key, intent: { type: ours ? 'call-accept' : 'call-decline' } });
    } else if (c.phase === 'idle' && !met.includes(l.key)) {
      meet(l.key);
      actions.push({ key: l.key, intent: { type: 'call-start', video: joined.video } });
    } else if (c.phase === 'active' && !c.accepting) {
      if (c.mic !== joined.mic) actions.push({ key: l.key, intent: { type: 'call-mic', on: joined.mic } });
      if (c.video && c.cam !== joined.cam)
        actions.push({ key: l.key, intent: { type: 'call-cam', on: joined.cam } });
    }
    if (inCall(c)) meet(l.key);
  }
  const live = links.some((l) => inCall(l.call) || l.call.phase === 'incoming') || actions.length > 0;
  if (!live) return { call: { ...call, joined: null, ended: endOf(links) }, actions };
  return { call: { ...call, joined: { ...joined, met } }, actions };
}
