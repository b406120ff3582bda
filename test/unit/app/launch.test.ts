// Launches of the installed app into its open window (src/app/launch.ts): the code a launch address carries,
// and which launches are taken (the one that opened the page is the page's own, taken already).
import { describe, expect, it } from 'vitest';
import { codeOfLaunch, type LaunchQueue, takeLaunches } from '../../../src/app/launch.ts';

const BASE = 'https://pigeon.example/app/';

/** A queue the test launches into, as the browser would. */
function fakeQueue() {
  let consumer: Parameters<LaunchQueue['setConsumer']>[0] = () => undefined;
  const queue: LaunchQueue = {
    setConsumer: (c) => {
      consumer = c;
    },
  };
  return { queue, launch: (targetURL: string | null) => consumer({ targetURL }) };
}

describe('codeOfLaunch', () => {
  it('is the fragment, percent-decoded', () => {
    expect(codeOfLaunch(`${BASE}#ABC-def_123`)).toBe('ABC-def_123');
    expect(codeOfLaunch(`${BASE}#A%20B`)).toBe('A B');
  });

  it('no fragment, an empty one, or no address: no code', () => {
    for (const url of [BASE, `${BASE}#`, null, undefined]) expect(codeOfLaunch(url)).toBeNull();
  });

  it('a fragment that is not valid percent-encoding is passed on raw (the codec judges it)', () => {
    expect(codeOfLaunch(`${BASE}#50%`)).toBe('50%');
  });
});

describe('takeLaunches', () => {
  it('skips the launch that opened the page, then takes every later launch with a code', () => {
    const { queue, launch } = fakeQueue();
    const taken: string[] = [];
    takeLaunches(queue, 'OFFER', (code) => taken.push(code));
    launch(`${BASE}#OFFER`);
    launch(`${BASE}#ANSWER`);
    launch(BASE);
    launch(`${BASE}#OFFER`); // opened again later: a new launch, taken
    expect(taken).toEqual(['ANSWER', 'OFFER']);
  });

  it('the opening launch is known by its code, however its address is written', () => {
    const { queue, launch } = fakeQueue();
    const taken: string[] = [];
    takeLaunches(queue, 'A B', (code) => taken.push(code));
    launch('https://PIGEON.example/app/#A%20B');
    expect(taken).toEqual([]);
  });

  it('a page opened without a code takes the first launch that has one', () => {
    const { queue, launch } = fakeQueue();
    const taken: string[] = [];
    takeLaunches(queue, null, (code) => taken.push(code));
    launch(`${BASE}#ANSWER`);
    expect(taken).toEqual(['ANSWER']);
  });
});
