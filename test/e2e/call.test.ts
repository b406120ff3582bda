// Calls over the paired session, in real Chromium and Firefox with fake cameras and microphones: a video call
// started from each side, the remote <video> playing, mute seen on the other side, the call ended with the chat
// still working and the camera released; then both sides starting a change at the same moment; then Switch
// camera, where Chromium lists two cameras and Firefox one.
import { describe, expect, it } from 'vitest';
import { AppPage, chatBothWays, pairByText, t } from './harness/app.ts';
import { countShown, press } from './harness/by-role.ts';
import {
  countRestartOffers,
  countRollbacks,
  delayOffers,
  headerPeerName,
  livePc,
  MEDIA_TIMEOUT_MS,
  openDetails,
  peerMic,
  peerNote,
  reportingBothSides,
  restartOffers,
  sentCameras,
  videoCall,
  waitCallPhase,
  waitLocalReleased,
  waitMoreFrames,
  waitNewCredentials,
} from './harness/live.ts';
import { chromiumAndFirefox } from './harness/suite.ts';

/**
 * Chromium lists three cameras (Switch camera), Firefox its one. Chromium's second fake camera is a depth
 * camera (Y16), whose frames its encoder drops (a bare page shows it: framesEncoded stops after replaceTrack);
 * the third (MJPEG) encodes, so the test switches twice before it counts frames.
 */
const suite = chromiumAndFirefox({ media: true, cameras: 3 });
/** Video frames the other side must decode from the next camera: about a second of it. */
const FRAMES_AFTER_SWITCH = 20;
/** Video frames each side must decode after an ICE restart: about a second of the fake camera. */
const FRAMES_AFTER_RESTART = 20;

/** Adds an inactive audio transceiver to the live connection: the app must negotiate it in-band. */
const addTransceiver = (app: AppPage) =>
  app.evaluate(() => {
    const probe = (window as unknown as { __pigeonProbe: { pcs: RTCPeerConnection[] } }).__pigeonProbe;
    probe.pcs.at(-1)?.addTransceiver('audio', { direction: 'inactive' });
  }, undefined);

const transceiverMids = (app: AppPage) =>
  app.evaluate(() => {
    const probe = (window as unknown as { __pigeonProbe: { pcs: RTCPeerConnection[] } }).__pigeonProbe;
    const pc = probe.pcs.at(-1);
    return { signaling: pc?.signalingState ?? 'none', mids: pc?.getTransceivers().map((t) => t.mid) ?? [] };
  }, undefined);

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
      // What B reads: A by the name its header shows, not "the other device".
      const aName = await headerPeerName(b);
      expect(aName).not.toBeNull();
      expect(await peerNote(b)).toBe(t('call.peerMutedNamed', { name: `\u2068${aName}\u2069` }));
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

  it('a call takes one offer; both sides changing the connection at the same moment resolve by rollback', async () => {
    const a = await AppPage.open(suite.chromium, suite.server.url, 'A (chromium)');
    const b = await AppPage.open(suite.firefox, suite.server.url, 'B (firefox)');
    try {
      await pairByText(a, b);
      // Every offer is held 500 ms before it goes out, so offers started at about the same moment cross.
      await Promise.all([countRollbacks(a), countRollbacks(b), delayOffers(a, 500), delayOffers(b, 500)]);

      // 1. A calls, B accepts. With the 500 ms hold, offers from both sides would cross here (they did when the
      // callee offered too); the call is negotiated by the caller's one offer, so nothing is rolled back.
      await videoCall(a, b);
      const one = await Promise.all([livePc(a), livePc(b)]);
      expect(one.map((p) => p.rollbacks)).toEqual([0, 0]);

      // 2. Both connections change at the same moment (each side adds a transceiver, as a new kind of media
      // would): both offers are on the wire together. The impolite Starter never rolls back; the polite Joiner
      // does, answers, and then makes its own change.
      await Promise.all([addTransceiver(a), addTransceiver(b)]);
      const settled = await Promise.all(
        [a, b].map((app) =>
          app.poll(
            'every transceiver negotiated, signaling stable',
            () => transceiverMids(app),
            (r) => r.signaling === 'stable' && r.mids.length === 4 && !r.mids.includes(null),
            MEDIA_TIMEOUT_MS,
          ),
        ),
      );
      const crossed = await Promise.all([livePc(a), livePc(b)]);
      console.log(
        `crossing offers: rollbacks A ${crossed[0]?.rollbacks}, B ${crossed[1]?.rollbacks}; mids ${JSON.stringify(settled.map((r) => r.mids))}`,
      );
      expect(crossed[0]?.rollbacks).toBe(0);
      expect(crossed[1]?.rollbacks).toBeGreaterThanOrEqual(1);
      // The call goes on through it.
      await Promise.all([waitMoreFrames(a, 10), waitMoreFrames(b, 10)]);

      await a.tap('call-end');
      await Promise.all([waitLocalReleased(a), waitLocalReleased(b)]);
      await chatBothWays(a, b, 'after crossing offers');
      expect(await a.pageErrors()).toEqual([]);
      expect(await b.pageErrors()).toEqual([]);
    } finally {
      await a.close();
      await b.close();
    }
  });

  // A restart tapped while the connection carries moves the session to a new connection negotiated over the old
  // one (rtc/session/move.ts). As an ICE restart it failed in both pairings: a Firefox Starter facing a Chromium
  // Joiner lost Chromium→Firefox in 3 of 8 full runs (libwebrtc nominated a pair with Firefox's old-generation
  // candidates, which Firefox's old ICE stream answered); a Chromium Starter on several interfaces (camera flags)
  // facing a Firefox Joiner left Firefox 'checking' with nothing from Chromium in 9 of 14 runs.
  for (const [starter, joiner] of [
    ['firefox', 'chromium'],
    ['chromium', 'firefox'],
  ] as const) {
    it(`a restart tapped during a call (${starter} Start, ${joiner} Join) moves to a new connection: new credentials, video and chat go on, the old one closes`, async () => {
      const a = await AppPage.open(suite[starter], suite.server.url, `A (${starter})`);
      const b = await AppPage.open(suite[joiner], suite.server.url, `B (${joiner})`);
      try {
        await pairByText(a, b);
        await videoCall(a, b);
        await Promise.all([openDetails(a), openDetails(b)]);
        const before = await Promise.all([livePc(a), livePc(b)]);
        await Promise.all([countRestartOffers(a), countRestartOffers(b)]);
        const tapped = Date.now();
        await a.tap('restart-ice');
        await reportingBothSides([a, b], async () => {
          const after = await waitNewCredentials([a, b], before);
          expect(after[0]?.localUfrag).toBe(after[1]?.remoteUfrag);
          await Promise.all([waitMoreFrames(a, 1), waitMoreFrames(b, 1)]);
          const frozen = Date.now() - tapped;
          await chatBothWays(a, b, 'after the restart');
          await Promise.all([
            waitMoreFrames(a, FRAMES_AFTER_RESTART),
            waitMoreFrames(b, FRAMES_AFTER_RESTART),
          ]);
          // One new connection on each side, the old one closed, and no ICE restart made on it.
          for (const side of [a, b]) {
            const pcs = await side.poll(
              'the old connection closed',
              () => side.peerConnections(),
              (p) =>
                p.length === 2 && p[0]?.connectionState === 'closed' && p[1]?.connectionState === 'connected',
              MEDIA_TIMEOUT_MS,
            );
            expect(pcs).toHaveLength(2);
            expect(await restartOffers(side), side.name).toBe(0);
          }
          console.log(
            `measure: restart during a call (${starter} Start): video decoded again on both sides ${frozen} ms after the tap`,
          );
        });
        expect(await a.pageErrors()).toEqual([]);
        expect(await b.pageErrors()).toEqual([]);
      } finally {
        await a.close();
        await b.close();
      }
    });
  }

  it('Switch camera is drawn with several cameras, not with one; each tap sends the next camera and lets the last go', async () => {
    const a = await AppPage.open(suite.chromium, suite.server.url, 'A (chromium)');
    const b = await AppPage.open(suite.firefox, suite.server.url, 'B (firefox)');
    try {
      await pairByText(a, b);
      await videoCall(a, b);
      const switchCamera = t('call.switchCamera');
      await a.poll(
        'A: Switch camera drawn',
        () => countShown(a, 'button', switchCamera),
        (n) => n === 1,
        MEDIA_TIMEOUT_MS,
      );
      expect(await countShown(b, 'button', switchCamera)).toBe(0);
      const [first] = await a.poll(
        'A: its camera sent',
        () => sentCameras(a),
        (labels) => labels.length === 1 && labels[0] !== '',
        MEDIA_TIMEOUT_MS,
      );
      let sent = first;
      for (const turn of ['second', 'third']) {
        await press(a, switchCamera);
        const before = sent;
        [sent] = await a.poll(
          `A: its ${turn} camera sent`,
          () => sentCameras(a),
          (labels) => labels.length === 1 && labels[0] !== '' && labels[0] !== before && labels[0] !== first,
          MEDIA_TIMEOUT_MS,
        );
      }
      await waitMoreFrames(b, FRAMES_AFTER_SWITCH);
      // Live: the microphone and the camera in use; the cameras before it are released.
      await a.poll(
        'A: two live tracks',
        () => a.camera(),
        (cam) => cam.liveTracks === 2,
        MEDIA_TIMEOUT_MS,
      );
      expect(await a.pageErrors()).toEqual([]);
    } finally {
      await a.close();
      await b.close();
    }
  });
});
