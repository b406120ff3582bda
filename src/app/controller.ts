// The app layer: glues codes (codec) to sessions (rtc). The UI sends it intents and renders its state;
// it never touches RTCPeerConnection or the codec itself.

import { type Decoded, decodeInput, linkFor } from '../codec/index.ts';
import {
  createSession,
  type MediaStreams,
  reconnectKey,
  type Session,
  type SessionState,
} from '../rtc/index.ts';
import type { AppIntent, AppState, Controller, ControllerDeps } from './app-state.ts';
import { sharedCapture } from './capture.ts';
import { createFiles } from './files.ts';
import { APP_FEATURES, newMemberId } from './group/identity.ts';
import { lazyGroupLinks } from './group/lazy.ts';
import {
  carriedOn,
  carriesBothWays,
  negOf,
  type ReconnectInput,
  reconnectCode,
  takeReconnectInput,
} from './reconnect.ts';
import { answerIntent, joinIntent, sessionCode } from './session-codes.ts';
import { deviceName, rtcConfiguration } from './settings.ts';
import { createTrust } from './trust.ts';

export type { AppIntent, AppState, Controller, ControllerDeps, View } from './app-state.ts';

const IDLE: SessionState = { kind: 'idle' };
const OTHER: ReconnectInput = { kind: 'other' };
const NO_MEDIA: MediaStreams = { local: null, remote: null };

/** A conversation a new code must not end without asking: connected, coming up, or waiting to be carried on. */
const isLive = (s: SessionState): boolean =>
  s.kind === 'connected' || s.kind === 'connecting' || carriedOn(s);

export function createController(deps: ControllerDeps): Controller {
  const now = deps.now ?? Date.now;
  const listeners = new Set<(s: AppState) => void>();
  const trust = createTrust(deps.deviceStore);
  let session: Session | null = null;
  /** Names the controller's session as a group link; a new session is a new link. */
  let sessionCount = 0;
  // Every link's call takes its sound and pictures from one capture (capture.ts).
  const devices = globalThis.navigator?.mediaDevices as MediaDevices | undefined;
  const mediaDevices =
    devices === undefined ? undefined : sharedCapture(devices, (cameras) => set({ cameras }));
  const makeSession = (): Session =>
    createSession({
      RTCPeerConnection: deps.RTCPeerConnection,
      config: rtcConfiguration(state.settings),
      appVersion: deps.appVersion,
      name: deviceName(state.settings, deps.defaultName),
      now,
      features: APP_FEATURES,
      ...(mediaDevices === undefined ? {} : { mediaDevices }),
      // A group message goes out on every link with one id (group/chat.ts).
      newId: () => group.chatId(),
      // This device's one certificate for every link (trust.ts), when it keeps one.
      ...(deps.deviceStore === undefined ? {} : { certificate: trust.certificate }),
    });
  const group = lazyGroupLinks({
    self: newMemberId(),
    name: () => deviceName(state.settings, deps.defaultName),
    makeSession,
    linkBase: deps.linkBase,
    ...(deps.relayHook === undefined ? {} : { relayHook: deps.relayHook }),
  });
  // The group's other links are listed and saved with this session's files.
  const files = createFiles({ more: group.files });
  /** Offerer: our offer. Joiner: the offer we answered. Binds answers to their call. */
  let offerSdp: string | null = null;
  /** The peer's reconnect offer this device answered (binds our answer code to it). */
  let reconnectOffer: string | null = null;
  let state: AppState = {
    view: 'home',
    session: IDLE,
    code: null,
    link: null,
    inputError: null,
    chatError: null,
    files: files.getState(),
    settings: deps.settings,
    defaultName: deps.defaultName,
    reconnect: null,
    media: NO_MEDIA,
    cameras: 0,
    confirmReplace: false,
    group: group.getView(),
    trust: trust.getState(),
  };
  /** The offer waiting for the person's Replace (confirmReplace). */
  let replacingWith: Decoded | null = null;

  const set = (patch: Partial<AppState>) => {
    state = { ...state, ...patch };
    for (const l of [...listeners]) l(state);
  };
  files.subscribe((v) => set({ files: v }));
  group.subscribe((v) => set({ group: v }));
  trust.subscribe((v) => set({ trust: v }));

  function onSession(s: SessionState): void {
    files.follow(session, s);
    trust.follow(session, s);
    if (session !== null) group.follow(`code:${sessionCount}`, session, s);
    if (s.kind === 'offer-ready') offerSdp = s.sdp;
    // With its safety-words field (session-codes.ts); a resumed offer is recognised by the peer.
    const code = sessionCode(s, offerSdp);
    if (code?.ok) set({ code: code.value, link: linkFor(deps.linkBase, code.value.text) });
    else if (code) set({ inputError: code.error });
    set({ session: s, reconnect: reconnectOf(s), media: session?.media() ?? NO_MEDIA });
  }

  function reconnectOf(s: SessionState): AppState['reconnect'] {
    const code = reconnectCode(negOf(s), reconnectOffer, reconnectKey(s));
    if (code === null) return null;
    if (!code.ok) return null;
    return { code: code.value, link: linkFor(deps.linkBase, code.value.text) };
  }

  /**
   * A code read while a session is live, resumable or lost: ours to answer or apply, or a new connection.
   * Only a session that has known its peer (so has its description) can recognise one.
   */
  function reconnectInput(text: string): ReconnectInput {
    if (carriesBothWays(state.session, now())) return OTHER;
    const neg = negOf(state.session);
    if (neg === null && !carriedOn(state.session)) return OTHER;
    const remote = session?.remoteSdp() ?? null;
    if (session === null || remote === null) return OTHER;
    const ours = neg?.code?.kind === 'offer' ? neg.code.sdp : null;
    return takeReconnectInput(text, ours, remote, neg !== null, reconnectKey(state.session));
  }

  /** The offer an answer read now must be bound to: ours, while it waits for its answer; else null. */
  function awaitedAnswerTo(): string | null {
    return state.session.kind === 'offer-ready' ? offerSdp : null;
  }

  /** The code is this page's own: the answer to its offer, or its session's reconnect code. */
  function claims(text: string): boolean {
    if (reconnectInput(text).kind === 'intent') return true;
    const ours = awaitedAnswerTo();
    return ours !== null && decodeInput(text, { expect: 'answer', offerSdp: ours }).ok;
  }

  function submitReconnect(text: string): boolean {
    const taken = reconnectInput(text);
    if (session === null || taken.kind === 'other') return false;
    if (taken.kind === 'error') {
      set({ inputError: taken.error });
      return true;
    }
    set({ inputError: null });
    // A new connection's offer binds our answer like a first offer does; a restart offer binds the reconnect.
    if (taken.intent.type === 'join') offerSdp = taken.offerSdp;
    else if (taken.offerSdp !== null) reconnectOffer = taken.offerSdp;
    // Refused by the session (e.g. this device is already showing its own new offer): nothing else to do.
    session.dispatch(taken.intent);
    return true;
  }

  function newSession(): Session {
    files.follow(null, IDLE);
    group.drop(`code:${sessionCount}`);
    trust.follow(null, IDLE);
    session?.dispose();
    offerSdp = null;
    reconnectOffer = null;
    const next = makeSession();
    sessionCount += 1;
    next.subscribe(onSession);
    session = next;
    replacingWith = null;
    set({
      session: next.getState(),
      code: null,
      link: null,
      inputError: null,
      chatError: null,
      confirmReplace: false,
    });
    return next;
  }

  function dropSession(): void {
    files.follow(null, IDLE);
    group.drop(`code:${sessionCount}`);
    trust.follow(null, IDLE);
    session?.dispose();
    session = null;
    offerSdp = null;
    replacingWith = null;
    set({ session: IDLE, code: null, link: null, inputError: null, chatError: null, confirmReplace: false });
  }

  function submitCode(text: string): void {
    // While "Add a device" shows its offer, a code read is the newcomer's answer.
    if (group.takeAnswer(text)) return;
    if (submitReconnect(text)) return;
    const ours = awaitedAnswerTo();
    const decoded = decodeInput(
      text,
      ours === null ? { expect: 'offer' } : { expect: 'answer', offerSdp: ours },
    );
    if (!decoded.ok) {
      // A page opened by a wrong link shows the mistake where codes are read, not a bare home screen.
      set({
        inputError: decoded.error,
        ...(session === null && state.view === 'home' ? { view: 'join' } : {}),
      });
      return;
    }
    set({ inputError: null });
    if (ours !== null) {
      session?.dispatch(answerIntent(decoded.value));
      return;
    }
    // An offer for a new conversation. A live one is never replaced without the person's say: a link, a launch
    // or a paste can come from anyone. Otherwise join it (a fresh exchange replaces a stale one).
    if (isLive(state.session)) {
      replacingWith = decoded.value;
      set({ confirmReplace: true });
      return;
    }
    joinOffer(decoded.value);
  }

  function joinOffer(offer: Decoded): void {
    replacingWith = null;
    set({ view: 'join', confirmReplace: false });
    const s = newSession();
    offerSdp = offer.sdp;
    s.dispatch(joinIntent(offer));
  }

  function dispatch(intent: AppIntent): void {
    switch (intent.type) {
      case 'home':
        if (state.session.kind !== 'connected') dropSession();
        set({ view: 'home' });
        return;
      case 'start':
        set({ view: 'start' });
        newSession().dispatch({ type: 'start' });
        return;
      case 'join':
        dropSession();
        set({ view: 'join' });
        return;
      case 'settings':
        set({ view: 'settings' });
        trust.dispatch({ type: 'load' });
        return;
      case 'submit-code':
        submitCode(intent.text);
        return;
      case 'handed-off':
        // Only a page that has nothing going on hands its code off (main.ts: a page opened by the link).
        if (session === null) set({ view: 'handed-off' });
        return;
      case 'send-chat': {
        if (state.group.active) {
          set({ chatError: group.sendChat(intent.text) });
          return;
        }
        const r = session?.dispatch({ type: 'send-chat', text: intent.text });
        set({ chatError: r && !r.ok ? r.error : null });
        return;
      }
      case 'files':
        files.dispatch(intent.intent);
        return;
      case 'trust':
        trust.dispatch(intent.intent);
        return;
      case 'hangup':
        group.hangup();
        session?.dispatch({ type: 'hangup' });
        return;
      case 'group-add':
        group.add();
        return;
      case 'group-cancel-add':
        group.cancelAdd();
        return;
      case 'group-words':
        group.compare(intent.member, intent.match);
        return;
      case 'group-call':
        group.call(intent.ask);
        return;
      case 'save-settings':
        set({ settings: intent.settings });
        deps.onSettings?.(intent.settings);
        // Applied to the live connection too: used from its next ICE restart.
        session?.setConfiguration(rtcConfiguration(intent.settings));
        return;
      case 'session':
        session?.dispatch(intent.intent);
        return;
      case 'replace-session':
        if (replacingWith === null) return;
        // The peer hears a hang-up (bye) before this device moves on.
        session?.dispatch({ type: 'hangup' });
        joinOffer(replacingWith);
        return;
      case 'keep-session':
        replacingWith = null;
        set({ confirmReplace: false });
        return;
    }
  }

  return {
    dispatch,
    subscribe(l) {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    getState: () => state,
    leave: () => {
      group.leave();
      session?.sendBye();
    },
    takeIfOwn(text) {
      if (!claims(text)) return false;
      submitCode(text);
      return true;
    },
    details: () => session?.stats() ?? Promise.resolve(null),
  };
}
