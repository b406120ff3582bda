// Remembered devices as kept on the device: remember after "They match", rename, forget one, forget all; what
// storage gives back is checked entry by entry. A Map stands in for IndexedDB (same KeyValue slice).
import { describe, expect, it } from 'vitest';
import { DEVICES_KEY, MAX_REMEMBERED, parseDevices, rememberedStore } from '../../../src/app/remembered.ts';
import { memoryKeyValue } from './memory-kv.ts';

const A = 'sha-256 AA:AA';
const B = 'sha-256 BB:BB';

function clock(start = 1000) {
  let t = start;
  return { now: () => t, tick: (ms = 1) => (t += ms) };
}

describe('remembered devices', () => {
  it('remembers a device under its fingerprint, newest first, and reads it back from storage', async () => {
    const kv = memoryKeyValue();
    const c = clock();
    const store = rememberedStore(kv, c.now);
    expect(await store.list()).toEqual([]);
    await store.remember({ name: 'Pixel 8', fingerprint: A });
    c.tick();
    const after = await store.remember({ name: '  Firefox   on Linux ', fingerprint: B });
    expect(after.map((d) => [d.name, d.fingerprint])).toEqual([
      ['Firefox on Linux', B],
      ['Pixel 8', A],
    ]);
    expect(await rememberedStore(kv).list()).toEqual(after);
  });

  it('verifying again refreshes the time; a name the person gave is kept, an unrenamed one follows the hello', async () => {
    const c = clock();
    const store = rememberedStore(memoryKeyValue(), c.now);
    await store.remember({ name: 'Pixel 8', fingerprint: A });
    await store.remember({ name: 'Pixel 7', fingerprint: B });
    await store.rename(A, 'Anna');
    c.tick(50);
    await store.remember({ name: 'Pixel 8 Pro', fingerprint: A });
    const list = await store.remember({ name: 'Pixel 7a', fingerprint: B });
    const a = list.find((d) => d.fingerprint === A);
    const b = list.find((d) => d.fingerprint === B);
    expect(a).toMatchObject({ name: 'Anna', helloName: 'Pixel 8 Pro', verifiedAt: 1050 });
    expect(b).toMatchObject({ name: 'Pixel 7a', helloName: 'Pixel 7a' });
    expect(list).toHaveLength(2);
  });

  it('rename cleans the name; an empty name goes back to what the device called itself', async () => {
    const store = rememberedStore(memoryKeyValue());
    await store.remember({ name: 'Pixel 8', fingerprint: A });
    expect((await store.rename(A, '  Work\nphone  '))[0]?.name).toBe('Work phone');
    expect((await store.rename(A, '   '))[0]?.name).toBe('Pixel 8');
    expect((await store.rename('sha-256 CC', 'nobody')).map((d) => d.name)).toEqual(['Pixel 8']);
  });

  it('forget one leaves the others; forget all leaves nothing, in storage too', async () => {
    const kv = memoryKeyValue();
    const store = rememberedStore(kv);
    await store.remember({ name: 'Pixel 8', fingerprint: A });
    await store.remember({ name: 'Laptop', fingerprint: B });
    expect((await store.forget(A)).map((d) => d.fingerprint)).toEqual([B]);
    expect(await store.forgetAll()).toEqual([]);
    expect(kv.map.has(DEVICES_KEY)).toBe(false);
    expect(await store.list()).toEqual([]);
  });

  it(`keeps at most ${MAX_REMEMBERED}, dropping the longest unverified`, async () => {
    const c = clock();
    const store = rememberedStore(memoryKeyValue(), c.now);
    for (let i = 0; i <= MAX_REMEMBERED; i++) {
      c.tick();
      await store.remember({ name: `d${i}`, fingerprint: `sha-256 ${i}` });
    }
    const list = await store.list();
    expect(list).toHaveLength(MAX_REMEMBERED);
    expect(list.some((d) => d.name === 'd0')).toBe(false);
  });

  it('storage is outside input: wrong shapes, duplicates and oversized values are dropped', () => {
    const good = { fingerprint: A, name: 'ok', helloName: 'ok', verifiedAt: 5 };
    expect(parseDevices('nonsense')).toEqual([]);
    expect(parseDevices(null)).toEqual([]);
    expect(
      parseDevices([
        good,
        { ...good, name: 'duplicate' },
        { ...good, fingerprint: B, verifiedAt: 'yesterday' },
        { ...good, fingerprint: 'x'.repeat(5000) },
        { ...good, fingerprint: B, name: 'n'.repeat(1000) },
        { ...good, fingerprint: '' },
        42,
        null,
      ]),
    ).toEqual([good]);
  });
});
