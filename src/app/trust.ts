// The app's side of remembered devices: this device's certificate for each session, the list for Settings,
// whether the connected peer is a device verified before, and remembering it once the person taps "They
// match" (the session's `verified`). Storage (IndexedDB, idb-keyval) is loaded lazily, the first time a
// session or a screen needs it, so none of it is in the first load.

import type { Session, SessionState } from '../rtc/index.ts';
import type { DeviceStore } from './device-store.ts';
import { peerFingerprint, type Recognition, type RememberedDevice, recognise } from './recognise.ts';

export interface TrustView {
  /** The remembered devices, newest first; null until read. */
  readonly devices: readonly RememberedDevice[] | null;
  /** The connected peer as recognised when its hello came (fixed for the session), or null. */
  readonly peer: Recognition | null;
}

export type TrustIntent =
  /** Settings opened: read the list (again). */
  | { readonly type: 'load' }
  | { readonly type: 'rename'; readonly fingerprint: string; readonly name: string }
  | { readonly type: 'forget'; readonly fingerprint: string }
  | { readonly type: 'forget-all' };

export interface Trust {
  getState(): TrustView;
  subscribe(listener: (view: TrustView) => void): () => void;
  dispatch(intent: TrustIntent): void;
  /** This device's certificate for a new session (null: the session makes its own). */
  certificate(): Promise<RTCCertificate | null>;
  /**
   * Called with every session state (null: no session). Recognises the peer once its hello came, and
   * remembers it once this device's person confirmed the safety words.
   */
  follow(session: Session | null, state: SessionState): void;
  /** Resolves once what follow started (recognition, remembering) is done; for tests. */
  settled(): Promise<void>;
}

/**
 * How long a new session waits for the device certificate (IndexedDB answers in milliseconds; making one
 * takes a few more) before it makes one of its own and goes unrecognised.
 */
export const CERTIFICATE_WAIT_MS = 3_000;

export type LoadDeviceStore = () => Promise<DeviceStore>;

interface Peer {
  readonly name: string | undefined;
  readonly fingerprint: string | null;
}

export function createTrust(load?: LoadDeviceStore): Trust {
  const listeners = new Set<(view: TrustView) => void>();
  let view: TrustView = { devices: null, peer: null };
  let opened: Promise<DeviceStore | null> | undefined;
  /** The session followed, its peer once its hello came, and whether it was remembered. */
  let followed: Session | null = null;
  let peer: Peer | null = null;
  let remembered = false;
  let pending: Promise<void> = Promise.resolve();

  const set = (patch: Partial<TrustView>) => {
    view = { ...view, ...patch };
    for (const l of [...listeners]) l(view);
  };
  const later = (work: () => Promise<void>) => {
    pending = pending.then(work).catch(() => undefined);
  };

  /** The store, opened once; null where it cannot be (no IndexedDB): nothing is remembered then. */
  function store(): Promise<DeviceStore | null> {
    opened ??= (load?.() ?? Promise.resolve(null)).catch(() => null);
    return opened;
  }

  /** The list, read once and then kept as written. */
  async function devices(): Promise<readonly RememberedDevice[]> {
    if (view.devices !== null) return view.devices;
    const list = (await (await store())?.devices.list().catch(() => null)) ?? [];
    if (view.devices === null) set({ devices: list });
    return view.devices ?? list;
  }

  /** A change to the list; the view follows what was written. */
  async function edit(run: (s: DeviceStore) => Promise<readonly RememberedDevice[]>): Promise<void> {
    const s = await store();
    if (s === null) return;
    await devices(); // so a list read later never overwrites this change with an older one
    const list = await run(s).catch(() => null);
    if (list !== null) set({ devices: list });
  }

  /** Against the list as it was when the peer said hello: one remembered now does not change this session. */
  function recogniseFor(session: Session, known: Peer): void {
    later(async () => {
      const list = await devices();
      if (followed === session) set({ peer: recognise(list, known.name, known.fingerprint) });
    });
  }

  function follow(session: Session | null, state: SessionState): void {
    if (session !== followed) {
      followed = session;
      peer = null;
      remembered = false;
      if (view.peer !== null) set({ peer: null });
    }
    if (session === null || state.kind !== 'connected' || state.peer === null) return;
    if (peer === null) {
      peer = {
        name: state.peer.name,
        fingerprint: peerFingerprint(state.fingerprints, session.remoteSdp()),
      };
      recogniseFor(session, peer);
    }
    // Only this person's own confirmation counts (the peer's word never sets `verified`).
    const fingerprint = peer.fingerprint;
    if (state.verified !== 'by-person' || remembered || fingerprint === null) return;
    remembered = true;
    const name = peer.name ?? '';
    later(() => edit((s) => s.devices.remember({ name, fingerprint })));
  }

  return {
    getState: () => view,
    subscribe(l) {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    dispatch(intent) {
      switch (intent.type) {
        case 'load':
          // Read again each time: another tab may have remembered or forgotten one.
          later(async () => {
            const list = await (await store())?.devices.list().catch(() => null);
            set({ devices: list ?? view.devices ?? [] });
          });
          return;
        case 'rename':
          later(() => edit((s) => s.devices.rename(intent.fingerprint, intent.name)));
          return;
        case 'forget':
          later(() => edit((s) => s.devices.forget(intent.fingerprint)));
          return;
        case 'forget-all':
          later(() => edit((s) => s.devices.forgetAll()));
          return;
      }
    },
    // Read each time (a few ms): a certificate another tab renewed is the one used. Storage that does not
    // answer must not hold the code back: the session then makes its own.
    certificate: () =>
      new Promise<RTCCertificate | null>((resolve) => {
        const late = setTimeout(() => resolve(null), CERTIFICATE_WAIT_MS);
        store()
          .then((s) => s?.certificate() ?? null)
          .catch(() => null)
          .then((c) => {
            clearTimeout(late);
            resolve(c);
          });
      }),
    follow,
    settled: () => pending,
  };
}
