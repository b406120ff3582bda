// Messages that reach a channel before its 'open' (Chromium does this) are handed over right after 'open'.
import { describe, expect, it } from 'vitest';
import { whenOpen } from '../../../src/rtc/base/opened.ts';

class Channel extends EventTarget {
  readyState: RTCDataChannelState = 'connecting';
  deliver(data: string): void {
    this.dispatchEvent(new MessageEvent('message', { data }));
  }
  open(): void {
    this.readyState = 'open';
    this.dispatchEvent(new Event('open'));
  }
}

function watch(channel: Channel, signal = new AbortController().signal): string[] {
  const seen: string[] = [];
  whenOpen(channel, { open: () => seen.push('open'), message: (d) => seen.push(String(d)) }, signal);
  return seen;
}

describe('whenOpen', () => {
  it('holds messages that arrive while the channel is connecting until open', () => {
    const ch = new Channel();
    const seen = watch(ch);
    ch.deliver('hello');
    ch.deliver('offer');
    expect(seen).toEqual([]);
    ch.open();
    ch.deliver('chat');
    expect(seen).toEqual(['open', 'hello', 'offer', 'chat']);
  });

  it('a message after readyState turned open but before the open event: open first, once', () => {
    const ch = new Channel();
    const seen = watch(ch);
    ch.readyState = 'open';
    ch.deliver('hello');
    ch.dispatchEvent(new Event('open'));
    expect(seen).toEqual(['open', 'hello']);
  });

  it('a channel already open is open at once', () => {
    const ch = new Channel();
    ch.readyState = 'open';
    const seen = watch(ch);
    ch.deliver('x');
    expect(seen).toEqual(['open', 'x']);
  });

  it('stops listening when aborted', () => {
    const ch = new Channel();
    const stop = new AbortController();
    const seen = watch(ch, stop.signal);
    stop.abort();
    ch.open();
    ch.deliver('late');
    expect(seen).toEqual([]);
  });
});
