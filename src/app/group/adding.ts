// "Add a device" (docs/groups.md): a new session of its own makes an offer code, the newcomer joins it as any
// Joiner does, and its answer is read here. The group holds the session as a link from the start.

import { decodeInput, linkFor } from '../../codec/index.ts';
import type { Session, SessionState } from '../../rtc/index.ts';
import { answerIntent, sessionCode } from '../session-codes.ts';
import type { Adding } from './view.ts';

export interface AddingDeps {
  readonly session: Session;
  readonly linkBase: string;
  readonly onChange: () => void;
  readonly onConnected: () => void;
}

export interface AddingLink {
  view(): Adding;
  /** A code read while the offer is shown: the newcomer's answer (or a wrong code, shown as such). */
  takeAnswer(text: string): boolean;
  cancel(): void;
}

export function createAdding(deps: AddingDeps): AddingLink {
  const { session } = deps;
  let view: Adding = { stage: 'making' };
  let offerSdp: string | null = null;

  function onState(s: SessionState): void {
    switch (s.kind) {
      case 'offer-ready': {
        offerSdp = s.sdp;
        const code = sessionCode(s, offerSdp);
        // The commitment is still being hashed: the code follows in a moment.
        if (code === null) break;
        view = code.ok
          ? { stage: 'offer', code: code.value, link: linkFor(deps.linkBase, code.value.text), error: null }
          : { stage: 'failed' };
        break;
      }
      case 'connecting':
        view = { stage: 'connecting' };
        break;
      case 'connected':
        unsubscribe();
        deps.onConnected();
        return;
      case 'failed':
      case 'closed':
        view = { stage: 'failed' };
        break;
      default:
        view = { stage: 'making' };
    }
    deps.onChange();
  }

  const unsubscribe = session.subscribe(onState);
  session.dispatch({ type: 'start' });

  return {
    view: () => view,
    takeAnswer(text) {
      if (view.stage !== 'offer' || offerSdp === null) return false;
      const decoded = decodeInput(text, { expect: 'answer', offerSdp });
      if (!decoded.ok) {
        view = { ...view, error: decoded.error };
        deps.onChange();
        return true;
      }
      view = { ...view, error: null };
      session.dispatch(answerIntent(decoded.value));
      return true;
    },
    cancel() {
      unsubscribe();
      session.dispose();
    },
  };
}
