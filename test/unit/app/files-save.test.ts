// Saving what arrived (src/app/files.ts): received files stay saveable after the connection is lost or the
// peer hung up (the engine only pauses), "Save all" zips every file received into memory with its folder, and
// a file streamed to disk says the name it was saved as.
import { unzipSync } from 'fflate';
import { afterEach, describe, expect, it } from 'vitest';
import { createFiles, type FilesApp } from '../../../src/app/files.ts';
import type { SessionState } from '../../../src/rtc/index.ts';
import { createTransferManager, memorySink, type TransferManager } from '../../../src/transfer/index.ts';
import { bytes } from '../transfer/bytes.ts';
import { FakeNetwork } from '../transfer/fake-channel.ts';

const apps: FilesApp[] = [];
const managers: TransferManager[] = [];
afterEach(() => {
  for (const a of apps.splice(0)) a.dispose();
  for (const m of managers.splice(0)) m.dispose();
});

async function until<T>(what: string, read: () => T | undefined | false): Promise<T> {
  for (let i = 0; i < 4000; i++) {
    const v = read();
    if (v !== undefined && v !== false) return v;
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error(`timed out waiting for ${what}`);
}

const LOST = { kind: 'closed', reason: 'connection-lost' } as unknown as SessionState;
const HUNG_UP = { kind: 'closed', reason: 'peer-hangup' } as unknown as SessionState;

/** A sends `files` to B's files app; B accepts each into memory; resolves once all are done. */
async function received(files: { path: string; name: string; data: Uint8Array<ArrayBuffer> }[]) {
  const net = new FakeNetwork();
  const a = createTransferManager();
  const b = createTransferManager();
  managers.push(a, b);
  const app = createFiles({ manager: b, estimate: null, showSaveFilePicker: null });
  apps.push(app);
  a.connect(net.opener('a'));
  b.connect(net.opener('b'));
  await until('linked', () => a.getState().linked && b.getState().linked);
  a.send(files.map((f) => ({ file: new File([f.data], f.name), path: f.path })));
  const offers = await until(
    'offers',
    () => b.getState().transfers.length === files.length && b.getState().transfers,
  );
  for (const t of offers) b.accept(t.id, memorySink());
  await until('all received', () => app.getState().transfers.every((t) => t.status === 'done'));
  return { app, net };
}

const FILES = [
  { path: 'trip/day1', name: 'a.bin', data: bytes(200_000, 1) },
  { path: 'trip/day1', name: 'b.bin', data: bytes(70_000, 2) },
  { path: 'trip/day2', name: 'a.bin', data: bytes(1, 3) },
];

describe('received files, saved', () => {
  it.each([
    ['the connection is lost', LOST],
    ['the peer hung up', HUNG_UP],
  ])('stay listed with their bytes, and zip, after %s', async (_, closed) => {
    const { app, net } = await received(FILES);
    net.cut();
    app.follow(null, closed);
    const view = app.getState();
    expect(view.linked).toBe(false);
    expect(view.transfers.map((t) => [t.status, t.path, t.name, t.blob?.size])).toEqual(
      FILES.map((f) => ['done', f.path, f.name, f.data.length]),
    );
    expect(view.zippable).toBe(3);
    app.dispatch({ type: 'zip-all' });
    expect(app.getState().zip).toEqual({ status: 'making', count: 3 });
    const zip = await until('the zip', () => {
      const z = app.getState().zip;
      return z?.status === 'ready' && z;
    });
    const back = unzipSync(new Uint8Array(await zip.blob.arrayBuffer()));
    expect(Object.keys(back).sort()).toEqual(['trip/day1/a.bin', 'trip/day1/b.bin', 'trip/day2/a.bin']);
    for (const f of FILES)
      expect(Buffer.from(back[`${f.path}/${f.name}`] ?? []).equals(Buffer.from(f.data)), f.name).toBe(true);
  });

  it('a file streamed to disk says the name the person saved it as, and is not in the zip', async () => {
    const net = new FakeNetwork();
    const a = createTransferManager();
    const b = createTransferManager();
    managers.push(a, b);
    const written: Uint8Array[] = [];
    const app = createFiles({
      manager: b,
      estimate: null,
      showSaveFilePicker: async () => ({
        name: 'my copy.bin',
        createWritable: async () => ({
          write: async (d) => void written.push(d),
          close: async () => undefined,
          abort: async () => undefined,
        }),
      }),
    });
    apps.push(app);
    a.connect(net.opener('a'));
    b.connect(net.opener('b'));
    await until('linked', () => a.getState().linked && b.getState().linked);
    a.send([new File([bytes(1000, 4)], 'x.bin')]);
    const offer = await until('offer', () => b.getState().transfers[0]);
    app.dispatch({ type: 'accept', id: offer.id, toDisk: true });
    const done = await until('done', () => app.getState().transfers.find((t) => t.status === 'done'));
    expect(done.toDisk).toBe(true);
    expect(app.getState().savedAs.get(offer.id)).toBe('my copy.bin');
    expect(app.getState().zippable).toBe(0);
    expect(written.reduce((n, d) => n + d.length, 0)).toBe(1000);
  });
});
