// The app's trust: the connected peer recognised once per session from its certificate and hello name; the
// person's "They match" (the session's `verified`) remembers it; Settings' edits show at once; no storage
// means nothing is known.
import { describe, expect, it, vi } from 'vitest';
import { deviceStore } from '../../../src/app/device-store.ts';
import { CERTIFICATE_WAIT_MS, createTrust } from '../../../src/app/trust.ts';
import type { Session, SessionState } from '../../../src/rtc/index.ts';
import { memoryKeyValue } from './memory-kv.ts';

const sdpWith = (fp: string) => `v=0\r\na=fingerprint:sha-256 ${fp}\r\n`;
const fakeSession = (remote: string) => ({ remoteSdp: () => remote }) as unknown as Session;
const connected = (name: string | undefined, opts: { verified?: boolean; remote?: string } = {}) =>
  ({
    kind: 'connected',
    peer: { app: 'Pigeon 0', features: [], ...(name ? { name } : {}) },
    fingerprints: opts.remote ? { local: 'sha-256 00', remote: opts.remote } : null,
    verified: opts.verified ? 'by-person' : null,
  }) as unknown as SessionState;

function setUp() {
  const kv = memoryKeyValue();
  const trust = createTrust(async () => deviceStore(kv, undefined, () => 5));
  return { kv, trust };
}

/** One session to "They match" on this side: the peer is remembered. */
async function verify(trust: ReturnType<typeof createTrust>, fp: string, name = 'Pixel 8') {
  const s = fakeSession(sdpWith(fp));
  trust.follow(s, connected(name));
  trust.follow(s, connected(name, { verified: true }));
  await trust.settled();
  return s;
}

describe('trust', () => {
  it('a peer is unknown until its person here confirmed the words; then the next session knows it', async () => {
    const { trust } = setUp();
    const first = fakeSession(sdpWith('AA:01'));
    trust.follow(first, connected('Pixel 8'));
    await trust.settled();
    expect(trust.getState().peer).toEqual({ kind: 'unknown' });
    expect(trust.getState().devices).toEqual([]);
    trust.follow(first, connected('Pixel 8', { verified: true }));
    await trust.settled();
    expect(trust.getState().devices?.map((d) => [d.name, d.fingerprint])).toEqual([
      ['Pixel 8', 'sha-256 AA:01'],
    ]);
    // Recognised once per session: this one stays as it was when its hello came.
    expect(trust.getState().peer).toEqual({ kind: 'unknown' });

    trust.follow(null, { kind: 'idle' });
    expect(trust.getState().peer).toBeNull();
    trust.follow(fakeSession(sdpWith('aa:01')), connected('Renamed phone'));
    await trust.settled();
    expect(trust.getState().peer).toMatchObject({ kind: 'known', device: { name: 'Pixel 8' } });
  });

  it('the certificate the safety words were made from is the one remembered and recognised', async () => {
    const { trust } = setUp();
    const s = fakeSession(sdpWith('AA:01'));
    trust.follow(s, connected('Pixel 8', { verified: true, remote: 'sha-256 BB:02' }));
    await trust.settled();
    expect(trust.getState().devices?.[0]?.fingerprint).toBe('sha-256 BB:02');
    trust.follow(fakeSession(sdpWith('AA:01')), connected('Pixel 8', { remote: 'sha-256 BB:02' }));
    await trust.settled();
    expect(trust.getState().peer?.kind).toBe('known');
  });

  it('a peer that is not yet connected, or whose hello has not come, is neither recognised nor remembered', async () => {
    const { trust } = setUp();
    const s = fakeSession(sdpWith('AA:01'));
    trust.follow(s, { kind: 'connecting' } as unknown as SessionState);
    trust.follow(s, { ...connected('x', { verified: true }), peer: null } as unknown as SessionState);
    await trust.settled();
    expect(trust.getState()).toEqual({ devices: null, peer: null });
  });

  it('remembered once per session, however many states follow', async () => {
    const { kv, trust } = setUp();
    let writes = 0;
    const update = kv.update;
    kv.update = (k, change) => {
      writes++;
      return update(k, change);
    };
    const s = await verify(trust, 'AA:01');
    trust.follow(s, connected('Pixel 8', { verified: true }));
    trust.follow(s, connected('Pixel 8', { verified: true }));
    await trust.settled();
    expect(writes).toBe(1);
  });

  it('a remembered name on another certificate is a warning', async () => {
    const { trust } = setUp();
    await verify(trust, 'AA:01');
    trust.follow(fakeSession(sdpWith('EE:66')), connected('Pixel 8'));
    await trust.settled();
    expect(trust.getState().peer).toEqual({ kind: 'impostor', name: 'Pixel 8' });
  });

  it('rename and forget change the list at once (and in storage); Settings reads it again', async () => {
    const { kv, trust } = setUp();
    await verify(trust, 'AA:01');
    trust.dispatch({ type: 'rename', fingerprint: 'sha-256 AA:01', name: 'Anna' });
    await trust.settled();
    expect(trust.getState().devices?.[0]?.name).toBe('Anna');
    const other = createTrust(async () => deviceStore(kv, undefined));
    other.dispatch({ type: 'load' });
    await other.settled();
    expect(other.getState().devices?.map((d) => d.name)).toEqual(['Anna']);
    trust.dispatch({ type: 'forget', fingerprint: 'sha-256 AA:01' });
    await trust.settled();
    expect(trust.getState().devices).toEqual([]);
    await verify(trust, 'AA:02', 'Laptop');
    trust.dispatch({ type: 'forget-all' });
    await trust.settled();
    expect(trust.getState().devices).toEqual([]);
    other.dispatch({ type: 'load' });
    await other.settled();
    expect(other.getState().devices).toEqual([]);
    expect(await other.certificate()).toBeNull();
  });

  it('without storage (none given, or it cannot open) nothing is remembered and every peer is unknown', async () => {
    for (const trust of [createTrust(), createTrust(async () => Promise.reject(new Error('no IndexedDB')))]) {
      await verify(trust, 'AA:01');
      expect(trust.getState()).toEqual({ devices: [], peer: { kind: 'unknown' } });
      expect(await trust.certificate()).toBeNull();
    }
  });
});

describe('trust: the device certificate', () => {
  it('storage that does not answer gives none after CERTIFICATE_WAIT_MS, so the session makes its own', async () => {
    vi.useFakeTimers();
    try {
      const never = new Promise<never>(() => undefined);
      const trust = createTrust(async () => ({
        ...deviceStore(memoryKeyValue(), undefined),
        certificate: () => never,
      }));
      const got = trust.certificate();
      await vi.advanceTimersByTimeAsync(CERTIFICATE_WAIT_MS);
      expect(await got).toBeNull();
    } finally {
      vi.useRealTimers();
    }
  });

  it("the store's certificate when it answers", async () => {
    const cert = { expires: Number.MAX_SAFE_INTEGER } as unknown as RTCCertificate;
    const trust = createTrust(async () => ({
      ...deviceStore(memoryKeyValue(), undefined),
      certificate: async () => cert,
    }));
    expect(await trust.certificate()).toBe(cert);
  });
});
