// A hostile (or broken) peer drives one side with raw messages on the files channel: every lie is caught,
// nothing is kept as a good file, and the manager stays usable afterwards.
import { describe, expect, it } from 'vitest';
import { createTransferManager } from '../../../src/transfer/manager.ts';
import { MAX_NAME_CHARS } from '../../../src/transfer/name.ts';
import { MAX_PENDING_OFFERS } from '../../../src/transfer/offer-rate.ts';
import { encodeFilesMessage, MAX_CHUNK } from '../../../src/transfer/protocol.ts';
import { diskSink, type WritableFile } from '../../../src/transfer/sink.ts';
import { FakeNetwork } from './fake-channel.ts';
import { hex, hostile, managers, rawPeer, tick, until } from './hostile-peer.ts';

describe('a hostile peer', () => {
  it('path-like and 10,000-character names are shown (and would be saved) as one safe, short name', async () => {
    const h = await hostile();
    h.say({ t: 'offer', id: 'p1', n: 1, name: '../../../../etc/passwd', size: 5, type: 'text/html' });
    h.say({
      t: 'offer',
      id: 'p2',
      n: 2,
      name: 'C:\\Windows\\System32\\drivers\\etc\\hosts',
      size: 5,
      type: '',
    });
    h.say({ t: 'offer', id: 'p3', n: 3, name: `${'A'.repeat(10_000)}.txt`, size: 5, type: '' });
    h.say({ t: 'offer', id: 'p4', n: 4, name: 'CON', size: 5, type: '' });
    await until('four offers', () => h.app.getState().transfers.length === 4);
    expect(h.find('p1')?.name).toBe('passwd');
    expect(h.find('p2')?.name).toBe('hosts');
    expect([...(h.find('p3')?.name ?? '')].length).toBe(MAX_NAME_CHARS);
    expect(h.find('p3')?.name.endsWith('.txt')).toBe(true);
    expect(h.find('p4')?.name).toBe('_CON');
  });

  it('more bytes than declared: the transfer fails, nothing is kept, the peer is told', async () => {
    const h = await hostile();
    await h.offered('big', 100);
    h.chunk(0, 0, new Uint8Array(200));
    const t = await until('failed', () => (h.find('big')?.status === 'failed' ? h.find('big') : undefined));
    expect(t).toMatchObject({ failure: 'size-mismatch', blob: null, sha256: null });
    await until('cancel heard', () => h.heard.some((m) => m.t === 'cancel' && m.id === 'big'));
  });

  it('fewer bytes than declared, then done: fails as a size mismatch', async () => {
    const h = await hostile();
    const data = new Uint8Array(50).fill(7);
    await h.offered('small', 100);
    h.chunk(0, 0, data);
    h.say({ t: 'done', id: 'small', size: 50, sha256: hex(data) });
    const t = await until('failed', () =>
      h.find('small')?.status === 'failed' ? h.find('small') : undefined,
    );
    expect(t).toMatchObject({ failure: 'size-mismatch', blob: null });
  });

  it('a digest that does not match: shown as failed, never offered as a file', async () => {
    const h = await hostile();
    const data = new Uint8Array(1000).fill(1);
    await h.offered('liar', 1000);
    h.chunk(0, 0, data);
    h.say({ t: 'done', id: 'liar', size: 1000, sha256: hex(new Uint8Array(1000).fill(2)) });
    const t = await until('failed', () => (h.find('liar')?.status === 'failed' ? h.find('liar') : undefined));
    expect(t).toMatchObject({ failure: 'mismatch', blob: null, sha256: null });
    await until('result heard', () => h.heard.some((m) => m.t === 'result' && m.id === 'liar' && !m.ok));
  });

  it('the same bytes with the right digest do arrive (the checks above are not refusing everything)', async () => {
    const h = await hostile();
    const data = new Uint8Array(1000).fill(1);
    await h.offered('honest', 1000);
    h.chunk(0, 0, data.subarray(0, 600));
    h.chunk(0, 600, data.subarray(600));
    h.say({ t: 'done', id: 'honest', size: 1000, sha256: hex(data) });
    const t = await until('done', () => (h.find('honest')?.status === 'done' ? h.find('honest') : undefined));
    expect(t.sha256).toBe(hex(data));
    expect(hex(new Uint8Array(await (t.blob as Blob).arrayBuffer()))).toBe(hex(data));
  });

  it('chunks after a cancel and chunks for unknown streams are dropped and counted', async () => {
    const h = await hostile();
    await h.offered('c', 10_000);
    h.chunk(0, 0, new Uint8Array(100));
    await until('100 in', () => h.find('c')?.bytes === 100);
    h.app.cancel('c');
    await until('cancel heard', () => h.heard.some((m) => m.t === 'cancel' && m.id === 'c'));
    h.chunk(0, 100, new Uint8Array(100));
    h.chunk(77, 0, new Uint8Array(100));
    await until('two strays', () => h.app.getState().counters.strayChunks === 2);
    expect(h.find('c')).toMatchObject({ status: 'cancelled', bytes: 100, blob: null });
  });

  it('an oversize chunk or a chunk at the wrong offset breaks only that transfer', async () => {
    const h = await hostile();
    await h.offered('o', 10_000_000, 'o.bin', 1);
    h.chunk(1, 0, new Uint8Array(MAX_CHUNK)); // header makes it exceed the announced limit
    await until('oversize failed', () => h.find('o')?.failure === 'protocol');
    await h.offered('g', 1000, 'g.bin', 2);
    h.chunk(2, 500, new Uint8Array(10));
    await until('gap failed', () => h.find('g')?.failure === 'protocol');
    expect(h.find('g')?.blob).toBeNull();
  });

  it('garbage text and bytes are counted and ignored; a proper transfer still works afterwards', async () => {
    const h = await hostile();
    h.raw.send('not json');
    h.raw.send('{"v":1,"t":"accept","id":"never-offered","offset":0}');
    h.raw.send(new Uint8Array([1, 2, 3]));
    await until('counted', () => h.app.getState().counters.badMessages === 2);
    await until('unknown id answered', () =>
      h.heard.some((m) => m.t === 'cancel' && m.id === 'never-offered'),
    );
    const data = new Uint8Array(10).fill(9);
    await h.offered('after', 10);
    h.chunk(0, 0, data);
    h.say({ t: 'done', id: 'after', size: 10, sha256: hex(data) });
    await until('done', () => h.find('after')?.status === 'done');
  });

  it('a flood of offers: beyond the limit they are declined, not listed', async () => {
    const h = await hostile();
    for (let i = 0; i < MAX_PENDING_OFFERS + 10; i++)
      h.say({ t: 'offer', id: `f${i}`, n: i, name: 'x', size: 1, type: '' });
    await until('declines', () => h.heard.filter((m) => m.t === 'decline').length === 10);
    expect(h.app.getState().transfers.length).toBe(MAX_PENDING_OFFERS);
  });

  it('a second offer on a stream number still in use is declined', async () => {
    const h = await hostile();
    await h.offered('s1', 100, 'a', 5);
    h.say({ t: 'offer', id: 's2', n: 5, name: 'b', size: 100, type: '' });
    await until('declined', () => h.heard.some((m) => m.t === 'decline' && m.id === 's2'));
    expect(h.find('s2')).toBeUndefined();
  });

  it('as sender: resuming from a later offset (inside an earlier chunk, or beyond what it read) keeps the true digest', async () => {
    const net = new FakeNetwork();
    // A small window: without acknowledgements the sender stops about 256 KiB in, mid-file.
    const app = createTransferManager({ windowBytes: 256 * 1024 });
    managers.push(app);
    app.connect(net.opener('a'));
    const data = new Uint8Array(3 * 1024 * 1024 + 5).map((_, i) => (i * 7) & 0xff);
    const [id = ''] = app.send([new File([data], 'x.bin')]);
    for (const resumeAt of [0, 1000, 1_500_001]) {
      let next = resumeAt;
      const last = resumeAt === 1_500_001;
      const { raw, heard } = await rawPeer(net, (c, ch) => {
        if (c.offset !== next) throw new Error('chunk out of order');
        next += c.payload.length;
        if (last) ch.send(encodeFilesMessage({ t: 'ack', id, offset: next }));
      });
      await until('offer', () => heard.some((m) => m.t === 'offer'));
      raw.send(encodeFilesMessage({ t: 'accept', id, offset: resumeAt }));
      if (!last) {
        // The sender stalls at its window; drop the channel as a reconnect would.
        await until('the window sent', () => next > resumeAt + 200_000);
        if (resumeAt === 0) expect(next).toBeLessThan(1000 + 256 * 1024); // the next resume is inside it
        await tick(50);
        raw.close();
        await until('paused', () => !app.getState().linked);
        continue;
      }
      const done = await until('done', () => heard.find((m) => m.t === 'done'));
      expect(next).toBe(data.length);
      expect(done).toMatchObject({ size: data.length, sha256: hex(data) });
    }
    expect(app.getState().transfers[0]?.resumedFrom).toEqual([1000, 1_500_001]);
  }, 20_000);

  it('streaming to disk: the file is committed only when the digest matches, and aborted when it does not', async () => {
    const h = await hostile();
    const disk = () => {
      const calls: string[] = [];
      let written = 0;
      const file: WritableFile = {
        write: async (b) => {
          written += b.length;
        },
        close: async () => {
          calls.push('close');
        },
        abort: async () => {
          calls.push('abort');
        },
      };
      return { file, calls, written: () => written };
    };
    const data = new Uint8Array(3000).fill(6);
    for (const [id, n, digest, expected] of [
      ['disk-bad', 10, hex(new Uint8Array(3000).fill(7)), 'abort'],
      ['disk-good', 11, hex(data), 'close'],
    ] as const) {
      const d = disk();
      h.say({ t: 'offer', id, n, name: `${id}.bin`, size: data.length, type: '' });
      await until('offer shown', () => h.find(id)?.status === 'offered');
      h.app.accept(id, diskSink(d.file), true);
      await until('accept heard', () => h.heard.some((m) => m.t === 'accept' && m.id === id));
      h.chunk(n, 0, data);
      h.say({ t: 'done', id, size: data.length, sha256: digest });
      await until('settled', () => h.find(id)?.status === 'done' || h.find(id)?.status === 'failed');
      expect(d.calls).toEqual([expected]);
      expect(d.written()).toBe(data.length);
      expect(h.find(id)).toMatchObject({
        toDisk: true,
        blob: null,
        status: expected === 'close' ? 'done' : 'failed',
      });
    }
  });
});
