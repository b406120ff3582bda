// A network of group reducers for the tests: links carry group-channel text in order (one FIFO for all, so each
// link is ordered as a data channel is), links made in-band exchange a fake offer and answer through the relay
// the reducer names, and a device can close a link, vanish or tamper with what it relays.

import { expect } from 'vitest';
import {
  encodeBody,
  encodeEnvelope,
  type GroupCommand,
  type GroupEvent,
  type GroupState,
  initialGroup,
  type LinkKey,
  type MemberId,
  parseBody,
  parseGroup,
  reduceGroup,
  relayedLink,
} from '../../../src/group/index.ts';

export const id = (c: string): MemberId => c.repeat(16) as MemberId;

interface End {
  readonly device: MemberId;
  readonly link: LinkKey;
}

export class Net {
  readonly states = new Map<MemberId, GroupState>();
  readonly connects: { device: MemberId; command: Extract<GroupCommand, { type: 'connect' }> }[] = [];
  /** Every envelope text a relay forwarded, as sent. */
  readonly forwarded: string[] = [];
  /** A relay's hook on the text it forwards (a tampering member). */
  tamper: ((relay: MemberId, text: string) => string) | null = null;
  private readonly ends = new Map<string, End>();
  private readonly queue: (() => void)[] = [];
  private codeLinks = 0;

  add(...devices: MemberId[]): void {
    for (const d of devices) this.states.set(d, initialGroup(d, `name-${d.slice(0, 1)}`));
  }

  state(device: MemberId): GroupState {
    const s = this.states.get(device);
    if (s === undefined) throw new Error(`no device ${device}`);
    return s;
  }

  /** `starter` showed the offer ("Add a device"), `joiner` answered it: a link made by codes. */
  pair(starter: MemberId, joiner: MemberId): void {
    this.codeLinks += 1;
    const a = `c${this.codeLinks}a`;
    const b = `c${this.codeLinks}b`;
    this.connectEnds({ device: starter, link: a }, { device: joiner, link: b });
    this.queue.push(() => this.apply(starter, { type: 'link-open', link: a, admitted: true }));
    this.queue.push(() => this.apply(joiner, { type: 'link-open', link: b, admitted: false }));
  }

  /** Every link of `device` ends at once; the others see them silent ('vanished') or hear bye ('left'). */
  drop(device: MemberId, reason: 'left' | 'vanished'): void {
    for (const [key, other] of [...this.ends]) {
      if (!key.startsWith(`${device}|`)) continue;
      this.ends.delete(key);
      this.ends.delete(`${other.device}|${other.link}`);
      this.queue.push(() => this.apply(other.device, { type: 'link-closed', link: other.link, reason }));
    }
    this.states.delete(device);
  }

  /**
   * The link between `a` and `b` goes silent on both ends ('vanished'), its connection kept, then heals: each
   * end opens it again, as the glue does when its session is connected once more.
   */
  silenceAndHeal(a: MemberId, b: MemberId): void {
    for (const [key, other] of [...this.ends]) {
      const [device, link] = key.split('|') as [MemberId, LinkKey];
      if (device !== a || other.device !== b) continue;
      this.queue.push(() => this.apply(a, { type: 'link-closed', link, reason: 'vanished' }));
      this.queue.push(() => this.apply(b, { type: 'link-closed', link: other.link, reason: 'vanished' }));
      this.queue.push(() => this.apply(a, { type: 'link-open', link, admitted: false }));
      this.queue.push(() => this.apply(b, { type: 'link-open', link: other.link, admitted: false }));
    }
  }

  run(maxSteps = 10_000): void {
    for (let i = 0; i < maxSteps; i++) {
      const next = this.queue.shift();
      if (next === undefined) return;
      next();
    }
    throw new Error('the network did not settle');
  }

  /** The members `device` is linked to, by id. */
  up(device: MemberId): MemberId[] {
    return this.state(device)
      .members.filter((m) => m.status.kind === 'up')
      .map((m) => m.id)
      .sort();
  }

  private connectEnds(a: End, b: End): void {
    this.ends.set(`${a.device}|${a.link}`, b);
    this.ends.set(`${b.device}|${b.link}`, a);
  }

  apply(device: MemberId, event: GroupEvent): void {
    const before = this.states.get(device);
    if (before === undefined) return;
    const { state, commands } = reduceGroup(before, event);
    this.states.set(device, state);
    for (const command of commands) this.execute(device, command);
  }

  /** Sends text on a link; a relay's forwarded envelopes pass through `tamper`. */
  private sendOn(device: MemberId, link: LinkKey, text: string): void {
    const other = this.ends.get(`${device}|${link}`);
    if (other === undefined) return;
    const parsed = parseGroup(text);
    expect(parsed.ok, text).toBe(true);
    const forwarding = parsed.ok && parsed.value.t === 'relay' && parsed.value.envelope.from !== device;
    if (forwarding) this.forwarded.push(text);
    const sent = forwarding && this.tamper ? this.tamper(device, text) : text;
    this.queue.push(() => {
      const message = parseGroup(sent);
      if (message.ok) this.apply(other.device, { type: 'message', link: other.link, message: message.value });
    });
  }

  /** Our end of an in-band link sends a body to `peer` through the relay the reducer holds for it. */
  private relay(device: MemberId, peer: MemberId, body: Parameters<typeof encodeBody>[0]): void {
    const member = this.state(device).members.find((m) => m.id === peer);
    if (member?.status.kind !== 'linking') return;
    const relay = this.state(device).members.find(
      (m) => m.id === (member.status as { relay: MemberId }).relay,
    );
    if (relay?.status.kind !== 'up') return;
    const text = encodeBody(body);
    expect(text).not.toBeNull();
    const envelope = encodeEnvelope(device, peer, text ?? '');
    if (envelope.ok) this.sendOn(device, relay.status.link, envelope.value);
  }

  private execute(device: MemberId, command: GroupCommand): void {
    switch (command.type) {
      case 'send':
        this.sendOn(device, command.link, command.text);
        return;
      case 'connect':
        this.connects.push({ device, command });
        if (command.role === 'offerer')
          this.relay(device, command.peer, { k: 'offer', a: '1', sdp: `offer ${device}` });
        return;
      case 'deliver': {
        const body = parseBody(command.body);
        if (!body.ok) return;
        if (body.value.k === 'offer') {
          this.relay(device, command.from, {
            k: 'answer',
            a: body.value.a,
            sdp: `answer to ${body.value.sdp}`,
          });
          return;
        }
        // The answer is applied: the new link's group channel opens on both ends.
        if (body.value.k === 'answer' && body.value.sdp === `answer to offer ${device}`) {
          const mine = { device, link: relayedLink(command.from) };
          const theirs = { device: command.from, link: relayedLink(device) };
          this.connectEnds(mine, theirs);
          this.queue.push(() =>
            this.apply(mine.device, { type: 'link-open', link: mine.link, admitted: false }),
          );
          this.queue.push(() =>
            this.apply(theirs.device, { type: 'link-open', link: theirs.link, admitted: false }),
          );
        }
        return;
      }
      case 'close': {
        const other = this.ends.get(`${device}|${command.link}`);
        this.ends.delete(`${device}|${command.link}`);
        if (other === undefined) return;
        this.ends.delete(`${other.device}|${other.link}`);
        this.queue.push(() =>
          this.apply(other.device, { type: 'link-closed', link: other.link, reason: 'left' }),
        );
        return;
      }
    }
  }
}
