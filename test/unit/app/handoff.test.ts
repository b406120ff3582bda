// Handing a code opened in a new tab to the tab it belongs to (src/app/handoff.ts), over node's own
// BroadcastChannel: instances with one name in one process reach each other as tabs do.
import { afterEach, describe, expect, it } from 'vitest';
import { HANDOFF_CHANNEL, handOff, serveHandoffs } from '../../../src/app/handoff.ts';

/** Short: every claim here comes back at once, so only the unclaimed cases wait this long. */
const WAIT_MS = 150;
const opened: BroadcastChannel[] = [];
const tab = () => {
  const c = new BroadcastChannel(HANDOFF_CHANNEL);
  opened.push(c);
  return c;
};
const soon = () => AbortSignal.timeout(WAIT_MS);

afterEach(() => {
  for (const c of opened.splice(0)) c.close();
});

describe('code handoff between tabs', () => {
  it('the tab the code belongs to takes it, once; the others stay out', async () => {
    const taken: string[] = [];
    const ignored: string[] = [];
    serveHandoffs(tab(), (text) => text === 'answer-for-me' && taken.push(text) > 0);
    serveHandoffs(tab(), (text) => {
      ignored.push(text);
      return false;
    });
    expect(await handOff(tab(), 'answer-for-me', soon())).toBe(true);
    expect(taken).toEqual(['answer-for-me']);
    expect(ignored).toEqual(['answer-for-me']);
  });

  it('no tab claims it: false once the wait runs out, and the opener handles it itself', async () => {
    serveHandoffs(tab(), () => false);
    expect(await handOff(tab(), 'a fresh offer', soon())).toBe(false);
  });

  it('alone (no other tab): false', async () => {
    expect(await handOff(tab(), 'anything', soon())).toBe(false);
  });

  it('an already aborted wait asks nobody', async () => {
    const asked: string[] = [];
    serveHandoffs(tab(), (text) => asked.push(text) > 0);
    expect(await handOff(tab(), 'x', AbortSignal.abort())).toBe(false);
    await new Promise((r) => setTimeout(r, WAIT_MS));
    expect(asked).toEqual([]);
  });

  it("a claim for another opener's code does not count", async () => {
    const liar = tab();
    liar.addEventListener('message', () => liar.postMessage({ t: 'taken', id: 'not-your-id' }));
    expect(await handOff(tab(), 'x', soon())).toBe(false);
  });

  it('malformed messages are ignored, never taken', async () => {
    const asked: unknown[] = [];
    serveHandoffs(tab(), (text) => asked.push(text) > 0);
    const junk = tab();
    for (const m of [
      null,
      'code',
      42,
      { t: 'code', id: 'a' },
      { t: 'code', id: 7, text: 'x' },
      { t: 'code' },
    ])
      junk.postMessage(m);
    junk.postMessage({ t: 'code', id: 'b', text: 'y'.repeat(64 * 1024) });
    await new Promise((r) => setTimeout(r, WAIT_MS));
    expect(asked).toEqual([]);
  });

  it('a tab that stopped serving takes nothing', async () => {
    const asked: string[] = [];
    const stop = serveHandoffs(tab(), (text) => asked.push(text) > 0);
    stop();
    expect(await handOff(tab(), 'x', soon())).toBe(false);
    expect(asked).toEqual([]);
  });
});
