// The receiving side: a peer's offers (bounded, names sanitised), the person's accept and decline, binary
// chunks checked against the offer before they reach the sink, acknowledgements once they are stored, and the
// digest comparison that alone lets a file count as done. Every lie a hostile peer can tell ends here as a
// failure or a dropped, counted message; nothing is kept as a good file.

import { type Core, FINAL, type Incoming, offered, refused, sample, type Transfer } from './core.ts';
import { createHasher } from './hash.ts';
import { sanitizeFileName, sanitizeFolderPath, sanitizeMimeType } from './name.ts';
import { MAX_PENDING_OFFERS, offerAllowance } from './offer-rate.ts';
import { decodeChunk, type FilesMessage } from './protocol.ts';
import type { Sink } from './sink.ts';
import type { TransferFailure } from './types.ts';

/** The receiver acknowledges every this many bytes (and at the end). */
export const ACK_EVERY_BYTES = 1024 * 1024;
/** Offers past the allowance are declined, and the list says so for this long after the last one. */
export const LIMITED_NOTICE_MS = 10_000;

export interface Receiver {
  /** The peer offers a file; `known` is whatever we already hold under its id. */
  onOffer(m: Extract<FilesMessage, { t: 'offer' }>, known: Transfer | undefined): void;
  /** The sender's 'done' or cancel for one of the transfers we receive. */
  onControl(t: Incoming, m: FilesMessage): void;
  onChunk(data: ArrayBuffer): void;
  accept(id: string, sink: Sink, toDisk: boolean): void;
  decline(id: string): void;
  /** Discards what the sink holds (a file on disk is never committed). */
  release(t: Incoming): void;
  dispose(): void;
}

export function createReceiver(core: Core, ackEvery: number): Receiver {
  const takeToken = offerAllowance(core.now);
  let noticeTimer: ReturnType<typeof setTimeout> | undefined;

  function limited(): void {
    core.limitedOffers++;
    const wasLimited = core.limitedUntil > core.now();
    core.limitedUntil = core.now() + LIMITED_NOTICE_MS;
    clearTimeout(noticeTimer);
    noticeTimer = setTimeout(core.publish, LIMITED_NOTICE_MS);
    if (wasLimited) core.publishSoon();
    else core.publish();
  }

  function release(t: Incoming): void {
    void t.sink?.abort();
    t.sink = null;
  }

  function failIn(t: Incoming, failure: TransferFailure): void {
    t.status = 'failed';
    t.failure = failure;
    release(t);
    core.post({ t: 'cancel', id: t.id, reason: 'error' });
    core.publish();
  }

  function onOffer(m: Extract<FilesMessage, { t: 'offer' }>, known: Transfer | undefined): void {
    if (known !== undefined) {
      if (known.direction === 'in') answerAgain(known);
      return; // an id of our own offers: ignored
    }
    if (!takeToken()) {
      core.post({ t: 'decline', id: m.id });
      limited();
      return;
    }
    const all = [...core.transfers.values()];
    const pending = all.filter((t) => t.direction === 'in' && t.status === 'offered').length;
    const streamTaken = all.some((t) => t.direction === 'in' && t.n === m.n && !FINAL.has(t.status));
    if (pending >= MAX_PENDING_OFFERS || streamTaken) {
      core.post({ t: 'decline', id: m.id });
      return;
    }
    const type = m.type === '' ? '' : sanitizeMimeType(m.type);
    const t: Incoming = {
      direction: 'in',
      ...offered(m.id, m.n, sanitizeFileName(m.name), m.size, type, sanitizeFolderPath(m.path ?? '')),
      received: 0,
      lastAck: 0,
      ackPosted: 0,
      hasher: null,
      sink: null,
      toDisk: false,
      writes: Promise.resolve(),
      done: null,
      blob: null,
    };
    core.transfers.set(t.id, t);
    core.publish();
  }

  /** The sender offered a transfer we already know: it reconnected, tell it where we stand. */
  function answerAgain(t: Incoming): void {
    switch (t.status) {
      case 'offered':
        return; // still up to the person
      case 'receiving':
        if (t.epoch === core.epoch) return; // already answered on this channel
        if (t.received > 0) t.resumedFrom.push(t.received);
        t.epoch = core.epoch;
        t.lastAck = t.received;
        t.ackPosted = t.received;
        core.post({ t: 'accept', id: t.id, offset: t.received });
        core.publish();
        return;
      case 'verifying':
        return; // the result follows
      case 'done':
        core.post({ t: 'result', id: t.id, ok: true });
        return;
      case 'failed':
        core.post(
          t.failure === 'mismatch'
            ? { t: 'result', id: t.id, ok: false }
            : { t: 'cancel', id: t.id, reason: 'error' },
        );
        return;
      case 'declined':
        core.post({ t: 'decline', id: t.id });
        return;
      default:
        core.post({ t: 'cancel', id: t.id, reason: 'user' });
    }
  }

  function onControl(t: Incoming, m: FilesMessage): void {
    if (FINAL.has(t.status)) return;
    switch (m.t) {
      case 'done':
        if (t.status !== 'receiving' || t.done !== null) return;
        if (m.size !== t.size || m.size !== t.received) {
          failIn(t, 'size-mismatch');
          return;
        }
        t.done = { size: m.size, sha256: m.sha256 };
        void finish(t);
        return;
      case 'cancel':
        t.cancelledBy = m.reason === 'user' ? 'peer' : null;
        if (m.reason === 'user') t.status = 'cancelled';
        else {
          t.status = 'failed';
          t.failure = 'peer-error';
        }
        release(t);
        core.publish();
        return;
      default:
        return;
    }
  }

  function onChunk(data: ArrayBuffer): void {
    const decoded = decodeChunk(data);
    if (!decoded.ok) {
      refused(core);
      return;
    }
    const { n, offset, payload } = decoded.value;
    let t: Incoming | undefined;
    for (const x of core.transfers.values()) {
      if (x.direction === 'in' && x.n === n && x.status === 'receiving' && x.epoch === core.epoch) {
        t = x;
        break;
      }
    }
    if (t === undefined || t.sink === null) {
      core.strayChunks++;
      core.publishSoon();
      return;
    }
    if (data.byteLength > core.ourMaxChunk || payload.length === 0 || offset !== t.received) {
      failIn(t, 'protocol');
      return;
    }
    if (t.received + payload.length > t.size) {
      failIn(t, 'size-mismatch');
      return;
    }
    // Beyond the window we announced (one chunk of slack for earlier versions, which checked before a chunk):
    // the sender ignores our acks, and what it pushes would pile up in the write chain.
    if (t.received + payload.length - t.ackPosted > core.ourWindow + core.ourMaxChunk) {
      failIn(t, 'protocol');
      return;
    }
    t.received += payload.length;
    const sink = t.sink;
    const incoming = t;
    t.writes = t.writes.then(() => {
      incoming.hasher?.update(payload);
      return sink.write(payload);
    });
    t.writes.catch(() => {
      if (incoming.status === 'receiving') failIn(incoming, 'storage');
    });
    if (t.received - t.lastAck >= ackEvery || t.received === t.size) {
      t.lastAck = t.received;
      const at = t.received;
      const ep = core.epoch;
      // Acknowledged only once stored, and only on the channel it was received on.
      void t.writes.then(
        () => {
          if (incoming.status !== 'receiving' && incoming.status !== 'verifying') return;
          if (ep === core.epoch && core.post({ t: 'ack', id: incoming.id, offset: at }))
            incoming.ackPosted = Math.max(incoming.ackPosted, at);
        },
        () => undefined,
      );
    }
    sample(core, t, t.received);
    core.publishSoon();
  }

  async function finish(t: Incoming): Promise<void> {
    t.status = 'verifying';
    core.publish();
    try {
      await t.writes;
    } catch {
      return; // failIn already ran
    }
    if (t.status !== 'verifying' || t.done === null || t.hasher === null) return;
    const digest = t.hasher.digestHex();
    const sink = t.sink;
    t.sink = null;
    if (digest !== t.done.sha256) {
      await sink?.abort();
      t.status = 'failed';
      t.failure = 'mismatch';
      core.post({ t: 'result', id: t.id, ok: false });
      core.publish();
      return;
    }
    try {
      t.blob = (await sink?.finish()) ?? null;
    } catch {
      t.status = 'failed';
      t.failure = 'storage';
      core.post({ t: 'cancel', id: t.id, reason: 'error' });
      core.publish();
      return;
    }
    t.sha256 = digest;
    t.status = 'done';
    core.post({ t: 'result', id: t.id, ok: true });
    core.publish();
  }

  function accept(id: string, sink: Sink, toDisk: boolean): void {
    const t = core.transfers.get(id);
    if (t?.direction !== 'in' || t.status !== 'offered') {
      void sink.abort();
      return;
    }
    t.sink = sink;
    t.toDisk = toDisk;
    t.status = 'receiving';
    // Chunks may arrive before the hasher is ready: the write chain starts with it, so none is hashed early.
    const incoming = t;
    t.writes = createHasher().then((h) => {
      incoming.hasher = h;
    });
    sample(core, t, 0);
    // Off the link, the sender's next offer (after the reconnect) gets this answer instead.
    if (core.linked) {
      t.epoch = core.epoch;
      core.post({ t: 'accept', id, offset: 0 });
    }
    core.publish();
  }

  function decline(id: string): void {
    const t = core.transfers.get(id);
    if (t?.direction !== 'in' || t.status !== 'offered') return;
    t.status = 'declined';
    if (!core.post({ t: 'decline', id })) t.tellPeer = 'decline';
    core.publish();
  }

  return {
    onOffer,
    onControl,
    onChunk,
    accept,
    decline,
    release,
    dispose: () => clearTimeout(noticeTimer),
  };
}
