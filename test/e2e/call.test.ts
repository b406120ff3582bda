// Calls over the paired session, in real Chromium and Firefox with fake cameras and microphones: a video call
// started from each side, the remote <video> playing, mute seen on the other side, the call ended with the chat
// still working and the camera released; then both sides starting a change at the same moment.
import { describe, expect, it } from 'vitest';
import { AppPage, chatBothWays, pairByText } from './harness/app.ts';
import {
  countRollbacks,
  delayOffers,
  livePc,
  MEDIA_TIMEOUT_MS,
  videoCall,
  waitCallPhase,
  waitLocalReleased,
  waitRemoteVideoPlays,
} from './harness/live.ts';
import { chromiumAndFirefox } from './harness/suite.ts';

const suite = chromiumAndFirefox({ media: true });

const peerMic = (app: AppPage) =>
  app.evaluate(
    () => document.querySelector('[data-testid="peer-media"]')?.getAttribute('data-mic') ?? null,
    undefined,
  );

describe('calls between Chromium and Firefox', () => {
  it('a video call from each side: video plays, mute is seen, ending keeps the chat and releases the camera', async () => {
    const a = await AppPage.open(suite.chromium, suite.server.url, 'A (chromium)');
    const b = await AppPage.open(suite.firefox, suite.server.url, 'B (firefox)');
    try {
      await pairByText(a, b);
      await chatBothWays(a, b, 'before the calls');

      // 1. Chromium calls Firefox.
      await videoCall(a, b);
      await a.tap('call-mic');
      await b.poll(
        'A muted, as seen by B',
        () => peerMic(b),
        (m) => m === 'false',
        MEDIA_TIMEOUT_MS,
      );
      await a.tap('call-mic');
      await b.poll(
        'A unmuted, as seen by B',
        () => peerMic(b),
        (m) => m === 'true',
        MEDIA_TIMEOUT_MS,
      );
      // Ended by the callee: the caller is told, both release camera and microphone, the chat goes on.
      await b.tap('call-end');
      await Promise.all([waitCallPhase(a, 'idle'), waitCallPhase(b, 'idle')]);
      await Promise.all([waitLocalReleased(a), waitLocalReleased(b)]);
      await chatBothWays(a, b, 'after the first call');

      // 2. Firefox calls Chromium, on the same connection (transceivers reused).
      await videoCall(b, a);
      await b.tap('call-mic');
      await a.poll(
        'B muted, as seen by A',
        () => peerMic(a),
        (m) => m === 'false',
        MEDIA_TIMEOUT_MS,
      );
      await a.tap('call-end');
      await Promise.all([waitCallPhase(a, 'idle'), waitCallPhase(b, 'idle')]);
      await Promise.all([waitLocalReleased(a), waitLocalReleased(b)]);
      await chatBothWays(a, b, 'after the second call');
      const pcs = await Promise.all([livePc(a), livePc(b)]);
      expect(pcs.map((p) => p.signaling)).toEqual(['stable', 'stable']);
      expect(await a.pageErrors()).toEqual([]);
      expect(await b.pageErrors()).toEqual([]);
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('both sides start a change at the same moment: crossing offers resolve by rollback, both succeed', async () => {
    const a = await AppPage.open(suite.chromium, suite.server.url, 'A (chromium)');
    const b = await AppPage.open(suite.firefox, suite.server.url, 'B (firefox)');
    try {
      await pairByText(a, b);
      // Every offer is held 500 ms before it goes out, so offers started at about the same moment cross.
      await Promise.all([countRollbacks(a), countRollbacks(b), delayOffers(a, 500), delayOffers(b, 500)]);

      // A calls, B accepts: B puts its tracks on the connection at once and A as soon as it hears the accept,
      // so with the 500 ms hold both offers are on the wire at the same moment.
      await a.tap('call-video');
      await waitCallPhase(b, 'incoming');
      await b.tap('call-accept');
      await Promise.all([waitCallPhase(a, 'active'), waitCallPhase(b, 'active')]);
      await Promise.all([waitRemoteVideoPlays(a), waitRemoteVideoPlays(b)]);
      const crossed = await Promise.all([livePc(a), livePc(b)]);
      console.log(
        `rollbacks after crossing call offers: A ${crossed[0]?.rollbacks}, B ${crossed[1]?.rollbacks}`,
      );
      // The impolite Starter never rolls back; the polite Joiner did (the offers really collided).
      expect(crossed[0]?.rollbacks).toBe(0);
      expect(crossed[1]?.rollbacks).toBeGreaterThanOrEqual(1);

      await a.tap('call-end');
      await Promise.all([waitLocalReleased(a), waitLocalReleased(b)]);
      await chatBothWays(a, b, 'after crossing call offers');
      expect(await a.pageErrors()).toEqual([]);
      expect(await b.pageErrors()).toEqual([]);
    } finally {
      await a.close();
      await b.close();
    }
  });
});
