import { describe, expect, it } from 'vitest';
import { cleanDeviceName, defaultDeviceName, MAX_DEVICE_NAME_CHARS } from '../../../src/app/device-name.ts';

const UA = {
  firefoxLinux: 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0',
  chromeWindows:
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
  edgeWindows:
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0',
  operaMac:
    'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 OPR/114.0.0.0',
  safariMac:
    'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15',
  chromeOs:
    'Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
  iphone:
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
  ipad: 'Mozilla/5.0 (iPad; CPU OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/131.0 Mobile/15E148 Safari/604.1',
  androidChrome:
    'Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36',
  androidTablet:
    'Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
  androidFirefox: 'Mozilla/5.0 (Android 14; Mobile; rv:132.0) Gecko/132.0 Firefox/132.0',
};

describe('defaultDeviceName', () => {
  it.each([
    [UA.firefoxLinux, 'Firefox on Linux'],
    [UA.chromeWindows, 'Chrome on Windows'],
    [UA.edgeWindows, 'Edge on Windows'],
    [UA.operaMac, 'Opera on macOS'],
    [UA.safariMac, 'Safari on macOS'],
    [UA.chromeOs, 'Chrome on ChromeOS'],
    [UA.iphone, 'iPhone'],
    [UA.ipad, 'iPad'],
    [UA.androidChrome, 'Android phone'],
    [UA.androidTablet, 'Android tablet'],
    [UA.androidFirefox, 'Android phone'],
    [
      UA.chromeWindows
        .replace('Windows NT 10.0; Win64; x64', 'X11; Linux x86_64')
        .replace('Chrome/', 'HeadlessChrome/'),
      'Chrome on Linux',
    ],
    ['curl/8.5.0', 'Web browser'],
    ['', 'Web browser'],
  ])('%s → %s', (userAgent, name) => {
    expect(defaultDeviceName({ userAgent })).toBe(name);
  });

  it('believes the client hints over the frozen user-agent string', () => {
    expect(defaultDeviceName({ userAgent: UA.androidChrome, userAgentData: { mobile: false } })).toBe(
      'Android tablet',
    );
    expect(
      defaultDeviceName({
        userAgent: UA.firefoxLinux,
        userAgentData: { platform: 'Windows', mobile: false },
      }),
    ).toBe('Firefox on Windows');
    expect(defaultDeviceName({ userAgent: UA.chromeWindows, userAgentData: { platform: 'Chrome OS' } })).toBe(
      'Chrome on ChromeOS',
    );
    // An empty or unknown platform hint (some privacy modes) falls back to the string.
    expect(defaultDeviceName({ userAgent: UA.firefoxLinux, userAgentData: { platform: '' } })).toBe(
      'Firefox on Linux',
    );
  });
});

describe('cleanDeviceName', () => {
  it('keeps one trimmed line of at most 40 characters; blank means the default', () => {
    expect(cleanDeviceName('  Anna’s\n  phone \t')).toBe('Anna’s phone');
    expect(cleanDeviceName('   ')).toBe('');
    expect([...cleanDeviceName('界'.repeat(100))]).toHaveLength(MAX_DEVICE_NAME_CHARS);
    expect([...cleanDeviceName('😀'.repeat(100))]).toHaveLength(MAX_DEVICE_NAME_CHARS);
  });
});
