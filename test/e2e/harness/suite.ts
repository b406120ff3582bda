// The setup most browser test files share: the built app served once, one Chromium and one Firefox, all
// closed after the file. Call at the top level of a test file; read the handles inside tests.
import { afterAll, beforeAll } from 'vitest';
import { type AppServer, serveApp } from './app-build.ts';
import {
  type BrowserHandle,
  type BrowserKind,
  type LaunchOptions,
  launchBrowser,
  launchChromium,
  launchFirefox,
} from './browsers.ts';
import { assertInNetns } from './netns.ts';

export interface AppSuite {
  readonly server: AppServer;
  readonly chromium: BrowserHandle;
  readonly firefox: BrowserHandle;
}

export function chromiumAndFirefox(opts: LaunchOptions = {}): AppSuite {
  let server: AppServer | undefined;
  let chromium: BrowserHandle | undefined;
  let firefox: BrowserHandle | undefined;
  beforeAll(async () => {
    assertInNetns();
    server = await serveApp();
    [chromium, firefox] = await Promise.all([launchChromium(opts), launchFirefox(opts)]);
  });
  afterAll(async () => {
    await chromium?.close().catch(() => undefined);
    await firefox?.close().catch(() => undefined);
    await server?.close();
  });
  const ready = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`${what} is not ready (used outside a test?)`);
    return value;
  };
  return {
    get server() {
      return ready(server, 'the app server');
    },
    get chromium() {
      return ready(chromium, 'Chromium');
    },
    get firefox() {
      return ready(firefox, 'Firefox');
    },
  };
}

export interface FourDeviceSuite {
  readonly server: AppServer;
  /** The first (0) or second (1) device of a kind: four browsers, as four phones would be. */
  device(kind: BrowserKind, n: 0 | 1): BrowserHandle;
}

/** The built app served once, and two browsers of each kind, closed after the file. */
export function twoOfEach(opts: LaunchOptions = {}): FourDeviceSuite {
  let server: AppServer | undefined;
  let devices: Record<BrowserKind, readonly BrowserHandle[]> | undefined;
  beforeAll(async () => {
    assertInNetns();
    server = await serveApp();
    const [c1, c2, f1, f2] = await Promise.all([
      launchBrowser('chromium', opts),
      launchBrowser('chromium', opts),
      launchBrowser('firefox', opts),
      launchBrowser('firefox', opts),
    ]);
    devices = { chromium: [c1, c2], firefox: [f1, f2] };
  });
  afterAll(async () => {
    for (const b of devices ? [...devices.chromium, ...devices.firefox] : [])
      await b.close().catch(() => undefined);
    await server?.close();
  });
  return {
    get server() {
      if (server === undefined) throw new Error('the app server is not ready (used outside a test?)');
      return server;
    },
    device(kind, n) {
      const b = devices?.[kind][n];
      if (b === undefined) throw new Error(`${kind} ${n + 1} is not ready (used outside a test?)`);
      return b;
    },
  };
}
