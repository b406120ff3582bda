// What a peer can make this side hold or do, bounded: the transfer list (offer+cancel floods), the offer rate
// (with a notice the UI shows), the receiver's window (a sender that ignores acks), and resumes (a peer that
// reopens the channel and asks for the file from 0 again).
import { describe, expect, it } from 'vitest';
import { MAX_ENDED_KEPT } from '../../../src/transfer/core.ts';
import { OFFER_BURST, OFFER_REFILL_MS } from '../../../src/transfer/offer-rate.ts';
import { decodeChunk, encodeFilesMessage } from '../../../src/transfer/protocol.ts';
import { LIMITED_NOTICE_MS } from '../../../src/transfer/receiver.ts';
import { diskSink, type WritableFile } from '../../../src/transfer/sink.ts';
import { hostile, managers, rawPeer, until } from './hostile-peer.ts';

const PAIRS = 2_000;

describe('the transfer list and the offer rate', () => {
  it('offer+cancel pairs do not grow the list: ended entries beyond MAX_ENDED_KEPT go, oldest first', async () => {
    // Every reading of the clock is a refill later: the rate limit never bites, only the list bound is at work.
    let now = 1_000_000;
    const h = await hostile({ now: () => (now += OFFER_REFILL_MS) });
    for (let i = 0; i < PAIRS; i++) {
      h.say({ t: 'offer', id: `f${i}`, n: i, name: 'x.bin', size: 10, type: '' });
      h.say({ t: 'cancel', id: `f${i}`, reason: 'user' });
    }
    await until('the last pair handled', () => h.find(`f${PAIRS - 1}`)?.status === 'cancelled');
    const list = h.app.getState().transfers;
    expect(list.length).toBe(MAX_ENDED_KEPT);
    expect(list[0]?.id).toBe(`f${PAIRS - MAX_ENDED_KEPT}`); // the newest are kept
    expect(h.app.getState().offersLimited).toBe(false);
  }, 30_000);

  it('a received file is never dropped to make room, however many ended entries follow it', async () => {
    let now = 1_000_000;
    const h = await hostile({ now: () => (now += OFFER_REFILL_MS) });
    await h.offered('kept', 3, 'kept.bin', 7777);
    h.chunk(7777, 0, new Uint8Array([1, 2, 3]));
    h.say({
      t: 'done',
      id: 'kept',
      size: 3,
      sha256: '039058c6f2c0cb492c533b0a4d14ef77cc0f78abccced5287d84a1a2011cfb81',
    });
    await until('kept done', () => h.find('kept')?.status === 'done');
    for (let i = 0; i < MAX_ENDED_KEPT * 2; i++) {
      h.say({ t: 'offer', id: `f${i}`, n: i, name: 'x.bin', size: 10, type: '' });
      h.say({ t: 'cancel', id: `f${i}`, reason: 'user' });
    }
    await until('all handled', () => h.find(`f${MAX_ENDED_KEPT * 2 - 1}`)?.status === 'cancelled');
    expect(h.find('kept')?.blob).not.toBeNull();
  });

  it('offers faster than the bucket refills are declined, counted and shown as a notice that ends', async () => {
    let now = 1_000_000;
    const h = await hostile({ now: () => now });
    const extra = 10;
    for (let i = 0; i < OFFER_BURST + extra; i++) {
      h.say({ t: 'offer', id: `r${i}`, n: i, name: 'x.bin', size: 10, type: '' });
      h.say({ t: 'cancel', id: `r${i}`, reason: 'user' });
    }
    await until('all declined or shown', () => h.heard.filter((m) => m.t === 'decline').length === extra);
    await until('the notice', () => h.app.getState().offersLimited);
    await until('counted', () => h.app.getState().counters.limitedOffers === extra);
    expect(h.find(`r${OFFER_BURST}`)).toBeUndefined();
    // Once the bucket has refilled, offers get through again; the notice ends after LIMITED_NOTICE_MS.
    now += LIMITED_NOTICE_MS + OFFER_REFILL_MS;
    h.say({ t: 'offer', id: 'later', n: 99_999, name: 'later.bin', size: 10, type: '' });
    await until('later shown', () => h.find('later')?.status === 'offered');
    expect(h.app.getState().offersLimited).toBe(false);
  });
});

describe("the receiver's window", () => {
  it('a sender that ignores our acks is refused once it is a window (and a chunk) beyond them', async () => {
    const window = 256 * 1024;
    const h = await hostile({ windowBytes: window });
    const hello = h.heard.find((m) => m.t === 'hello');
    expect(hello).toMatchObject({ window });
    // A disk whose writes never finish: nothing is stored, so no ack goes out.
    let writesStarted = 0;
    const stuck: WritableFile = {
      write: () => {
        writesStarted++;
        return new Promise(() => undefined);
      },
      close: async () => undefined,
      abort: async () => undefined,
    };
    h.say({ t: 'offer', id: 'w', n: 5, name: 'w.bin', size: 100_000_000, type: '' });
    await until('offer shown', () => h.find('w')?.status === 'offered');
    h.app.accept('w', diskSink(stuck), true);
    await until('accept heard', () => h.heard.some((m) => m.t === 'accept' && m.id === 'w'));
    const chunk = new Uint8Array(60_000);
    let sent = 0;
    for (let i = 0; i < 40; i++, sent += chunk.length) h.chunk(5, sent, chunk);
    await until('refused', () => h.find('w')?.failure === 'protocol');
    expect(h.heard).toContainEqual(expect.objectContaining({ t: 'cancel', id: 'w' }));
    // It took at most a window and one largest chunk, then dropped the rest as strays.
    expect(h.find('w')?.bytes ?? 0).toBeLessThanOrEqual(window + 256 * 1024);
    expect(writesStarted).toBeLessThanOrEqual(1);
    await until('strays', () => h.app.getState().counters.strayChunks > 0);
  });
});

describe('resume', () => {
  it('a peer that reopens the channel and asks for the file from 0 after acknowledging part is refused', async () => {
    const h = await hostile({ windowBytes: 256 * 1024 });
    const data = new Uint8Array(3_000_000).map((_, i) => i & 0xff);
    const [id = ''] = h.app.send([new File([data], 'up.bin')]);
    await until('offer heard', () => h.heard.some((m) => m.t === 'offer' && m.id === id));
    // First channel: take the window and acknowledge it all.
    let got = 0;
    h.raw.addEventListener('message', (e) => {
      const d = (e as MessageEvent).data;
      if (typeof d === 'string') return;
      const c = decodeChunk(d as ArrayBuffer);
      if (c.ok) got = c.value.offset + c.value.payload.length;
    });
    h.say({ t: 'accept', id, offset: 0 });
    await until('a window sent', () => got >= 200_000);
    h.say({ t: 'ack', id, offset: got });
    await until('more after the ack', () => got > 256 * 1024);
    h.raw.close();
    await until('paused', () => !h.app.getState().linked);
    // Second channel: the peer answers the new offer with 0.
    const offsets: number[] = [];
    const { raw, heard } = await rawPeer(h.net, (c) => offsets.push(c.offset));
    await until('offered again', () => heard.some((m) => m.t === 'offer' && m.id === id));
    raw.send(encodeFilesMessage({ t: 'accept', id, offset: 0 }));
    await until('refused', () => h.find(id)?.status === 'failed');
    expect(h.find(id)?.failure).toBe('protocol');
    expect(heard).toContainEqual(expect.objectContaining({ t: 'cancel', id }));
    expect(offsets).toEqual([]); // nothing uploaded again
    expect(managers.length).toBeGreaterThan(0);
  });
});
