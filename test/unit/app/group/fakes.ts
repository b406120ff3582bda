// Stand-ins for the group glue's unit tests: a session that records what it is asked and the channels it
// made, a channel whose events the test fires, and the session states the glue reacts to.
import { NO_CALL } from '../../../../src/rtc/call/call.ts';
import type { Session, SessionState } from '../../../../src/rtc/index.ts';

export class FakeChannel {
  readyState: RTCDataChannelState = 'connecting';
  readonly sent: string[] = [];
  private readonly listeners = new Map<string, ((e: Event) => void)[]>();
  addEventListener(type: string, l: (e: Event) => void): void {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), l]);
  }
  removeEventListener(): void {}
  send(data: string): void {
    this.sent.push(data);
  }
  close(): void {
    this.readyState = 'closed';
  }
  fire(type: 'open' | 'message', data?: string): void {
    if (type === 'open') this.readyState = 'open';
    for (const l of this.listeners.get(type) ?? []) l({ data } as unknown as Event);
  }
}

/** A session; `asked` hears each intent dispatched to it. */
export function fakeSession(asked: (type: string) => void = () => undefined) {
  const opened: { label: string; init: RTCDataChannelInit; channel: FakeChannel }[] = [];
  let state: SessionState = { kind: 'idle' };
  const session = {
    getState: () => state,
    subscribe: () => () => undefined,
    dispatch: (intent: { type: string }) => {
      asked(intent.type);
      return { ok: true, value: undefined };
    },
    openChannel(label: string, init: RTCDataChannelInit) {
      const channel = new FakeChannel();
      opened.push({ label, init, channel });
      return channel;
    },
  } as unknown as Session;
  return {
    session,
    opened,
    set(s: SessionState) {
      state = s;
    },
  };
}

export const offerReady = { kind: 'offer-ready', sdp: 'v=0', createdAt: 1 } as SessionState;
export const connected = (features: string[] | null) =>
  ({
    kind: 'connected',
    role: 'offerer',
    since: 5,
    peer: features === null ? null : { app: 'x', features },
    chat: [],
    sas: { kind: 'unverifiable' },
    live: { call: NO_CALL },
  }) as unknown as SessionState;
