// A call among the group (issue 16, proof 4): A, B (Chromium) and C (Firefox) in a group made through the
// app; A starts an audio call, B and C take it with one tap each. Every device then shows the two others in
// the call, and hears them: the sound on each of the two remote tracks, measured in the page, is above the
// fake microphone's silence. Each device opened its microphone once for its two links. C mutes: the others hear
// silence from it. Then C leaves: A and B stay in the call with each other, and C's microphone is released.
import { describe, expect, it } from 'vitest';
import { type AppPage, MESSAGE_TIMEOUT_MS, t } from './harness/app.ts';
import { press, waitShown } from './harness/by-role.ts';
import { add, nameThree, pair, ringOf, shown, withGroup, withThree } from './harness/group.ts';
import { MEDIA_TIMEOUT_MS, sentCameras, waitLocalReleased } from './harness/live.ts';
import { twoOfEach } from './harness/suite.ts';

/** Chromium lists two cameras, so a video call can switch between them. */
const suite = twoOfEach({ media: true, cameras: 2 });

/**
 * Mean sound power (RMS², full scale 1) above which a remote track carries sound: silence is 0, and the fake
 * microphones' beep or tone is loud (Chromium's beeps an audio level of about 0.3, a power near 0.01 or more).
 */
const HEARD_POWER = 1e-4;
/** How long each remote track is listened to: Chromium's fake microphone beeps once a second. */
const LISTEN_MS = 2_500;
/** Three devices grouped through the app, a call joined on each, each heard twice, then one leaving. */
const CALL_TEST_MS = 300_000;

/** The sound energy (RMS²) of the audio one tile plays, over the listening time; -1: no stats for its track. */
type Loudness = Record<string, number>;

/**
 * The mean power of the sound on the track each call tile plays (our own tile plays nothing), by the name in
 * its caption, over LISTEN_MS: from the receiving connection's inbound-rtp statistics for that very track
 * (totalAudioEnergy over totalSamplesDuration), which both browsers count as they decode, with no audio output
 * needed (a headless Firefox here has none, so Web Audio never runs in it).
 */
function loudness(app: AppPage): Promise<Loudness> {
  return app.evaluate(async (listenMs: number) => {
    const pcs = (window as unknown as { __pigeonProbe: { pcs: RTCPeerConnection[] } }).__pigeonProbe.pcs;
    const tiles = [...document.querySelectorAll('figure')].flatMap((fig) => {
      const stream = fig.querySelector('audio')?.srcObject;
      if (!(stream instanceof MediaStream)) return [];
      const name = fig.querySelector('figcaption .person-name')?.textContent ?? '';
      return stream.getAudioTracks().map((track) => ({ name, id: track.id }));
    });
    const read = async () => {
      const byTrack = new Map<string, { energy: number; duration: number }>();
      for (const pc of pcs) {
        if (pc.connectionState === 'closed') continue;
        (await pc.getStats()).forEach((s: Record<string, unknown>) => {
          if (s.type !== 'inbound-rtp' || s.kind !== 'audio' || typeof s.trackIdentifier !== 'string') return;
          byTrack.set(s.trackIdentifier, {
            energy: Number(s.totalAudioEnergy ?? Number.NaN),
            duration: Number(s.totalSamplesDuration ?? Number.NaN),
          });
        });
      }
      return byTrack;
    };
    const before = await read();
    await new Promise((r) => setTimeout(r, listenMs));
    const after = await read();
    return Object.fromEntries(
      tiles.map(({ name, id }) => {
        const a = before.get(id);
        const b = after.get(id);
        if (a === undefined || b === undefined) return [name, -1];
        return [name, (b.energy - a.energy) / Math.max(b.duration - a.duration, 1e-9)];
      }),
    );
  }, LISTEN_MS);
}

/** `side` hears each of `others` in the call, each on its own track. */
async function hears(side: AppPage, others: readonly string[]): Promise<void> {
  const heard = await side.poll(
    `${side.name}: sound from ${others.join(' and ')}`,
    () => loudness(side),
    (l) => others.every((o) => (l[shown(o)] ?? 0) > HEARD_POWER),
    MEDIA_TIMEOUT_MS,
  );
  console.log(`${side.name} hears`, JSON.stringify(heard));
}

/** The call's tiles `side` draws, each as its caption reads ("Bo", "Cy · calling…", "You"), sorted. */
const tiles = (side: AppPage): Promise<string[]> =>
  side.evaluate(
    () =>
      [...document.querySelectorAll('figure')]
        .filter((f) => f.checkVisibility())
        .map((f) => (f.querySelector('figcaption')?.textContent ?? '').trim())
        .sort(),
    undefined,
  );

/** `side` hears nothing from `other` (its tile, muted, plays silence). */
async function hearsNothingFrom(side: AppPage, other: string): Promise<void> {
  await side.poll(
    `${side.name}: silence from ${other}`,
    () => loudness(side),
    (l) => (l[shown(other)] ?? 1) < HEARD_POWER,
    MEDIA_TIMEOUT_MS,
  );
}

/** `side` draws a tile for each of `others`, none still being called, and one for itself. */
async function inCallWith(side: AppPage, others: readonly string[], video = false): Promise<void> {
  await waitShown(side, t(video ? 'group.callActiveVideo' : 'group.callActiveAudio'), MEDIA_TIMEOUT_MS);
  const want = [...others.map(shown), t('call.you')].sort();
  await side.poll(
    `${side.name}: tiles for ${others.join(' and ')} and itself`,
    () => tiles(side),
    (names) => names.join('|') === want.join('|'),
    MEDIA_TIMEOUT_MS,
  );
}

/** C, rung, takes the call with one tap: each of the three shows and hears the other two. */
async function cJoinsAndAllHear(a: AppPage, b: AppPage, c: AppPage): Promise<void> {
  await waitShown(c, ringOf('group.callIncomingAudio'), MESSAGE_TIMEOUT_MS);
  await press(c, t('call.accept'));
  await Promise.all([
    inCallWith(a, ['Bo', 'Cy']),
    inCallWith(b, ['Ana', 'Cy']),
    inCallWith(c, ['Ana', 'Bo']),
  ]);
  await hears(a, ['Bo', 'Cy']);
  await hears(b, ['Ana', 'Cy']);
  await hears(c, ['Ana', 'Bo']);
}

describe('a call among the group', () => {
  it(
    'A calls, B and C join: each hears the other two; C leaves and A and B talk on',
    async () => {
      await withGroup(suite, async (a, b, c) => {
        await press(a, t('call.audio'));
        await waitShown(a, t('group.callCalling'), MESSAGE_TIMEOUT_MS);
        await waitShown(b, t('group.callIncomingAudio', { names: shown('Ana') }), MESSAGE_TIMEOUT_MS);
        await press(b, t('call.accept'));
        // C is called by A, and by B once B is in: one tap joins it with both.
        await cJoinsAndAllHear(a, b, c);
        // One microphone capture on each device for its two links.
        for (const side of [a, b, c]) expect((await side.camera()).streams, `${side.name}: captures`).toBe(1);

        // The measure tells sound from silence: C mutes, and A and B hear nothing from it, and see it muted.
        await press(c, t('call.mute'));
        for (const side of [a, b]) {
          await hearsNothingFrom(side, 'Cy');
          await waitShown(side, `${shown('Cy')} · ${t('group.callMuted')}`);
        }
        await press(c, t('group.callLeave'));
        await waitLocalReleased(c);
        await waitShown(c, t('call.audio'), MESSAGE_TIMEOUT_MS);
        for (const [side, other] of [
          [a, 'Bo'],
          [b, 'Ana'],
        ] as const) {
          await inCallWith(side, [other]);
          await hears(side, [other]);
        }
      });
    },
    CALL_TEST_MS,
  );

  it(
    'a device that joins the group during a call is called by both in it, and one tap joins it with both',
    async () => {
      await withThree(suite, async (a, b, c) => {
        await nameThree(a, b, c);
        // A pair's call, as today; then A adds C, which is in nobody's call yet. Member ids are random, so
        // C's is the smallest in a third of runs: before everyone in a call called a newcomer, nobody did then.
        const offer = await pair(a, b);
        await press(a, t('call.audio'));
        await waitShown(b, t('call.incomingAudio'), MESSAGE_TIMEOUT_MS);
        await press(b, t('call.accept'));
        for (const side of [a, b]) await waitShown(side, t('call.end'), MEDIA_TIMEOUT_MS);
        await add(a, c, offer);
        await cJoinsAndAllHear(a, b, c);
      });
    },
    CALL_TEST_MS,
  );

  it(
    'a video call: Switch camera moves every link to the next camera, opened once; the first one is let go',
    async () => {
      await withGroup(suite, async (a, b, c) => {
        await press(a, t('call.video'));
        for (const side of [b, c]) {
          await waitShown(side, ringOf('group.callIncomingVideo'), MESSAGE_TIMEOUT_MS);
          await press(side, t('call.accept'));
        }
        await inCallWith(a, ['Bo', 'Cy'], true);
        const before = await a.poll(
          'A: its camera on both links',
          () => sentCameras(a),
          (labels) => labels.length === 2 && labels[0] !== '' && labels[0] === labels[1],
          MEDIA_TIMEOUT_MS,
        );
        await press(a, t('call.switchCamera'));
        await a.poll(
          'A: the next camera on both links',
          () => sentCameras(a),
          (labels) => labels.length === 2 && labels.every((l) => l !== before[0] && l === labels[0]),
          MEDIA_TIMEOUT_MS,
        );
        // One capture of the next camera for both links; live: the microphone and the new camera only.
        await a.poll(
          'A: two captures, two live tracks',
          () => a.camera(),
          (cam) => cam.streams === 2 && cam.liveTracks === 2,
          MEDIA_TIMEOUT_MS,
        );
      });
    },
    CALL_TEST_MS,
  );
});
