// The setup most browser test files share: the built app served once, one Chromium and one Firefox, all
// closed after the file. Call at the top level of a test file; read the handles inside tests.
import { afterAll, beforeAll } from 'vitest';
import { type AppServer, serveApp } from './app-build.ts';
import { type BrowserHandle, type LaunchOptions, launchChromium, launchFirefox } from './browsers.ts';
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
