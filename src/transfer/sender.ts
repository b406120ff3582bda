// The sending side: offers, the peer's answers to them, and paced, windowed sending that resumes from the
// offset the receiver holds. Files go one at a time, in the order they were offered; the file is read in
// blocks (one read ahead) and hashed incrementally, so memory stays bounded whatever its size.

import { type Core, FINAL, type Outgoing, offered, sample } from './core.ts';
import { createHasher } from './hash.ts';
import { encodeChunk, type FilesMessage, FRAME_HEADER_BYTES, LEGACY_WINDOW_BYTES } from './protocol.ts';

/** Sending pauses while the channel holds more than this, and resumes at 'bufferedamountlow'. */
export const HIGH_WATER_BYTES = 4 * 1024 * 1024;
export const LOW_WATER_BYTES = 1024 * 1024;
/**
 * At most this much may be sent beyond what the receiver acknowledged as stored: bounds its memory. The same
 * value earlier versions used (LEGACY_WINDOW_BYTES), so they accept what we send and we accept what they send.
 */
export const WINDOW_BYTES = LEGACY_WINDOW_BYTES;
/**
 * A transfer may continue after this many reconnects at most: each one resends up to a window, so a peer that
 * keeps reopening the channel cannot make us upload the file again and again.
 */
export const MAX_RESUMES = 64;
/** The file is read in slices of this size, never whole. */
export const READ_BLOCK_BYTES = 1024 * 1024;
/** A waiting sender re-checks at least this often, in case a wake-up was missed. */
export const SEND_POLL_MS = 250;
/** A chunk carries at least this many payload bytes, however small the peer's declared limit. */
const MIN_PAYLOAD_BYTES = 1;

export interface Sender {
  /** A new outgoing transfer for `file` (not yet offered). */
  create(file: File, id: string, n: number, path?: string): Outgoing;
  offer(t: Outgoing): void;
  /** The receiver's answer, acknowledgement, verdict or cancel for one of our transfers. */
  onControl(t: Outgoing, m: FilesMessage): void;
  /** Something the waiting sender may be waiting for changed (buffer drained, ack, cancel, channel lost). */
  wake(): void;
}

export function createSender(core: Core): Sender {
  let wakeSender: (() => void) | null = null;
  let pumping = false;

  function wake(): void {
    const w = wakeSender;
    wakeSender = null;
    w?.();
  }

  function offer(t: Outgoing): void {
    const { id, n, name, size, type, path } = t;
    core.post({ t: 'offer', id, n, name, size, type, ...(path === '' ? {} : { path }) });
  }

  function failOut(t: Outgoing, failure: 'protocol' | 'read'): void {
    t.status = 'failed';
    t.failure = failure;
    core.post({ t: 'cancel', id: t.id, reason: 'error' });
    wake();
    core.publish();
  }

  function onControl(t: Outgoing, m: FilesMessage): void {
    if (FINAL.has(t.status)) return;
    switch (m.t) {
      case 'accept': {
        if (t.epoch === core.epoch) return; // a second answer on the same channel: ignored
        // Below its own ack the receiver claims to have lost stored bytes: an honest one never does, and
        // believing it would let a peer make us upload from 0 on every reopened channel.
        if (m.offset > t.size || m.offset < t.acked || t.resumedFrom.length >= MAX_RESUMES) {
          failOut(t, 'protocol');
          return;
        }
        if (t.started) t.resumedFrom.push(m.offset);
        t.epoch = core.epoch;
        t.offset = m.offset;
        t.acked = m.offset;
        t.samples = [];
        sample(core, t, m.offset);
        t.status = 'queued';
        core.publish();
        void pump();
        return;
      }
      case 'ack':
        if (m.offset > t.acked && m.offset <= t.offset) {
          t.acked = m.offset;
          sample(core, t, m.offset);
          wake();
          core.publishSoon();
        }
        return;
      case 'result':
        if (t.status !== 'sent') return;
        if (m.ok) {
          t.status = 'done';
          t.acked = t.size;
        } else {
          t.status = 'failed';
          t.failure = 'peer-mismatch';
        }
        core.publish();
        return;
      case 'decline':
        t.status = 'declined';
        wake();
        core.publish();
        return;
      case 'cancel':
        t.status = m.reason === 'user' ? 'cancelled' : 'failed';
        if (m.reason === 'user') t.cancelledBy = 'peer';
        else t.failure = 'peer-error';
        wake();
        core.publish();
        return;
      default:
        return;
    }
  }

  /** Sends accepted files one at a time, in the order they were offered. */
  async function pump(): Promise<void> {
    if (pumping) return;
    pumping = true;
    try {
      for (;;) {
        if (!core.linked || core.disposed) return;
        const next = [...core.transfers.values()].find(
          (t): t is Outgoing => t.direction === 'out' && t.status === 'queued' && t.epoch === core.epoch,
        );
        if (next === undefined) return;
        await sendOne(next);
      }
    } finally {
      pumping = false;
    }
  }

  function waitForWake(): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        if (wakeSender === done) wakeSender = null;
        resolve();
      }, SEND_POLL_MS);
      const done = (): void => {
        clearTimeout(timer);
        resolve();
      };
      wakeSender = done;
    });
  }

  async function read(file: Blob, from: number, to: number): Promise<Uint8Array> {
    return new Uint8Array(await file.slice(from, to).arrayBuffer());
  }

  /** Hashes file bytes the receiver got in an earlier life of this page but we never read (rare). */
  async function hashUpTo(t: Outgoing, end: number): Promise<void> {
    while (t.hashed < end) {
      const block = await read(t.file, t.hashed, Math.min(end, t.hashed + READ_BLOCK_BYTES));
      if (block.length === 0) throw new Error('short read');
      if (t.hasher === null) throw new Error('no hasher');
      t.hasher.update(block);
      t.hashed += block.length;
    }
  }

  async function sendOne(t: Outgoing): Promise<void> {
    const ep = core.epoch;
    const ch = core.channel;
    if (ch === null) return;
    const live = (): boolean => ep === core.epoch && t.status === 'sending' && !core.disposed;
    t.status = 'sending';
    t.started = true;
    core.publish();
    const window = Math.min(core.ourWindow, core.peerWindow);
    // A chunk fits the peer's channel, its declared limit and the window (else it could never be sent).
    const message = Math.min(core.peerMaxChunk, core.peerMaxMessage);
    const payloadMax = Math.max(MIN_PAYLOAD_BYTES, Math.min(window, message - FRAME_HEADER_BYTES));
    let block: { at: number; bytes: Uint8Array } | null = null;
    let ahead: { at: number; bytes: Promise<Uint8Array> } | null = null;
    try {
      t.hasher ??= await createHasher();
      const hasher = t.hasher;
      if (t.hashed < t.offset) await hashUpTo(t, t.offset);
      while (live() && t.offset < t.size) {
        // The whole next chunk must fit the window: the receiver refuses a sender that goes beyond it.
        const next = Math.min(payloadMax, t.size - t.offset);
        if (ch.bufferedAmount > HIGH_WATER_BYTES || t.offset + next - t.acked > window) {
          await waitForWake();
          continue;
        }
        if (block === null || t.offset < block.at || t.offset >= block.at + block.bytes.length) {
          const at = t.offset;
          const bytes: Promise<Uint8Array> =
            ahead !== null && ahead.at === at
              ? ahead.bytes
              : read(t.file, at, Math.min(t.size, at + READ_BLOCK_BYTES));
          const got = await bytes;
          if (got.length === 0) throw new Error('short read');
          block = { at, bytes: got };
          const nextAt = at + got.length;
          ahead =
            nextAt < t.size
              ? { at: nextAt, bytes: read(t.file, nextAt, Math.min(t.size, nextAt + READ_BLOCK_BYTES)) }
              : null;
          ahead?.bytes.catch(() => undefined);
          continue; // re-check after the await
        }
        const from = t.offset - block.at;
        const len = Math.min(payloadMax, block.bytes.length - from);
        const payload = block.bytes.subarray(from, from + len);
        // After a resume the chunks are cut elsewhere: hash exactly the bytes not hashed yet.
        const end = t.offset + len;
        if (t.hashed >= t.offset && t.hashed < end) {
          hasher.update(payload.subarray(t.hashed - t.offset));
          t.hashed = end;
        }
        ch.send(encodeChunk(t.n, t.offset, payload));
        t.offset += len;
        t.sent += len;
        core.publishSoon();
      }
      if (!live()) return;
      if (t.sha256 === null) {
        await hashUpTo(t, t.size);
        if (!live()) return;
        t.sha256 = hasher.digestHex();
      }
      core.post({ t: 'done', id: t.id, size: t.size, sha256: t.sha256 });
      t.status = 'sent';
      core.publish();
    } catch {
      // A send on a closing channel throws: its 'close' pauses everything. Anything else is the file.
      if (ep === core.epoch && core.channel?.readyState === 'open' && t.status === 'sending')
        failOut(t, 'read');
    }
  }

  function create(file: File, id: string, n: number, path = ''): Outgoing {
    return {
      direction: 'out',
      ...offered(id, n, file.name, file.size, file.type, path),
      file,
      offset: 0,
      acked: 0,
      sent: 0,
      hasher: null,
      hashed: 0,
      started: false,
    };
  }

  return { create, offer, onControl, wake };
}
