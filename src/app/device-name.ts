// This device's name as the other device shows it ("Connected to Pixel 8"): the person's choice from Settings,
// or a default read from the browser. Only the kind of device and browser go into the default, never a model
// or version, since the name is sent to the peer.

/** The name field's bound in characters (code points); the protocol shows no more (rtc control.ts). */
export const MAX_DEVICE_NAME_CHARS = 40;

/** What the default is read from: `navigator` in the app, a plain object in tests. */
export interface UserAgentSource {
  readonly userAgent: string;
  /** User-Agent Client Hints (Chromium): more honest than the UA string, which freezes the platform. */
  readonly userAgentData?: { readonly platform?: string; readonly mobile?: boolean };
}

type Os = 'Android' | 'iOS' | 'iPadOS' | 'ChromeOS' | 'macOS' | 'Windows' | 'Linux';

// Order matters: Edge and Opera say "Chrome" too, Chrome says "Safari", and the iOS browsers say "Safari".
const BROWSERS: readonly (readonly [RegExp, string])[] = [
  [/\bFirefox\/|\bFxiOS\//, 'Firefox'],
  [/\bEdg(e|A|iOS)?\//, 'Edge'],
  [/\bOPR\/|\bOPT\//, 'Opera'],
  [/\bSamsungBrowser\//, 'Samsung Internet'],
  [/\b(?:Headless)?Chrome\/|\bCriOS\/|\bChromium\//, 'Chrome'],
  [/\bSafari\//, 'Safari'],
];

const CLIENT_HINT_OS: Readonly<Record<string, Os>> = {
  Android: 'Android',
  'Chrome OS': 'ChromeOS',
  'Chromium OS': 'ChromeOS',
  macOS: 'macOS',
  Windows: 'Windows',
  Linux: 'Linux',
  iOS: 'iOS',
};

function osOf(ua: string, hinted: string | undefined): Os | null {
  const fromHint = hinted === undefined ? undefined : CLIENT_HINT_OS[hinted];
  if (fromHint !== undefined) return fromHint;
  if (/\biPad\b/.test(ua)) return 'iPadOS';
  if (/\biPhone\b|\biPod\b/.test(ua)) return 'iOS';
  if (/\bAndroid\b/.test(ua)) return 'Android';
  if (/\bCrOS\b/.test(ua)) return 'ChromeOS';
  if (/\bMac OS X\b|\bMacintosh\b/.test(ua)) return 'macOS';
  if (/\bWindows\b/.test(ua)) return 'Windows';
  if (/\bLinux\b|\bX11\b/.test(ua)) return 'Linux';
  return null;
}

/** "Android phone", "iPhone", "iPad", "Firefox on Linux", …; "Web browser" when nothing is recognised. */
export function defaultDeviceName(source: UserAgentSource): string {
  const ua = source.userAgent;
  const os = osOf(ua, source.userAgentData?.platform);
  // A phone is named for what it is; the browser on it matters less to the person holding the other device.
  if (os === 'iOS') return 'iPhone';
  if (os === 'iPadOS') return 'iPad';
  if (os === 'Android') {
    const mobile = source.userAgentData?.mobile ?? /\bMobile\b/.test(ua);
    return mobile ? 'Android phone' : 'Android tablet';
  }
  const browser = BROWSERS.find(([pattern]) => pattern.test(ua))?.[1] ?? null;
  if (browser !== null && os !== null) return `${browser} on ${os}`;
  return browser ?? os ?? 'Web browser';
}

/** A typed name as kept: one line, trimmed, bounded. '' means "use the default". */
export function cleanDeviceName(raw: string): string {
  const line = raw.replace(/\s+/gu, ' ').trim();
  return [...line].slice(0, MAX_DEVICE_NAME_CHARS).join('').trim();
}
