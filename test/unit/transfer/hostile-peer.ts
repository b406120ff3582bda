// A hostile (or broken) peer for the transfer engine's tests: the app (a real manager) on side A, and a raw
// files channel on side B that the test speaks through, message by message.
import { createHash } from 'node:crypto';
import { afterEach } from 'vitest';
import type { FileChannel } from '../../../src/transfer/channel.ts';
import { createTransferManager } from '../../../src/transfer/manager.ts';
import {
  type Chunk,
  DEFAULT_MAX_CHUNK,
  decodeChunk,
  encodeChunk,
  encodeFilesMessage,
  FILES_CHANNEL_ID,
  FILES_CHANNEL_LABEL,
  type FilesMessage,
  parseFilesMessage,
} from '../../../src/transfer/protocol.ts';
import { memorySink } from '../../../src/transfer/sink.ts';
import type { ManagerDeps, TransferManager, TransferView } from '../../../src/transfer/types.ts';
import { FakeNetwork } from './fake-channel.ts';

export const managers: TransferManager[] = [];
afterEach(() => {
  for (const m of managers.splice(0)) m.dispose();
});

export const hex = (data: Uint8Array) => createHash('sha256').update(data).digest('hex');
export const tick = (ms = 20) => new Promise((r) => setTimeout(r, ms));

export async function until<T>(
  what: string,
  read: () => T | undefined | null | false,
  ms = 5_000,
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = read();
    if (v !== undefined && v !== null && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await tick(5);
  }
}

/** The app on side A, and a raw channel on side B that the test speaks through. */
export async function hostile(deps: ManagerDeps = {}) {
  const net = new FakeNetwork();
  const app = createTransferManager(deps);
  managers.push(app);
  app.connect(net.opener('a'));
  const raw = net.opener('b')(FILES_CHANNEL_LABEL, { negotiated: true, id: FILES_CHANNEL_ID }) as FileChannel;
  const heard: FilesMessage[] = [];
  raw.addEventListener('message', (e) => {
    const data = (e as MessageEvent).data;
    if (typeof data === 'string') {
      const m = parseFilesMessage(data);
      if (m.ok) heard.push(m.value);
    }
  });
  await until('raw open', () => raw.readyState === 'open');
  const say = (m: Parameters<typeof encodeFilesMessage>[0]) => raw.send(encodeFilesMessage(m));
  say({ t: 'hello', maxChunk: DEFAULT_MAX_CHUNK, seen: false });
  await until('linked', () => app.getState().linked);
  const find = (id: string): TransferView | undefined => app.getState().transfers.find((t) => t.id === id);
  /** Offers, lets the app accept into memory, waits for its accept. */
  const offered = async (id: string, size: number, name = 'f.bin', n = 0) => {
    say({ t: 'offer', id, n, name, size, type: 'application/octet-stream' });
    await until('offer shown', () => find(id)?.status === 'offered');
    app.accept(id, memorySink());
    await until('accept heard', () => heard.some((m) => m.t === 'accept' && m.id === id));
  };
  const chunk = (n: number, offset: number, payload: Uint8Array) => raw.send(encodeChunk(n, offset, payload));
  return { app, raw, say, heard, find, offered, chunk, net };
}

/**
 * A raw files channel on side B of `net` (the first one, or a new one after the last closed) that answers the
 * app's hello and says its own; text messages land in `heard`, chunks go to `onChunk`. Resolves once linked.
 */
export async function rawPeer(net: FakeNetwork, onChunk: (c: Chunk, raw: FileChannel) => void) {
  const raw = await until('a free channel id', () =>
    net.opener('b')(FILES_CHANNEL_LABEL, { negotiated: true, id: FILES_CHANNEL_ID }),
  );
  const heard: FilesMessage[] = [];
  raw.addEventListener('message', (e) => {
    const d = (e as MessageEvent).data;
    if (typeof d === 'string') {
      const m = parseFilesMessage(d);
      if (m.ok) heard.push(m.value);
      if (m.ok && m.value.t === 'hello' && !m.value.seen)
        raw.send(encodeFilesMessage({ t: 'hello', maxChunk: DEFAULT_MAX_CHUNK, seen: true }));
      return;
    }
    const c = decodeChunk(d as ArrayBuffer);
    if (!c.ok) throw new Error('a chunk that does not decode');
    onChunk(c.value, raw);
  });
  await until('open', () => raw.readyState === 'open');
  raw.send(encodeFilesMessage({ t: 'hello', maxChunk: DEFAULT_MAX_CHUNK, seen: false }));
  return { raw, heard };
}
