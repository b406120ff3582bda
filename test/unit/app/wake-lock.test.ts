import { describe, expect, it } from 'vitest';
import type { AppState } from '../../../src/app/controller.ts';
import {
  codeWaiting,
  screenWake,
  type VisibilityLike,
  type WakeLockLike,
} from '../../../src/app/wake-lock.ts';

/** A Screen Wake Lock whose grants the test hands out (or refuses) one by one. */
class FakeWakeLock implements WakeLockLike {
  readonly pending: { grant(): void; refuse(): void }[] = [];
  /** Locks granted and not released. */
  held = 0;
  requests = 0;
  request(type: 'screen') {
    expect(type).toBe('screen');
    this.requests++;
    return new Promise<{ release(): Promise<void> }>((resolve, reject) => {
      let released = false;
      this.pending.push({
        grant: () => {
          this.held++;
          resolve({
            release: async () => {
              if (released) return;
              released = true;
              this.held--;
            },
          });
        },
        refuse: () => reject(new DOMException('battery saver', 'NotAllowedError')),
      });
    });
  }
  /** Grants every pending request and lets the app react. */
  async grantAll(): Promise<void> {
    for (const p of this.pending.splice(0)) p.grant();
    await flush();
  }
}

class FakePage implements VisibilityLike {
  visibilityState: DocumentVisibilityState = 'visible';
  private readonly listeners = new Set<() => void>();
  addEventListener(_type: 'visibilitychange', listener: () => void, options: { signal: AbortSignal }) {
    this.listeners.add(listener);
    options.signal.addEventListener('abort', () => this.listeners.delete(listener));
  }
  get listening(): number {
    return this.listeners.size;
  }
  async set(state: DocumentVisibilityState): Promise<void> {
    this.visibilityState = state;
    for (const l of [...this.listeners]) l();
    await flush();
  }
}

const flush = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

function setup() {
  const lock = new FakeWakeLock();
  const page = new FakePage();
  return { lock, page, wake: screenWake(lock, page) };
}

describe('screenWake', () => {
  it('takes the lock while a code waits and releases it when the exchange ends', async () => {
    const { lock, wake } = setup();
    wake.want(true);
    wake.want(true); // every state change says so again: one request
    await lock.grantAll();
    expect(lock.requests).toBe(1);
    expect(lock.held).toBe(1);
    wake.want(false);
    await flush();
    expect(lock.held).toBe(0);
  });

  it('releases when the page is hidden and takes it again when it comes back while the code still waits', async () => {
    const { lock, page, wake } = setup();
    wake.want(true);
    await lock.grantAll();
    await page.set('hidden');
    expect(lock.held).toBe(0);
    expect(lock.pending).toHaveLength(0); // nothing is asked for while hidden
    await page.set('visible');
    await lock.grantAll();
    expect(lock.requests).toBe(2);
    expect(lock.held).toBe(1);
  });

  it('does not take it again on return when the exchange ended meanwhile', async () => {
    const { lock, page, wake } = setup();
    wake.want(true);
    await lock.grantAll();
    await page.set('hidden');
    wake.want(false);
    await page.set('visible');
    expect(lock.requests).toBe(1);
    expect(lock.held).toBe(0);
  });

  it('a lock granted after the exchange ended (or the page was hidden) is released at once', async () => {
    const { lock, page, wake } = setup();
    wake.want(true);
    wake.want(false);
    await lock.grantAll();
    expect(lock.held).toBe(0);
    wake.want(true);
    await page.set('hidden');
    await lock.grantAll();
    expect(lock.held).toBe(0);
  });

  it('waits for the page to be visible before asking', async () => {
    const { lock, page, wake } = setup();
    await page.set('hidden');
    wake.want(true);
    expect(lock.requests).toBe(0);
    await page.set('visible');
    await lock.grantAll();
    expect(lock.held).toBe(1);
  });

  it('a refusal is quiet, and the lock is asked for again next time the page comes back', async () => {
    const { lock, page, wake } = setup();
    wake.want(true);
    lock.pending.splice(0).forEach((p) => {
      p.refuse();
    });
    await flush();
    expect(lock.held).toBe(0);
    await page.set('hidden');
    await page.set('visible');
    await lock.grantAll();
    expect(lock.requests).toBe(2);
    expect(lock.held).toBe(1);
  });

  it('dispose releases the lock and stops listening', async () => {
    const { lock, page, wake } = setup();
    wake.want(true);
    await lock.grantAll();
    wake.dispose();
    await flush();
    expect(lock.held).toBe(0);
    expect(page.listening).toBe(0);
    wake.want(true);
    expect(lock.requests).toBe(1);
  });

  it('without the API (or on an insecure page) does nothing', async () => {
    const page = new FakePage();
    const wake = screenWake(undefined, page);
    expect(() => wake.want(true)).not.toThrow();
    await page.set('hidden');
    await page.set('visible');
    wake.dispose();
  });
});

describe('codeWaiting', () => {
  const state = (kind: AppState['session']['kind'], code: boolean) =>
    ({ session: { kind }, code: code ? { text: 'x' } : null }) as unknown as AppState;

  it('is true while an offer or an answer is shown, and at no other time', () => {
    expect(codeWaiting(state('offer-ready', true))).toBe(true);
    expect(codeWaiting(state('answer-ready', true))).toBe(true);
    expect(codeWaiting(state('offer-ready', false))).toBe(false);
    for (const kind of ['idle', 'gathering', 'connecting', 'connected', 'closed', 'failed'] as const)
      expect(codeWaiting(state(kind, true)), kind).toBe(false);
  });
});
