// The negotiation machine's effects on the live RTCPeerConnection. Every step runs in one queue, so a remote
// description, its candidates and our own offers reach the browser in the order the machine decided them.
// It decides nothing: rollback happens only because the browser is not stable when a step needs it to be.

import { type GatherPlan, gatherLocalDescription } from '../base/gather.ts';
import type { PeerConnectionLike } from '../base/peer.ts';
import { describeError } from '../base/result.ts';
import { dtlsRole, fingerprintChanged, pinOfferRole } from '../base/sdp.ts';
import type { NegCommand, NegEvent, NegStep } from './neg-model.ts';

/** The peer's new description names another DTLS certificate than the session's. */
class CertificateChanged extends Error {}

export interface Negotiator {
  execute(command: Exclude<NegCommand, { type: 'send-signal' | 'start-timer' }>): void;
}

export function createNegotiator(
  pc: PeerConnectionLike,
  plan: () => GatherPlan,
  signal: AbortSignal,
  emit: (event: NegEvent) => void,
  /** Runs after the peer's offer is applied, before our answer is made (call media goes on then). */
  beforeAnswer: () => Promise<void> = async () => undefined,
): Negotiator {
  let queue: Promise<void> = Promise.resolve();
  const listen = { signal };

  pc.addEventListener('negotiationneeded', () => emit({ type: 'negotiation-needed' }), listen);
  pc.addEventListener(
    'icecandidate',
    (event) => {
      const c = 'candidate' in event ? (event.candidate as RTCIceCandidate | null) : null;
      // null ends gathering: the receiving browser learns that from its own ICE agent's timeouts.
      if (c === null || c === undefined) return;
      emit({
        type: 'local-candidate',
        cand: c.candidate,
        mid: c.sdpMid ?? null,
        mline: c.sdpMLineIndex ?? null,
        ufrag: c.usernameFragment ?? null,
      });
    },
    listen,
  );

  function enqueue(step: NegStep | null, work: () => Promise<void>): void {
    queue = queue.then(async () => {
      if (signal.aborted) return;
      try {
        await work();
      } catch (error) {
        if (signal.aborted) return;
        if (error instanceof CertificateChanged) emit({ type: 'certificate-changed' });
        else if (step !== null) emit({ type: 'negotiation-failed', step, detail: describeError(error) });
      }
    });
  }

  /** A remote description naming another certificate is never applied (the session ends: session.ts). */
  function checkPeer(sdp: string): void {
    if (fingerprintChanged(pc.remoteDescription?.sdp, sdp)) throw new CertificateChanged();
  }

  /** Our own offer on the browser is abandoned (glare, a code takes over, or the peer refused it). */
  async function rollback(): Promise<void> {
    if (pc.signalingState === 'have-local-offer') await pc.setLocalDescription({ type: 'rollback' });
  }

  /** A peer's offer we could not answer is taken back, so the browser is stable for the next change. */
  async function dropRemoteOffer(): Promise<void> {
    if (pc.signalingState !== 'have-remote-offer') return;
    await pc.setLocalDescription({ type: 'rollback' }).catch(() => undefined);
  }

  const localSdp = (): string => {
    const sdp = pc.localDescription?.sdp;
    if (sdp === undefined || sdp === '') throw new Error('no local description');
    return sdp;
  };

  /** Our DTLS role before this exchange, so the answer keeps it. */
  async function applyOffer(sdp: string): Promise<void> {
    checkPeer(sdp);
    await rollback();
    const role = dtlsRole(pc.localDescription?.sdp, pc.remoteDescription?.sdp);
    await pc.setRemoteDescription({ type: 'offer', sdp: pinOfferRole(sdp, role) });
  }

  async function makeAnswer(): Promise<void> {
    await beforeAnswer();
    await pc.setLocalDescription(await pc.createAnswer());
  }

  function execute(command: Exclude<NegCommand, { type: 'send-signal' | 'start-timer' }>): void {
    switch (command.type) {
      case 'make-offer':
        enqueue('offer', async () => {
          await rollback();
          const offer = await pc.createOffer(command.iceRestart ? { iceRestart: true } : {});
          await pc.setLocalDescription(offer);
          emit({ type: 'local-offer', sdp: localSdp() });
        });
        return;
      case 'answer-offer':
        enqueue('answer', async () => {
          try {
            await applyOffer(command.sdp);
            await makeAnswer();
          } catch (error) {
            await dropRemoteOffer();
            throw error;
          }
          emit({ type: 'local-answer', sdp: localSdp() });
        });
        return;
      case 'abandon-offer':
        enqueue(null, rollback);
        return;
      case 'apply-remote-answer':
        enqueue('apply-answer', async () => {
          checkPeer(command.sdp);
          await pc.setRemoteDescription({ type: 'answer', sdp: command.sdp });
          emit({ type: 'answer-applied' });
        });
        return;
      case 'add-candidate':
        // Handed over in order, after the descriptions queued before it, but not awaited: a browser may hold
        // a candidate for credentials it does not know yet (Firefox does) and the queue must not wait on it.
        // One for a description we ignored or replaced is refused: not an error.
        enqueue(null, async () => {
          void pc
            .addIceCandidate({
              candidate: command.cand,
              sdpMid: command.mid,
              sdpMLineIndex: command.mline,
              ...(command.ufrag === null ? {} : { usernameFragment: command.ufrag }),
            })
            .catch(() => undefined);
        });
        return;
      case 'make-reconnect-offer':
        enqueue('code-offer', async () => {
          await rollback();
          const sdp = await gatherLocalDescription(
            pc,
            async () => pc.setLocalDescription(await pc.createOffer({ iceRestart: true })),
            plan(),
            signal,
          );
          emit({ type: 'reconnect-offer', sdp });
        });
        return;
      case 'answer-reconnect-offer':
        enqueue('code-answer', async () => {
          await applyOffer(command.sdp);
          const sdp = await gatherLocalDescription(pc, makeAnswer, plan(), signal);
          emit({ type: 'reconnect-answer', sdp });
        });
        return;
    }
  }

  return { execute };
}
