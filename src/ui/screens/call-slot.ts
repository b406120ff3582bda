// Where the call panel goes: its code (call.ts: ringing, the videos, the controls) is its own chunk, loaded
// when a live or resumable session's screen is built, a moment before any call can ring.

import { lazyScreen, type Screen, type ScreenContext } from '../screen.ts';

export const callSlot = (ctx: ScreenContext): Screen =>
  lazyScreen(() => import('./call.ts').then((m) => () => m.callPanel(ctx)), null);
