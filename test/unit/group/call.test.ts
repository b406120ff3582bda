// The group's call (src/group/call.ts) over real pairwise call machines (rtc/call/call.ts): each link's two
// ends step as the sessions would, their messages delivered in order, capture ready a step later. What holds:
// a call started by one member reaches every member who joins, whoever joins first or at once; a decline is
// kept; one who leaves leaves the rest in the call; mute reaches every link.
import { describe, expect, it } from 'vitest';
import type { GroupCallAsk } from '../../../src/app/group/view.ts';
import {
  type CallLink,
  type GroupCall,
  groupCallIntent,
  type LinkAction,
  type MemberId,
  NO_GROUP_CALL,
  settleGroupCall,
} from '../../../src/group/index.ts';
import { type CallEvent, type CallState, callStep, NO_CALL } from '../../../src/rtc/call/call.ts';
import { id } from './sim.ts';

const A = id('a');
const B = id('b');
const C = id('c');
const D = id('d');

type Pending = { readonly at: MemberId; readonly peer: MemberId; readonly event: CallEvent };

/** Devices in a full mesh; a link's key on a device is its peer's id. */
class CallNet {
  private readonly calls = new Map<string, CallState>();
  private readonly group = new Map<MemberId, GroupCall>();
  private readonly queue: Pending[] = [];
  /** Link ends that put their tracks on with an offer of their own (media-attach), by `${at}>${peer}`. */
  private readonly offered = new Set<string>();
  /** Links whose media switched camera, by `${at}>${peer}`, in order. */
  readonly switched: string[] = [];
  private nextId = 0;
  /** The screen is the group's (a pair's call is its own until then: nothing settles it). */
  grouped = true;

  constructor(private readonly devices: MemberId[]) {
    for (const d of devices) this.group.set(d, NO_GROUP_CALL);
  }

  /** A device joins the group: its links come up on every device, which settles (as on any link change). */
  add(device: MemberId): void {
    this.devices.push(device);
    this.group.set(device, NO_GROUP_CALL);
    for (const d of this.devices) this.settle(d);
  }

  call(at: MemberId, peer: MemberId): CallState {
    return this.calls.get(`${at}>${peer}`) ?? NO_CALL;
  }

  groupOf(at: MemberId): GroupCall {
    return this.group.get(at) ?? NO_GROUP_CALL;
  }

  private links(at: MemberId): CallLink[] {
    return this.devices.filter((p) => p !== at).map((p) => ({ key: p, peer: p, call: this.call(at, p) }));
  }

  /** The link's own call, as a pair's call panel asks it (no group involved). */
  pair(at: MemberId, peer: MemberId, event: CallEvent): void {
    this.step(at, peer, event);
  }

  /** Every device settles, as when the screen became the group's. */
  settleAll(): void {
    this.grouped = true;
    for (const d of this.devices) this.settle(d);
  }

  private step(at: MemberId, peer: MemberId, event: CallEvent): void {
    const next = callStep(this.call(at, peer), event);
    this.calls.set(`${at}>${peer}`, next.state);
    for (const c of next.commands) {
      if (c.type === 'send-call')
        this.queue.push({
          at: peer,
          peer: at,
          event: { type: 'call-message', message: c.message, polite: peer > at },
        });
      if (c.type === 'media-attach') this.offered.add(`${at}>${peer}`);
      if (c.type === 'media-switch-camera') this.switched.push(`${at}>${peer}`);
      // Capture opens a moment later (media.ts says so with this event).
      if (c.type === 'media-open') this.queue.push({ at, peer, event: { type: 'media-opened' } });
    }
  }

  private run(at: MemberId, actions: readonly LinkAction[]): void {
    const joined = this.groupOf(at).joined;
    for (const { key, intent } of actions) {
      const event: CallEvent =
        intent.type === 'call-start'
          ? { type: 'call-start', video: intent.video, id: joined?.id ?? 'none' }
          : intent;
      this.step(at, key as MemberId, event);
    }
  }

  private settle(at: MemberId): void {
    if (!this.grouped) return;
    for (let round = 0; round < 10; round += 1) {
      const s = settleGroupCall(this.groupOf(at), this.links(at));
      this.group.set(at, s.call);
      if (s.actions.length === 0) return;
      this.run(at, s.actions);
    }
    throw new Error('settling did not end');
  }

  ask(at: MemberId, intent: GroupCallAsk): void {
    this.nextId += 1;
    const full = intent.type === 'start' ? { ...intent, id: `call-${this.nextId}` } : intent;
    const s = groupCallIntent(this.groupOf(at), this.links(at), full);
    this.group.set(at, s.call);
    this.run(at, s.actions);
    this.settle(at);
  }

  /** Everything in flight, in order, each device settling after each of its events. */
  deliver(): void {
    for (let n = 0; n < 1000; n += 1) {
      const p = this.queue.shift();
      if (p === undefined) return;
      this.step(p.at, p.peer, p.event);
      this.settle(p.at);
    }
    throw new Error('messages did not stop');
  }

  /** How many of the link's two ends offered media: a call that plays needs exactly one. */
  offers(at: MemberId, peer: MemberId): number {
    return Number(this.offered.has(`${at}>${peer}`)) + Number(this.offered.has(`${peer}>${at}`));
  }

  phases(at: MemberId): Record<string, string> {
    const out: Record<string, string> = {};
    for (const p of this.devices) if (p !== at) out[p.slice(0, 1)] = this.call(at, p).phase;
    return out;
  }
}

const all = (phase: string, ...peers: MemberId[]) =>
  Object.fromEntries(peers.map((p) => [p.slice(0, 1), phase]));

function expectAllIn(net: CallNet, devices: readonly MemberId[]): void {
  for (const d of devices) {
    const others = devices.filter((o) => o !== d);
    expect(net.phases(d), d.slice(0, 1)).toMatchObject(all('active', ...others));
    expect(net.groupOf(d).joined, d.slice(0, 1)).not.toBeNull();
    for (const o of others) expect(net.offers(d, o), `${d.slice(0, 1)}–${o.slice(0, 1)}`).toBe(1);
  }
}

describe('group call', () => {
  it('rings every member; those who join are in a call with everyone else who joined', () => {
    const net = new CallNet([A, B, C]);
    net.ask(A, { type: 'start', video: false });
    net.deliver();
    expect(net.phases(B)).toMatchObject({ a: 'incoming' });
    net.ask(B, { type: 'join' });
    net.deliver();
    // B called C (C's id is larger): C hears the call from both, and one tap joins both.
    expect(net.phases(C)).toEqual({ a: 'incoming', b: 'incoming' });
    net.ask(C, { type: 'join' });
    net.deliver();
    expectAllIn(net, [A, B, C]);
  });

  it('a member joining first calls the one still ringing, whose one tap then joins both', () => {
    const net = new CallNet([A, B, C]);
    net.ask(A, { type: 'start', video: true });
    net.deliver();
    net.ask(C, { type: 'join' });
    net.deliver();
    expect(net.phases(C)).toEqual({ a: 'active', b: 'outgoing' });
    expect(net.phases(B)).toEqual({ a: 'incoming', c: 'incoming' });
    net.ask(B, { type: 'join' });
    net.deliver();
    expectAllIn(net, [A, B, C]);
  });

  for (const [label, newcomer] of [
    ['smallest', id('0')],
    ['largest', id('f')],
  ] as const)
    it(`a device that joins the group during the call is called by everyone in it (its id the ${label})`, () => {
      const net = new CallNet([A, B, C]);
      net.ask(A, { type: 'start', video: false });
      net.deliver();
      net.ask(B, { type: 'join' });
      net.deliver();
      net.ask(C, { type: 'decline' });
      net.deliver();
      net.add(newcomer);
      net.deliver();
      expect(net.phases(newcomer)).toEqual({ a: 'incoming', b: 'incoming', c: 'idle' });
      net.ask(newcomer, { type: 'join' });
      net.deliver();
      expectAllIn(net, [A, B, newcomer]);
      // C declined before the newcomer came: it is not called into the call by it.
      expect(net.phases(C)).toEqual(all('idle', A, B, newcomer));
    });

  it('two members joining at once (nothing delivered in between) still link with each other once', () => {
    const net = new CallNet([A, B, C, D]);
    net.ask(D, { type: 'start', video: false });
    net.deliver();
    net.ask(A, { type: 'join' });
    net.ask(B, { type: 'join' });
    net.ask(C, { type: 'join' });
    net.deliver();
    expectAllIn(net, [A, B, C, D]);
  });

  it('a decline is kept: the same call ringing from another member is declined by itself', () => {
    const net = new CallNet([A, B, C]);
    net.ask(A, { type: 'start', video: false });
    net.deliver();
    net.ask(C, { type: 'decline' });
    net.deliver();
    net.ask(B, { type: 'join' });
    net.deliver();
    expect(net.phases(C)).toEqual({ a: 'idle', b: 'idle' });
    expect(net.groupOf(C).joined).toBeNull();
    expect(net.phases(A)).toEqual({ b: 'active', c: 'idle' });
    expect(net.phases(B)).toEqual({ a: 'active', c: 'idle' });
  });

  it('one who leaves leaves the others in the call; the last one alone is out too', () => {
    const net = new CallNet([A, B, C]);
    net.ask(A, { type: 'start', video: false });
    net.deliver();
    net.ask(B, { type: 'join' });
    net.ask(C, { type: 'join' });
    net.deliver();
    net.ask(A, { type: 'leave' });
    net.deliver();
    expect(net.groupOf(A)).toMatchObject({ joined: null, ended: null });
    expect(net.phases(B)).toEqual({ a: 'idle', c: 'active' });
    expect(net.phases(C)).toEqual({ a: 'idle', b: 'active' });
    // B is not called back into it by C, nor C by B.
    expect(net.groupOf(B).joined).not.toBeNull();
    net.ask(B, { type: 'leave' });
    net.deliver();
    expect(net.groupOf(C)).toMatchObject({ joined: null, ended: 'remote-ended' });
  });

  it('nobody joining ends the caller’s call as declined', () => {
    const net = new CallNet([A, B, C]);
    net.ask(B, { type: 'start', video: false });
    net.deliver();
    net.ask(A, { type: 'decline' });
    net.ask(C, { type: 'decline' });
    net.deliver();
    expect(net.groupOf(B)).toMatchObject({ joined: null, ended: 'declined' });
  });

  it('mute and camera reach every link, also one that joins later', () => {
    const net = new CallNet([A, B, C]);
    net.ask(A, { type: 'start', video: true });
    net.deliver();
    net.ask(B, { type: 'join' });
    net.deliver();
    net.ask(B, { type: 'mic', on: false });
    net.ask(B, { type: 'cam', on: false });
    net.deliver();
    net.ask(C, { type: 'join' });
    net.deliver();
    for (const peer of [A, C])
      expect(net.call(B, peer)).toMatchObject({ phase: 'active', mic: false, cam: false });
    expect(net.call(A, B)).toMatchObject({ peerMic: false, peerCam: false });
    expect(net.call(C, B)).toMatchObject({ peerMic: false, peerCam: false });
    expect(net.call(C, A)).toMatchObject({ peerMic: true, peerCam: true });
  });

  it('a camera switch goes to every link this device sends its camera on, and only with the camera on', () => {
    const net = new CallNet([A, B, C]);
    net.ask(A, { type: 'start', video: true });
    net.deliver();
    net.ask(B, { type: 'join' });
    net.ask(C, { type: 'join' });
    net.deliver();
    net.ask(B, { type: 'switch-camera' });
    expect(net.switched.sort()).toEqual([`${B}>${A}`, `${B}>${C}`]);
    net.ask(B, { type: 'cam', on: false });
    net.ask(B, { type: 'switch-camera' });
    expect(net.switched).toHaveLength(2);
  });

  it('a pair’s call going on when a third device joins becomes the group’s: the newcomer is called', () => {
    const net = new CallNet([A, B, C]);
    net.grouped = false;
    net.pair(A, B, { type: 'call-start', id: 'pair-call', video: false });
    net.deliver();
    net.pair(B, A, { type: 'call-accept' });
    net.deliver();
    net.pair(B, A, { type: 'call-mic', on: false });
    net.deliver();
    net.settleAll();
    net.deliver();
    expect(net.groupOf(B).joined).toMatchObject({ id: 'pair-call', mic: false });
    expect(net.phases(C)).toEqual({ a: 'incoming', b: 'incoming' });
    net.ask(C, { type: 'join' });
    net.deliver();
    expectAllIn(net, [A, B, C]);
    // Its mute carried over to the new link too.
    expect(net.call(C, B)).toMatchObject({ peerMic: false });
    // Left for good: not taken up again, and not called back.
    net.ask(A, { type: 'leave' });
    net.deliver();
    net.settleAll();
    net.deliver();
    expect(net.groupOf(A).joined).toBeNull();
    expect(net.phases(A)).toEqual({ b: 'idle', c: 'idle' });
    expect(net.phases(B)).toEqual({ a: 'idle', c: 'active' });
  });

  it('nothing to start with no member up, and a second start is refused while in a call', () => {
    const alone = groupCallIntent(NO_GROUP_CALL, [], { type: 'start', video: false, id: 'x' });
    expect(alone).toEqual({ call: NO_GROUP_CALL, actions: [] });
    const net = new CallNet([A, B]);
    net.ask(A, { type: 'start', video: false });
    const before = net.groupOf(A);
    net.ask(A, { type: 'start', video: true });
    expect(net.groupOf(A)).toEqual(before);
    expect(net.phases(A)).toEqual({ b: 'outgoing' });
  });
});
