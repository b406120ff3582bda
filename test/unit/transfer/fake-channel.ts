// Two sides of a connection with negotiated data channels, in memory: a channel opened on both sides with the
// same id is linked; messages arrive asynchronously and in order; bufferedAmount grows on send and falls on
// delivery (with 'bufferedamountlow'); a message sent before the peer's channel exists is lost, as in a browser.
import type { FileChannel, OpenChannel } from '../../../src/transfer/channel.ts';

type Side = 'a' | 'b';

export class FakeChannel extends EventTarget implements FileChannel {
  readyState: RTCDataChannelState = 'connecting';
  bufferedAmount = 0;
  binaryType: BinaryType = 'blob';
  bufferedAmountLowThreshold = 0;
  peer: FakeChannel | null = null;

  constructor(
    private readonly net: FakeNetwork,
    readonly side: Side,
    readonly id: number,
  ) {
    super();
  }

  send(data: string | Uint8Array<ArrayBuffer>): void {
    if (this.readyState !== 'open') throw new Error('InvalidStateError: channel not open');
    const size = typeof data === 'string' ? data.length : data.byteLength;
    // What arrives is a copy, like bytes over a wire.
    const copy = typeof data === 'string' ? data : data.slice().buffer;
    this.bufferedAmount += size;
    this.net.enqueue(() => {
      const before = this.bufferedAmount;
      this.bufferedAmount -= size;
      if (before > this.bufferedAmountLowThreshold && this.bufferedAmount <= this.bufferedAmountLowThreshold)
        this.dispatchEvent(new Event('bufferedamountlow'));
      const peer = this.peer;
      const early = this.net.deliverBeforeOpen && peer?.readyState === 'connecting';
      if (peer === null || (peer.readyState !== 'open' && !early)) {
        this.net.lost++;
        return;
      }
      this.net.delivered(this.side, data);
      peer.dispatchEvent(new MessageEvent('message', { data: copy }));
    });
  }

  close(): void {
    if (this.readyState === 'closed' || this.readyState === 'closing') return;
    this.readyState = 'closing';
    const peer = this.peer;
    this.net.enqueue(() => {
      this.readyState = 'closed';
      this.net.release(this);
      this.dispatchEvent(new Event('close'));
      if (peer !== null && peer.readyState !== 'closed') {
        peer.readyState = 'closed';
        this.net.release(peer);
        peer.dispatchEvent(new Event('close'));
      }
    });
  }

  /** Marks it open (both sides exist and the transport is up). */
  openNow(): void {
    if (this.readyState !== 'connecting') return;
    this.readyState = 'open';
    this.dispatchEvent(new Event('open'));
  }
}

export class FakeNetwork {
  /** Messages sent to a side whose channel did not exist or was closed. */
  lost = 0;
  /** Called for every delivered message (bytes of binary payload counted by the caller). */
  onDeliver: ((from: Side, data: string | Uint8Array) => void) | null = null;
  /** Messages delivered, by the side that sent them. */
  readonly arrived: Record<Side, number> = { a: 0, b: 0 };
  /** Refuses new channels while down (a connection that is gone). */
  up = true;
  /** Chromium's way: a message reaches a channel still 'connecting' (its 'open' not dispatched yet). */
  deliverBeforeOpen = false;
  /** Channels of this side stay 'connecting' until `openHeld()`. */
  holdOpen: Side | null = null;
  private held: FakeChannel[] = [];
  private readonly open = new Map<string, FakeChannel>();
  private readonly queue: (() => void)[] = [];
  private scheduled = false;

  opener(side: Side): OpenChannel {
    return (_label, init) => {
      if (!this.up) return null;
      const id = init.id ?? -1;
      const key = `${side}:${id}`;
      if (this.open.has(key)) return null; // id still taken
      const ch = new FakeChannel(this, side, id);
      this.open.set(key, ch);
      const other = this.open.get(`${side === 'a' ? 'b' : 'a'}:${id}`);
      // A negotiated channel opens with the transport, whether or not the peer made its half yet.
      if (this.holdOpen === side) this.held.push(ch);
      else this.enqueue(() => ch.openNow());
      if (other !== undefined && other.peer === null) {
        ch.peer = other;
        other.peer = ch;
      }
      return ch;
    };
  }

  /** Opens the channels `holdOpen` kept 'connecting'. */
  openHeld(): void {
    this.holdOpen = null;
    for (const ch of this.held.splice(0)) ch.openNow();
  }

  /** Both halves of channel `id`, if both exist. */
  channel(side: Side, id: number): FakeChannel | undefined {
    return this.open.get(`${side}:${id}`);
  }

  /** The connection drops: every channel closes, and none opens until `up` is set again. */
  cut(): void {
    this.up = false;
    for (const ch of [...this.open.values()]) ch.close();
  }

  delivered(from: Side, data: string | Uint8Array): void {
    this.arrived[from]++;
    this.onDeliver?.(from, data);
  }

  release(ch: FakeChannel): void {
    const key = `${ch.side}:${ch.id}`;
    if (this.open.get(key) === ch) this.open.delete(key);
  }

  enqueue(task: () => void): void {
    this.queue.push(task);
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => this.drain());
  }

  private drain(): void {
    this.scheduled = false;
    // A bounded batch per turn, so timers and promise callbacks interleave with delivery as in a browser.
    for (let i = 0; i < 64; i++) {
      const task = this.queue.shift();
      if (task === undefined) return;
      task();
    }
    if (this.queue.length > 0 && !this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.drain());
    }
  }
}
