// Room runner/: the effects: the runner (this file, its interface in api.ts, its timers in timers.ts), one
// connection attempt (attempt.ts), a move's second attempt (move.ts), hashing (digest.ts), the session's
// certificate (certificate.ts).
//
// The thin effect runner: owns the RTCPeerConnection, executes the reducer's commands and feeds results back
// as events. It decides nothing; every policy lives in session.ts.

import { gatherLocalDescription, planGathering } from '../base/gather.ts';
import type { DataChannelLike } from '../base/peer.ts';
import { describeError } from '../base/result.ts';
import { pinOfferRole } from '../base/sdp.ts';
import { byeMessage, encodeControl, helloMessage, type OutgoingMessage } from '../inband/control.ts';
import type { Command, EffectOp, SessionEvent } from '../model/types.ts';
import type { MediaStreams, Runner, RunnerDeps } from './api.ts';
import { type Attempt, openAttempt, quietly, readDetails, readPath, releaseAttempt } from './attempt.ts';
import { sessionCertificate } from './certificate.ts';
import { runDigest } from './digest.ts';
import { createMover } from './move.ts';
import { createTimers } from './timers.ts';

export type { MediaStreams, Runner, RunnerDeps };

const failure = (op: EffectOp, error: unknown): SessionEvent => ({
  type: 'effect-failed',
  op,
  detail: describeError(error),
});

/** The peer's hello as far as this device follows it: the features both sides have. */
function sharedFeatures(event: SessionEvent, own: readonly string[]): SessionEvent {
  if (event.type !== 'message' || event.message.t !== 'hello') return event;
  const features = event.message.features.filter((name) => own.includes(name));
  return { ...event, message: { ...event.message, features } };
}

/**
 * `emit` may be called synchronously from `execute` (e.g. a failure before any await); the session queues
 * events, so that is safe.
 */
export function createRunner(deps: RunnerDeps, report: (event: SessionEvent) => void): Runner {
  const own = deps.features;
  const emit = own === undefined ? report : (event: SessionEvent) => report(sharedFeatures(event, own));
  const now = deps.now ?? Date.now;
  let config = deps.config ?? {};
  let plan = planGathering(config);
  const devices = deps.mediaDevices ?? globalThis.navigator?.mediaDevices;
  const timers = createTimers(emit);
  let attempt: Attempt | undefined;
  /** Bumped by every open and close, so an attempt whose certificate arrives after a close is not opened. */
  let epoch = 0;
  const certificate = sessionCertificate(deps.RTCPeerConnection, deps.certificate);
  /** The peer's description from the last connection, kept after it is released (see remoteSdp). */
  let lastRemote: string | null = null;

  /** What every connection of the session is made with: the same certificate, the current settings. */
  const attemptDeps = () => ({
    RTCPeerConnection: deps.RTCPeerConnection,
    config: certificate.with(config),
    devices,
    plan: () => plan,
    now,
  });

  /** Results of an attempt that has since been released are dropped: the session has moved on. */
  const live = (current: Attempt | undefined): boolean =>
    current === undefined || (attempt === current && !current.controller.signal.aborted);

  /**
   * A new attempt with the session's certificate, or undefined when a close came first. Once the certificate
   * exists (or cannot), the connection is made at once, before the first await.
   */
  async function open(): Promise<Attempt | undefined> {
    const mine = ++epoch;
    if (!certificate.settled()) {
      await certificate.ready();
      if (mine !== epoch) return undefined;
    }
    release();
    attempt = openAttempt(attemptDeps(), emit);
    return attempt;
  }

  function release(): void {
    mover.drop();
    const current = attempt;
    attempt = undefined;
    if (current === undefined) return;
    lastRemote = current.pc.remoteDescription?.sdp ?? lastRemote;
    releaseAttempt(current);
  }

  const mover = createMover({
    emit,
    plan: () => plan,
    open: (events) => openAttempt(attemptDeps(), events),
    current: () => attempt,
    adopt: (fresh) => {
      const old = attempt;
      attempt = fresh;
      if (old !== undefined) lastRemote = old.pc.remoteDescription?.sdp ?? lastRemote;
      return old;
    },
  });

  async function createOffer(): Promise<void> {
    let current: Attempt | undefined;
    try {
      current = await open();
      if (current === undefined) return;
      const { pc } = current;
      const sdp = await gatherLocalDescription(
        pc,
        async () => pc.setLocalDescription(await pc.createOffer()),
        plan,
        current.controller.signal,
      );
      if (live(current)) emit({ type: 'gathered', sdp, at: now() });
    } catch (error) {
      if (live(current)) emit(failure('gather', error));
    }
  }

  async function answerOffer(offerSdp: string): Promise<void> {
    let current: Attempt | undefined;
    let op: EffectOp = 'gather';
    try {
      current = await open();
      if (current === undefined) return;
      const { pc } = current;
      op = 'apply-offer';
      // The browser's own answer is then passive: it waits for the Starter's DTLS, however late it comes.
      await pc.setRemoteDescription({ type: 'offer', sdp: pinOfferRole(offerSdp, 'passive') });
      op = 'gather';
      const sdp = await gatherLocalDescription(
        pc,
        async () => pc.setLocalDescription(await pc.createAnswer()),
        plan,
        current.controller.signal,
      );
      if (live(current)) emit({ type: 'gathered', sdp, at: now() });
    } catch (error) {
      if (live(current)) emit(failure(op, error));
    }
  }

  async function applyAnswer(answerSdp: string): Promise<void> {
    const current = attempt;
    try {
      if (current === undefined) throw new Error('no connection to apply the answer to');
      await current.pc.setRemoteDescription({ type: 'answer', sdp: answerSdp });
    } catch (error) {
      if (live(current)) emit(failure('apply-answer', error));
    }
  }

  function send(message: OutgoingMessage): void {
    const channel = attempt?.channel;
    // Nothing to send on: the reducer's timers notice a lost peer, so dropping is safe.
    if (channel?.readyState !== 'open') return;
    quietly(() => channel.send(encodeControl(message)));
  }

  /** What carries the live connection after a restart (link/check.ts judges it). */
  async function checkPath(): Promise<void> {
    const current = attempt;
    if (current === undefined) return;
    const path = await readPath(current.pc);
    if (live(current)) emit({ type: 'path-checked', path });
  }

  function close(): void {
    epoch++;
    timers.cancelAll();
    release();
    mover.close();
  }

  function execute(command: Command): void {
    switch (command.type) {
      case 'create-offer':
        void createOffer();
        return;
      case 'apply-offer-and-answer':
        void answerOffer(command.offerSdp);
        return;
      case 'apply-answer':
        void applyAnswer(command.answerSdp);
        return;
      case 'send-hello':
        send(helloMessage(deps.appVersion, own, deps.name));
        return;
      case 'send':
      case 'send-signal':
      case 'send-call':
        send(command.message);
        return;
      case 'digest':
        void runDigest(command, emit);
        return;
      case 'close':
        // Every timer belongs to the connection being closed.
        close();
        return;
      case 'start-timer':
        timers.start(command.id, command.ms);
        return;
      case 'cancel-timer':
        timers.cancel(command.id);
        return;
      case 'check-path':
        void checkPath();
        return;
      case 'move-offer':
      case 'move-answer':
      case 'move-apply-answer':
      case 'move-drop':
        mover.execute(command);
        return;
      case 'media-open':
      case 'media-attach':
      case 'media-attach-on-offer':
      case 'media-close':
      case 'media-enable':
      case 'media-switch-camera':
        attempt?.media.execute(command);
        return;
      default:
        attempt?.negotiator.execute(command);
    }
  }

  function openChannel(label: string, init: RTCDataChannelInit): DataChannelLike | null {
    const pc = attempt?.pc;
    if (pc === undefined || pc.connectionState === 'closed') return null;
    try {
      return pc.createDataChannel(label, init);
    } catch {
      return null; // e.g. the id is taken: the caller picks another
    }
  }

  function setConfiguration(next: RTCConfiguration): void {
    config = next;
    plan = planGathering(next);
    const pc = attempt?.pc;
    if (pc !== undefined && pc.connectionState !== 'closed') quietly(() => pc.setConfiguration(next));
  }

  return {
    execute,
    sendBye: () => {
      send(byeMessage('page-closed'));
      // Closing the channel at once has it flush the bye first (a stream reset follows queued data); left to
      // the page's teardown, a closing Firefox tab dropped the bye (the peer saw only the channel close).
      const channel = attempt?.channel;
      if (channel !== undefined) quietly(() => channel.close());
    },
    close,
    openChannel,
    media: () => ({ local: attempt?.media.local() ?? null, remote: attempt?.media.remote() ?? null }),
    // After a connection is gone, its peer's description still identifies the peer's reconnect code.
    remoteSdp: () => attempt?.pc.remoteDescription?.sdp ?? lastRemote,
    stats: () => (attempt === undefined ? Promise.resolve(null) : readDetails(attempt.pc)),
    setConfiguration,
  };
}
