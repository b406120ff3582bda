// Settings kept on this device. The ICE servers go into the next connection's RTCConfiguration; the name into
// its hello.

import { cleanDeviceName } from './device-name.ts';

export interface Settings {
  /** One STUN URL, or '' for none (local network only). */
  readonly stun: string;
  readonly locale: string | null;
  /** One TURN URL (turn: or turns:, optional ?transport=udp|tcp), or '' for none. */
  readonly turn: string;
  readonly turnUser: string;
  readonly turnCredential: string;
  /** iceTransportPolicy 'relay': only relayed candidates, so this device's addresses are never shown. */
  readonly relayOnly: boolean;
  /** This device's name as the other one shows it; '' for the default from the browser (device-name.ts). */
  readonly name: string;
}

/** A public STUN server by default, so devices on different networks can find each other. */
export const DEFAULT_STUN = 'stun:stun.l.google.com:19302';
const STORAGE_KEY = 'pigeon.settings.v1';
const STUN_URL = /^stuns?:[^\s/?#]+(:\d{1,5})?$/;
const TURN_URL = /^turns?:[^\s/?#]+(:\d{1,5})?(\?transport=(udp|tcp))?$/;
/** Bounds what a settings form (or a tampered storage entry) can put into RTCConfiguration. */
const MAX_FIELD_CHARS = 512;

export const DEFAULT_SETTINGS: Settings = {
  stun: DEFAULT_STUN,
  locale: null,
  turn: '',
  turnUser: '',
  turnCredential: '',
  relayOnly: false,
  name: '',
};

export function validStun(url: string): boolean {
  return url === '' || STUN_URL.test(url);
}

export type IceSettingsError =
  | 'invalid-stun'
  | 'invalid-turn'
  | 'turn-needs-credentials'
  | 'relay-needs-turn';

/** The first problem with the ICE server fields, or null when they can be used. */
export function checkIceSettings(s: Settings): IceSettingsError | null {
  if (!validStun(s.stun)) return 'invalid-stun';
  if (s.turn !== '' && (!TURN_URL.test(s.turn) || s.turn.length > MAX_FIELD_CHARS)) return 'invalid-turn';
  const user = s.turnUser.trim();
  const credential = s.turnCredential;
  if (s.turn !== '' && (user === '' || credential === '')) return 'turn-needs-credentials';
  if (user.length > MAX_FIELD_CHARS || credential.length > MAX_FIELD_CHARS) return 'turn-needs-credentials';
  if (s.relayOnly && s.turn === '') return 'relay-needs-turn';
  return null;
}

export function loadSettings(storage: Pick<Storage, 'getItem'> | null): Settings {
  try {
    const raw = storage?.getItem(STORAGE_KEY);
    if (!raw) return DEFAULT_SETTINGS;
    const v = JSON.parse(raw) as Partial<Record<keyof Settings, unknown>>;
    const text = (value: unknown): string => (typeof value === 'string' ? value : '');
    const loaded: Settings = {
      stun: typeof v.stun === 'string' && validStun(v.stun) ? v.stun : DEFAULT_STUN,
      locale: typeof v.locale === 'string' ? v.locale : null,
      turn: text(v.turn),
      turnUser: text(v.turnUser),
      turnCredential: text(v.turnCredential),
      relayOnly: v.relayOnly === true,
      name: cleanDeviceName(text(v.name)),
    };
    // Stored TURN settings that no longer check out are dropped as a whole (never half a server).
    if (checkIceSettings(loaded) === null) return loaded;
    return { ...loaded, turn: '', turnUser: '', turnCredential: '', relayOnly: false };
  } catch {
    return DEFAULT_SETTINGS;
  }
}

export function saveSettings(storage: Pick<Storage, 'setItem'> | null, s: Settings): void {
  try {
    storage?.setItem(STORAGE_KEY, JSON.stringify(s));
  } catch {
    // Private mode or a full quota: the settings still apply for this visit.
  }
}

export function rtcConfiguration(s: Settings): RTCConfiguration {
  const iceServers: RTCIceServer[] = s.stun ? [{ urls: s.stun }] : [];
  if (s.turn !== '')
    iceServers.push({ urls: s.turn, username: s.turnUser.trim(), credential: s.turnCredential });
  return s.relayOnly && s.turn !== '' ? { iceServers, iceTransportPolicy: 'relay' } : { iceServers };
}

/** The name this device announces: the person's, or the default when they chose none. */
export function deviceName(s: Settings, fallback: string): string {
  return s.name === '' ? fallback : s.name;
}
