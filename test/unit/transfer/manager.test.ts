// Two transfer managers over an in-memory connection: offer, accept, paced sending, verified receiving, queue,
// cancel from either side, and resume after the channel (or the whole connection) drops.
import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createTransferManager } from '../../../src/transfer/manager.ts';
import { FILES_CHANNEL_ID } from '../../../src/transfer/protocol.ts';
import { HIGH_WATER_BYTES, WINDOW_BYTES } from '../../../src/transfer/sender.ts';
import { memorySink, type Sink } from '../../../src/transfer/sink.ts';
import type { FilesSnapshot, TransferManager, TransferView } from '../../../src/transfer/types.ts';
import { bytes } from './bytes.ts';
import { FakeNetwork } from './fake-channel.ts';

const WAIT_MS = 20_000;
vi.setConfig({ testTimeout: 30_000 });
const managers: TransferManager[] = [];

afterEach(() => {
  for (const m of managers.splice(0)) m.dispose();
});

const hex = (data: Uint8Array) => createHash('sha256').update(data).digest('hex');

/** Small windows, so a gated receiver holds the sender back within a few hundred KiB. */
/** A chunk's payload is at most this big. */
const CHUNK = 64 * 1024;
const SMALL = { windowBytes: 256 * 1024, ackEveryBytes: 64 * 1024 };

function pair(net = new FakeNetwork()) {
  let ids = 0;
  const a = createTransferManager({ ...SMALL, newId: () => `id-${++ids}` });
  const b = createTransferManager(SMALL);
  managers.push(a, b);
  a.connect(net.opener('a'));
  b.connect(net.opener('b'));
  return { net, a, b };
}

async function until<T>(what: string, read: () => T | undefined | null | false, ms = WAIT_MS): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = read();
    if (v !== undefined && v !== null && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

const find = (m: TransferManager, id: string): TransferView | undefined =>
  m.getState().transfers.find((t) => t.id === id);
const status = (m: TransferManager, id: string) => find(m, id)?.status;
const waitStatus = (m: TransferManager, id: string, s: TransferView['status']) =>
  until(`${id} ${s}`, () => (status(m, id) === s ? find(m, id) : undefined)).catch((e: unknown) => {
    const { blob: _b, ...shown } = find(m, id) ?? { blob: null };
    throw new Error(`${String(e)}; it is ${JSON.stringify(shown)}, linked ${m.getState().linked}`);
  });
const linked = (m: TransferManager) => until('linked', () => m.getState().linked);

/** A memory sink that stores only as many bytes as the test allows: the test decides how far a transfer gets. */
function gatedSink() {
  const inner = memorySink();
  let allowed = 0;
  let written = 0;
  let waiting: (() => void)[] = [];
  const sink: Sink = {
    async write(chunk) {
      while (written + chunk.length > allowed) await new Promise<void>((r) => waiting.push(r));
      written += chunk.length;
      await inner.write(chunk);
    },
    finish: () => inner.finish(),
    abort: () => inner.abort(),
  };
  return {
    sink,
    allow(n: number) {
      allowed = n;
      const wake = waiting;
      waiting = [];
      for (const w of wake) w();
    },
    get written() {
      return written;
    },
  };
}

async function blobBytes(view: TransferView): Promise<Uint8Array> {
  if (view.blob === null) throw new Error('no blob');
  return new Uint8Array(await view.blob.arrayBuffer());
}

describe('a file from A to B', () => {
  it('arrives whole, verified by both digests, as a Blob of the right bytes', async () => {
    const { a, b } = pair();
    await Promise.all([linked(a), linked(b)]);
    const data = bytes(3 * 1024 * 1024 + 123);
    const [id = ''] = a.send([new File([data], '../evil/report.pdf', { type: 'application/pdf' })]);
    const offered = await waitStatus(b, id, 'offered');
    expect(offered).toMatchObject({
      name: 'report.pdf',
      size: data.length,
      type: 'application/pdf',
      bytes: 0,
    });
    b.accept(id, memorySink());
    const got = await waitStatus(b, id, 'done');
    expect(got.sha256).toBe(hex(data));
    expect(hex(await blobBytes(got))).toBe(hex(data));
    expect(got.blob?.type).toBe('application/octet-stream');
    const sent = await waitStatus(a, id, 'done');
    expect(sent).toMatchObject({ bytes: data.length, sent: data.length, sha256: hex(data), resumedFrom: [] });
  });

  it('an empty file', async () => {
    const { a, b } = pair();
    const [id = ''] = a.send([new File([], 'empty.txt')]);
    await waitStatus(b, id, 'offered');
    b.accept(id, memorySink());
    const got = await waitStatus(b, id, 'done');
    expect(got.sha256).toBe(hex(new Uint8Array()));
    await waitStatus(a, id, 'done');
  });

  it('offers made before the link comes up are delivered once it does', async () => {
    const net = new FakeNetwork();
    const a = createTransferManager();
    const b = createTransferManager();
    managers.push(a, b);
    const [id = ''] = a.send([new File([bytes(10)], 'early.bin')]);
    expect(find(a, id)?.paused).toBe(true);
    a.connect(net.opener('a'));
    await new Promise((r) => setTimeout(r, 50)); // A's hello is lost: B has no channel yet
    b.connect(net.opener('b'));
    await waitStatus(b, id, 'offered');
    expect(find(a, id)?.paused).toBe(false);
  });

  it('the peer’s hello reaching a channel not open yet (Chromium) still links, and the waiting offer arrives', async () => {
    const net = new FakeNetwork();
    net.deliverBeforeOpen = true;
    net.holdOpen = 'a';
    const a = createTransferManager();
    const b = createTransferManager();
    managers.push(a, b);
    const [id = ''] = a.send([new File([bytes(10)], 'shared.bin')]);
    a.connect(net.opener('a'));
    b.connect(net.opener('b'));
    // B's hello is on A's channel, still 'connecting'.
    await until(
      'B’s hello at A',
      () => net.channel('a', FILES_CHANNEL_ID)?.readyState === 'connecting' && net.arrived.b > 0,
    );
    net.openHeld();
    await waitStatus(b, id, 'offered');
    await Promise.all([linked(a), linked(b)]);
  });

  it('declined: nothing is sent', async () => {
    const { a, b, net } = pair();
    let binary = 0;
    net.onDeliver = (_from, d) => {
      if (typeof d !== 'string') binary += d.byteLength;
    };
    const [id = ''] = a.send([new File([bytes(1000)], 'no.bin')]);
    await waitStatus(b, id, 'offered');
    b.decline(id);
    await waitStatus(a, id, 'declined');
    expect(binary).toBe(0);
  });

  it('files of a folder arrive with their folder, sanitised; a lone file has none', async () => {
    const { a, b } = pair();
    await Promise.all([linked(a), linked(b)]);
    a.send([
      { file: new File(['1'], 'one.txt'), path: 'trip/day1' },
      { file: new File(['2'], 'two.txt'), path: '../../trip\\day2' },
      new File(['3'], 'lone.txt'),
    ]);
    const offers = await until('three offers', () => {
      const ts = b.getState().transfers;
      return ts.length === 3 ? ts : undefined;
    });
    expect(offers.map((t) => [t.name, t.path])).toEqual([
      ['one.txt', 'trip/day1'],
      ['two.txt', 'trip/day2'],
      ['lone.txt', ''],
    ]);
    expect(a.getState().transfers.map((t) => t.path)).toEqual(['trip/day1', '../../trip\\day2', '']);
  });

  it('sending stays within the channel buffer limit and the unacknowledged window', async () => {
    const net = new FakeNetwork();
    const a = createTransferManager();
    const b = createTransferManager();
    managers.push(a, b);
    a.connect(net.opener('a'));
    b.connect(net.opener('b'));
    let peak = 0;
    const channel = () => net.channel('a', FILES_CHANNEL_ID);
    net.onDeliver = () => {
      peak = Math.max(peak, channel()?.bufferedAmount ?? 0);
    };
    // A receiver that stores slowly: the sender must wait for its acknowledgements.
    const slow: Sink = {
      ...memorySink(),
      write: () => new Promise((r) => setTimeout(r, 1)),
      finish: async () => null,
    };
    const data = bytes(24 * 1024 * 1024, 7);
    const [id = ''] = a.send([new File([data], 'big.bin')]);
    await waitStatus(b, id, 'offered');
    b.accept(id, slow);
    let maxAhead = 0;
    const watch = setInterval(() => {
      const out = find(a, id);
      if (out !== undefined) maxAhead = Math.max(maxAhead, out.sent - out.bytes);
    }, 1);
    await waitStatus(b, id, 'done');
    clearInterval(watch);
    expect(peak).toBeLessThanOrEqual(HIGH_WATER_BYTES + 64 * 1024);
    expect(maxAhead).toBeLessThanOrEqual(WINDOW_BYTES + 64 * 1024);
    expect(maxAhead).toBeGreaterThan(0);
  });
});

describe('queue and cancel', () => {
  it('three files go one after another; the receiver cancels the second midway, the others complete', async () => {
    const { a, b, net } = pair();
    const files = [bytes(2_000_000, 1), bytes(6_000_000, 2), bytes(2_000_000, 3)];
    const ids = a.send(files.map((d, i) => new File([d], `f${i}.bin`)));
    for (const id of ids) await waitStatus(b, id, 'offered');
    const gate = gatedSink();
    const [firstId = '', second = '', thirdId = ''] = ids;
    b.accept(firstId, memorySink());
    b.accept(second, gate.sink);
    b.accept(thirdId, memorySink());
    gate.allow(2_000_000);
    await until('the second file stalled midway', () => gate.written > 2_000_000 - CHUNK);
    expect(find(b, second)?.status).toBe('receiving');
    b.cancel(second);
    const [first, cancelled, third] = await Promise.all(
      ids.map((id, i) => waitStatus(b, id, i === 1 ? 'cancelled' : 'done')),
    );
    expect(hex(await blobBytes(first as TransferView))).toBe(hex(files[0] as Uint8Array));
    expect(hex(await blobBytes(third as TransferView))).toBe(hex(files[2] as Uint8Array));
    expect(cancelled).toMatchObject({ cancelledBy: 'me', blob: null });
    const aSide = await waitStatus(a, second, 'cancelled');
    expect(aSide.cancelledBy).toBe('peer');
    // The sender stopped within its window of what the receiver had stored.
    expect(aSide.sent).toBeLessThanOrEqual(2_000_000 + SMALL.windowBytes + CHUNK);
    await waitStatus(a, firstId, 'done');
    await waitStatus(a, thirdId, 'done');
    expect(net.lost).toBe(0);
  });

  it('the sender cancels: the receiver sees it, keeps nothing, and chunks still in flight are dropped', async () => {
    const { a, b } = pair();
    const [id = ''] = a.send([new File([bytes(8_000_000)], 'x.bin')]);
    await waitStatus(b, id, 'offered');
    const gate = gatedSink();
    b.accept(id, gate.sink);
    gate.allow(1_000_000);
    await until('a million bytes stored', () => gate.written > 1_000_000 - CHUNK);
    a.cancel(id);
    const got = await waitStatus(b, id, 'cancelled');
    expect(got).toMatchObject({ cancelledBy: 'peer', blob: null });
    gate.allow(Number.POSITIVE_INFINITY);
    await new Promise((r) => setTimeout(r, 100));
    expect(find(b, id)?.status).toBe('cancelled');
    expect(gate.written).toBeLessThan(8_000_000);
  });
});

describe('resume', () => {
  it('after the channel closes midway, it continues from what the receiver holds, not from zero', async () => {
    const { a, b, net } = pair();
    const data = bytes(12_000_000, 5);
    const [id = ''] = a.send([new File([data], 'resume.bin')]);
    await waitStatus(b, id, 'offered');
    const gate = gatedSink();
    b.accept(id, gate.sink);
    gate.allow(4_000_000);
    await until('a third stored', () => gate.written > 4_000_000 - CHUNK);
    await until('a third in', () => (find(b, id)?.bytes ?? 0) >= 4_000_000);
    net.channel('b', FILES_CHANNEL_ID)?.close();
    await until('paused', () => find(b, id)?.paused);
    gate.allow(Number.POSITIVE_INFINITY);
    const got = await waitStatus(b, id, 'done');
    expect(got.sha256).toBe(hex(data));
    expect(hex(await blobBytes(got))).toBe(hex(data));
    const out = await waitStatus(a, id, 'done');
    const [from = 0] = out.resumedFrom;
    expect(out.resumedFrom).toHaveLength(1);
    expect(from).toBeGreaterThanOrEqual(4_000_000);
    expect(got.resumedFrom).toEqual(out.resumedFrom);
    // Bytes sent: the whole file once, plus only what was in flight when the channel closed.
    expect(out.sent).toBeLessThanOrEqual(data.length + SMALL.windowBytes + CHUNK);
  });

  it('after the whole connection drops and a new one is made (new openChannel), it resumes too', async () => {
    const first = new FakeNetwork();
    const { a, b } = pair(first);
    const data = bytes(10_000_000, 9);
    const [id = ''] = a.send([new File([data], 'r.bin')]);
    await waitStatus(b, id, 'offered');
    const gate = gatedSink();
    b.accept(id, gate.sink);
    gate.allow(3_000_000);
    await until('some stored', () => gate.written > 3_000_000 - CHUNK);
    first.cut();
    a.disconnect();
    b.disconnect();
    await until('paused on both', () => find(a, id)?.paused && find(b, id)?.paused);
    const held = find(b, id)?.bytes ?? 0;
    expect(held).toBeGreaterThanOrEqual(3_000_000);
    gate.allow(Number.POSITIVE_INFINITY);
    const second = new FakeNetwork();
    a.connect(second.opener('a'));
    b.connect(second.opener('b'));
    const got = await waitStatus(b, id, 'done');
    expect(hex(await blobBytes(got))).toBe(hex(data));
    const out = await waitStatus(a, id, 'done');
    expect(out.resumedFrom[0]).toBeGreaterThanOrEqual(held);
    expect(out.sent).toBeLessThanOrEqual(data.length + SMALL.windowBytes + CHUNK);
  });

  it('a cancel made while the link is down reaches the peer when it is back', async () => {
    const net = new FakeNetwork();
    const { a, b } = pair(net);
    const [id = ''] = a.send([new File([bytes(4_000_000)], 'c.bin')]);
    await waitStatus(b, id, 'offered');
    const gate = gatedSink();
    b.accept(id, gate.sink);
    gate.allow(1_000_000);
    await until('some stored', () => gate.written > 1_000_000 - CHUNK);
    net.cut();
    await until('paused', () => find(b, id)?.paused);
    b.cancel(id);
    net.up = true;
    const out = await waitStatus(a, id, 'cancelled');
    expect(out.cancelledBy).toBe('peer');
  });
});

describe('publishing', () => {
  it('subscribers see status changes; dispose stops them', async () => {
    const { a, b } = pair();
    const seen: FilesSnapshot[] = [];
    const off = b.subscribe((s) => seen.push(s));
    const [id = ''] = a.send([new File([bytes(10)], 's.bin')]);
    await waitStatus(b, id, 'offered');
    expect(seen.some((s) => s.transfers.some((t) => t.id === id && t.status === 'offered'))).toBe(true);
    off();
    const count = seen.length;
    b.accept(id, memorySink());
    await waitStatus(b, id, 'done');
    expect(seen.length).toBe(count);
    b.remove(id);
    expect(find(b, id)).toBeUndefined();
  });
});
