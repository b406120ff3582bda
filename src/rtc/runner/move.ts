// The effects of a move to a new connection (session/move.ts decides): a second attempt beside the live one,
// its non-trickle offer or answer, and the switch once its session channel opens. Part of the runner room.

import { type GatherPlan, gatherLocalDescription } from '../base/gather.ts';
import { describeError } from '../base/result.ts';
import { pinOfferRole } from '../base/sdp.ts';
import type { Command, SessionEvent } from '../model/types.ts';
import { type Attempt, releaseAttempt } from './attempt.ts';

/** After a move, the old connection stays up this long (see switchTo). */
export const MOVE_RELEASE_GRACE_MS = 2_000;

export type MoveCommand = Extract<
  Command,
  { type: 'move-offer' | 'move-answer' | 'move-apply-answer' | 'move-drop' }
>;

export interface MoverHost {
  readonly emit: (event: SessionEvent) => void;
  readonly plan: () => GatherPlan;
  /** A new attempt with the session's certificate, reporting to `events`. */
  readonly open: (events: (event: SessionEvent) => void) => Attempt;
  readonly current: () => Attempt | undefined;
  /** Makes `fresh` the session's connection; returns the one it replaces. */
  readonly adopt: (fresh: Attempt) => Attempt | undefined;
}

export interface Mover {
  execute(command: MoveCommand): void;
  /** Drops a move's connection not yet switched to. */
  drop(): void;
  /** Drops it, and releases old connections still waiting out their grace. */
  close(): void;
}

export function createMover(host: MoverHost): Mover {
  const { emit } = host;
  /** A move's new connection beside the live one, until its channel opens. */
  let next: Attempt | undefined;
  /** Old connections after a move, released MOVE_RELEASE_GRACE_MS later (or by close()). */
  const retiring = new Set<Attempt>();

  function drop(): void {
    const pending = next;
    next = undefined;
    if (pending !== undefined) releaseAttempt(pending);
  }

  function retire(old: Attempt): void {
    if (retiring.delete(old)) releaseAttempt(old);
  }

  /** The new connection carries: it becomes the session's, and the old one goes a little later. */
  function switchTo(fresh: Attempt, at: number): void {
    next = undefined;
    const old = host.adopt(fresh);
    if (old !== undefined) {
      // Its listeners and media go now (nothing of it reaches the session any more); the transport stays up a
      // moment, so the peer, whose new channel opens a few ms after ours, does not see it close first.
      old.controller.abort();
      old.media.dispose();
      retiring.add(old);
      setTimeout(() => retire(old), MOVE_RELEASE_GRACE_MS);
    }
    emit({ type: 'moved', at });
  }

  /** A second connection; its events reach the session only once it carries. */
  function openNext(): Attempt {
    drop();
    const fresh: Attempt = host.open((event) => {
      if (host.current() === fresh) emit(event);
      else if (next !== fresh) return;
      else if (event.type === 'channel-open') switchTo(fresh, event.at);
      else if (event.type === 'connection-state' && (event.state === 'failed' || event.state === 'closed'))
        emit({ type: 'move-failed', detail: `the new connection ${event.state}` });
      // Anything else of a connection that does not carry yet is its own business.
    });
    next = fresh;
    return fresh;
  }

  /** Makes the new connection's offer or answer, gathered non-trickle, and reports it. */
  async function describe(kind: 'offer' | 'answer', offerSdp?: string): Promise<void> {
    const fresh = openNext();
    try {
      const { pc } = fresh;
      // As in the first exchange: the answer is passive because the offer is pinned, not edited locally.
      if (offerSdp !== undefined)
        await pc.setRemoteDescription({ type: 'offer', sdp: pinOfferRole(offerSdp, 'passive') });
      const sdp = await gatherLocalDescription(
        pc,
        async () => pc.setLocalDescription(await (kind === 'offer' ? pc.createOffer() : pc.createAnswer())),
        host.plan(),
        fresh.controller.signal,
      );
      if (next === fresh) emit({ type: 'move-made', kind, sdp });
    } catch (error) {
      if (next === fresh) emit({ type: 'move-failed', detail: describeError(error) });
    }
  }

  async function applyAnswer(answerSdp: string): Promise<void> {
    const fresh = next;
    try {
      if (fresh === undefined) throw new Error('no new connection to apply the answer to');
      await fresh.pc.setRemoteDescription({ type: 'answer', sdp: answerSdp });
    } catch (error) {
      if (next === fresh) emit({ type: 'move-failed', detail: describeError(error) });
    }
  }

  return {
    execute(command) {
      switch (command.type) {
        case 'move-offer':
          void describe('offer');
          return;
        case 'move-answer':
          void describe('answer', command.offerSdp);
          return;
        case 'move-apply-answer':
          void applyAnswer(command.answerSdp);
          return;
        case 'move-drop':
          drop();
          return;
      }
    },
    drop,
    close() {
      drop();
      for (const old of [...retiring]) retire(old);
    },
  };
}
