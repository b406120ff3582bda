// What the network-change tests check across an outage: chat sent while nothing gets through arrives once the
// link (or a new connection) is back, exactly one copy each.
import { expect } from 'vitest';
import type { AppPage } from './app.ts';

/** Long enough for the silence threshold (12 s), the restart grace and Firefox's ICE failure, on a loaded machine. */
export const RECOVERY_TIMEOUT_MS = 60_000;

const copies = async (app: AppPage, text: string) =>
  (await app.messages()).filter((m) => !m.mine && m.text === text).length;

/** Sends one message from each side now; the function returned waits for both to be delivered, once each. */
export async function sendDuringOutage(a: AppPage, b: AppPage): Promise<() => Promise<void>> {
  await a.send('sent by A during the outage');
  await b.send('sent by B during the outage');
  return async () => {
    await Promise.all([
      a.waitDelivered('sent by A during the outage', RECOVERY_TIMEOUT_MS),
      b.waitDelivered('sent by B during the outage', RECOVERY_TIMEOUT_MS),
    ]);
    expect(await copies(b, 'sent by A during the outage')).toBe(1);
    expect(await copies(a, 'sent by B during the outage')).toBe(1);
  };
}
