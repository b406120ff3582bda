// Network changes inside the private namespace (root there): the address a connection uses is removed and
// another one added on the same interface, as when a phone's Wi-Fi hands it a new address or goes away.
// Both browsers share the namespace, so both lose the address at once.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { AppPage } from './app.ts';
import { assertInNetns } from './netns.ts';

const run = promisify(execFile);

/** Unused elsewhere in the namespace (netns-run sets up .1/.2 and ::1/::2). */
const REPLACEMENT = { v4: '10.99.0.3/24', v6: 'fd99::3/64' } as const;
/** netns-run's default routes leave through v0 via v1's addresses; removing v0's address drops them. */
const GATEWAYS = { before: ['10.99.0.2', 'fd99::2'], after: ['10.99.0.4', 'fd99::4'] } as const;

/** Like a real network, new addresses come with default routes (Chromium picks interfaces by them). */
async function defaultRoutes([gw4, gw6]: readonly [string, string] = GATEWAYS.before): Promise<void> {
  await run('ip', ['-4', 'route', 'replace', 'default', 'via', gw4, 'dev', 'v0']).catch(() => undefined);
  await run('ip', ['-6', 'route', 'replace', 'default', 'via', gw6, 'dev', 'v0']).catch(() => undefined);
}

export interface SelectedPair {
  readonly local: string;
  readonly remote: string;
}

/** The addresses of the selected candidate pair of each of the app's connections that are up (newest last). */
export function selectedPairs(app: AppPage): Promise<SelectedPair[]> {
  return app.evaluate(async () => {
    const probe = (window as unknown as { __pigeonProbe: { pcs: RTCPeerConnection[] } }).__pigeonProbe;
    const pairs: { local: string; remote: string }[] = [];
    for (const pc of probe.pcs) {
      if (pc.connectionState !== 'connected') continue;
      const stats = await pc.getStats();
      let pair: Record<string, unknown> | undefined;
      stats.forEach((s: Record<string, unknown>) => {
        if (s.type === 'transport' && typeof s.selectedCandidatePairId === 'string')
          pair = stats.get(s.selectedCandidatePairId);
      });
      // Firefox marks the pair instead of naming it on the transport.
      if (pair === undefined)
        stats.forEach((s: Record<string, unknown>) => {
          if (s.type === 'candidate-pair' && s.selected === true) pair = s;
        });
      const address = (id: unknown) => {
        const c = typeof id === 'string' ? (stats.get(id) as Record<string, unknown> | undefined) : undefined;
        return String(c?.address ?? c?.ip ?? '');
      };
      pairs.push({ local: address(pair?.localCandidateId), remote: address(pair?.remoteCandidateId) });
    }
    return pairs;
  }, undefined);
}

/** The addresses of the selected candidate pair of the app's live connection ('' when there is none). */
export async function selectedPair(app: AppPage): Promise<SelectedPair> {
  const live = await app.evaluate(() => {
    const probe = (window as unknown as { __pigeonProbe: { pcs: RTCPeerConnection[] } }).__pigeonProbe;
    const pc = probe.pcs.at(-1);
    return pc !== undefined && pc.connectionState === 'connected';
  }, undefined);
  return live ? ((await selectedPairs(app)).at(-1) ?? { local: '', remote: '' }) : { local: '', remote: '' };
}

export interface MovedAddress {
  readonly from: string;
  readonly to: string;
  readonly dev: string;
  /** Puts the namespace back as netns-run made it. Idempotent. */
  restore(): Promise<void>;
}

async function deviceOf(address: string): Promise<{ dev: string; prefix: string }> {
  const { stdout } = await run('ip', ['-o', 'addr', 'show']);
  for (const line of stdout.split('\n')) {
    const fields = line.trim().split(/\s+/);
    const cidr = fields[3] ?? '';
    if (cidr.split('/')[0] === address) return { dev: fields[1] ?? '', prefix: cidr.split('/')[1] ?? '' };
  }
  throw new Error(`no interface holds ${address}:\n${stdout}`);
}

/** Removes `address` from its interface and adds a fresh one of the same family there. */
export async function moveAddress(address: string): Promise<MovedAddress> {
  assertInNetns();
  const { dev, prefix } = await deviceOf(address);
  const v6 = address.includes(':');
  const to = v6 ? REPLACEMENT.v6 : REPLACEMENT.v4;
  await run('ip', ['addr', 'del', `${address}/${prefix}`, 'dev', dev]);
  await run('ip', ['addr', 'add', to, 'dev', dev, ...(v6 ? ['nodad'] : [])]);
  await defaultRoutes();
  let restored = false;
  return {
    from: address,
    to: to.split('/')[0] ?? to,
    dev,
    restore: async () => {
      if (restored) return;
      restored = true;
      await run('ip', ['addr', 'del', to, 'dev', dev]).catch(() => undefined);
      await run('ip', ['addr', 'add', `${address}/${prefix}`, 'dev', dev, ...(v6 ? ['nodad'] : [])]);
      await defaultRoutes();
    },
  };
}

/** netns-run's layout, and the fresh numbers a renumbered namespace gets. */
const LAYOUT = [
  { dev: 'v0', before: ['10.99.0.1/24', 'fd99::1/64'], after: ['10.99.0.3/24', 'fd99::3/64'] },
  { dev: 'v1', before: ['10.99.0.2/24', 'fd99::2/64'], after: ['10.99.0.4/24', 'fd99::4/64'] },
] as const;

async function number(which: 'before' | 'after'): Promise<void> {
  for (const link of LAYOUT) {
    await run('ip', ['addr', 'flush', 'dev', link.dev, 'scope', 'global']);
    for (const cidr of link[which])
      await run('ip', ['addr', 'add', cidr, 'dev', link.dev, ...(cidr.includes(':') ? ['nodad'] : [])]);
  }
  await defaultRoutes(GATEWAYS[which]);
}

/**
 * Every address in the namespace replaced by a new one: no path the connection knows survives, as when both
 * phones move to another network. Returns the function that puts netns-run's numbers back.
 */
export async function renumber(): Promise<() => Promise<void>> {
  assertInNetns();
  await number('after');
  return () => number('before');
}
