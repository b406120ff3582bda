// A transfer engine that records what it was asked to do, for the app's files glue (src/app/files.ts):
// what it sent, the intents about one transfer, whether it is connected; its transfers are set by the test.
import type { FilesSnapshot, TransferManager, TransferView } from '../../../src/transfer/index.ts';

export function fakeManager() {
  const sent: string[][] = [];
  const asked: string[] = [];
  let connected = false;
  const listeners = new Set<(s: FilesSnapshot) => void>();
  let snapshot: FilesSnapshot = {
    transfers: [],
    linked: false,
    offersLimited: false,
    counters: { strayChunks: 0, badMessages: 0, limitedOffers: 0 },
  };
  const manager: TransferManager = {
    connect: () => {
      connected = true;
    },
    disconnect: () => {
      connected = false;
    },
    send: (files) => {
      sent.push(files.map((f) => (f instanceof File ? f.name : f.file.name)));
      return [];
    },
    accept: (id) => void asked.push(`accept:${id}`),
    decline: (id) => void asked.push(`decline:${id}`),
    cancel: (id) => void asked.push(`cancel:${id}`),
    remove: (id) => void asked.push(`remove:${id}`),
    getState: () => snapshot,
    subscribe: (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    dispose: () => undefined,
  };
  const setTransfers = (transfers: readonly TransferView[]) => {
    snapshot = { ...snapshot, transfers };
    for (const l of [...listeners]) l(snapshot);
  };
  return { manager, sent, asked, setTransfers, isConnected: () => connected };
}

/** A transfer as the engine lists it; `over` sets what the test is about. */
export function transfer(over: Partial<TransferView> & Pick<TransferView, 'id'>): TransferView {
  return {
    direction: 'in',
    name: `${over.id}.bin`,
    path: '',
    size: 3,
    type: '',
    status: 'offered',
    bytes: 0,
    sent: 0,
    resumedFrom: [],
    paused: false,
    cancelledBy: null,
    failure: null,
    bytesPerSecond: 0,
    etaSeconds: null,
    sha256: null,
    blob: null,
    toDisk: false,
    ...over,
  };
}
