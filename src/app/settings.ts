// Settings kept on this device. The ICE servers go into the next connection's RTCConfiguration.

export interface Settings {
  /** One STUN URL, or '' for none (local network only). */
  readonly stun: string;
  readonly locale: string | null;
}

/** A public STUN server by default, so devices on different networks can find each other. */
export const DEFAULT_STUN = 'stun:stun.l.google.com:19302';
const STORAGE_KEY = 'pigeon.settings.v1';
const STUN_URL = /^stuns?:[^\s/?#]+(:\d{1,5})?$/;

export const DEFAULT_SETTINGS: Settings = { stun: DEFAULT_STUN, locale: null };

export function validStun(url: string): boolean {
  return url === '' || STUN_URL.test(url);
}

export function loadSettings(storage: Pick<Storage, 'getItem'> | null): Settings {
  try {
    const raw = storage?.getItem(STORAGE_KEY);
    if (!raw) return DEFAULT_SETTINGS;
    const v = JSON.parse(raw) as Partial<Record<keyof Settings, unknown>>;
    return {
      stun: typeof v.stun === 'string' && validStun(v.stun) ? v.stun : DEFAULT_STUN,
      locale: typeof v.locale === 'string' ? v.locale : null,
    };
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
  return { iceServers: s.stun ? [{ urls: s.stun }] : [] };
}
