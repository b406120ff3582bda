// scripts/netns-run npx tsx scripts/answer-race-probe.ts [rounds] [hogs]
// How often does a terminal that starts lose its DTLS handshake to libdatachannel's answer race (ARCHITECTURE.md,
// "Known race")? Two terminal peers in this process, as pigeon makes them: the joiner reads the offer, answers and
// keeps checking the starter's candidates; the starter applies the answer a little later. Optional busy workers
// stand in for a loaded machine. Prints how many rounds connected, and how many failed.
import { Worker } from 'node:worker_threads';
import { initLogger } from 'node-datachannel';
import { RTCPeerConnection as Raw } from 'node-datachannel/polyfill';
import { PeerConnection } from '../src/cli/adapter.ts';

if (process.env.RACE_LOG) initLogger('Error', (level, message) => console.log(`[${level}] ${message}`));

const ROUNDS = Number(process.argv[2] ?? 40);
const HOGS = Number(process.argv[3] ?? 3);
const ANSWER_LATE_MS = 200;
const ROUND_TIMEOUT_MS = 10_000;
const Pc = PeerConnection as unknown as new (c?: RTCConfiguration) => RTCPeerConnection;

const gathered = (pc: RTCPeerConnection) =>
  new Promise<void>((done) => {
    if (pc.iceGatheringState === 'complete') return done();
    pc.addEventListener('icegatheringstatechange', () => pc.iceGatheringState === 'complete' && done());
  });

async function round(): Promise<string> {
  const starter = new Pc();
  // ROLE=flip: the joiner answers active (libdatachannel's default), so the starter is the DTLS server.
  const joiner = process.env.ROLE === 'flip' ? (new Raw() as unknown as RTCPeerConnection) : new Pc();
  try {
    const ch = starter.createDataChannel('pigeon');
    const opened = new Promise<string>((done) => {
      ch.addEventListener('open', () => done('open'));
      starter.addEventListener('connectionstatechange', () => {
        if (starter.connectionState === 'failed' || starter.connectionState === 'closed')
          done(starter.connectionState);
      });
      setTimeout(() => done('timeout'), ROUND_TIMEOUT_MS);
    });
    await starter.setLocalDescription(await starter.createOffer());
    await gathered(starter);
    await joiner.setRemoteDescription({ type: 'offer', sdp: starter.localDescription?.sdp ?? '' });
    await joiner.setLocalDescription(await joiner.createAnswer());
    await gathered(joiner);
    await new Promise((r) => setTimeout(r, ANSWER_LATE_MS));
    // The race's aftermath: the failed handshake tears ICE down mid-call, and the next candidate throws.
    const t0 = performance.now();
    const applied = await starter
      .setRemoteDescription({ type: 'answer', sdp: joiner.localDescription?.sdp ?? '' })
      .then(
        () => '',
        (e: unknown) => `threw: ${String(e).slice(0, 80)}`,
      );
    const took = performance.now() - t0;
    if (process.env.RACE_LOG) console.log(`apply took ${took.toFixed(2)} ms: ${applied || 'ok'}`);
    return applied || (await opened);
  } finally {
    starter.close();
    joiner.close();
  }
}

const hogs = Array.from(
  { length: HOGS },
  () => new Worker('for (;;) { Math.sqrt(Math.random()); }', { eval: true }),
);
const tally = new Map<string, number>();
for (let i = 0; i < ROUNDS; i++) {
  const r = await round();
  tally.set(r, (tally.get(r) ?? 0) + 1);
}
for (const h of hogs) await h.terminate();
console.log(`answer race: ${ROUNDS} rounds, ${HOGS} hogs:`, Object.fromEntries(tally));
process.exit(0);
