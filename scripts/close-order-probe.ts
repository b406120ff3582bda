// scripts/netns-run npx tsx scripts/close-order-probe.ts
// Does node-datachannel (the terminal peer) get the messages a Chromium page sends right before it closes the
// channel? The app's hang-up is exactly that (bye, then close), and pigeon then read a channel close with no bye
// ('stopped answering' instead of 'hung up'). Bare RTCPeerConnection on both ends, no app code: each round sends
// two messages, then closes at once ('close') or after a pause ('wait'), and prints what arrived before the close.
import { RTCPeerConnection as NodePeerConnection } from 'node-datachannel/polyfill';
import { chromium } from 'playwright-core';

const ROUNDS = 3;
const SETTLE_MS = 300;
const PAUSE_MS = 200;
const GATHER_MS = 1_500;
const ROUND_TIMEOUT_MS = 5_000;
const MESSAGES = ['{"t":"chat"}', '{"t":"bye"}'];

async function round(mode: 'close' | 'wait'): Promise<string[]> {
  // Raw IP host candidates: libdatachannel cannot resolve Chromium's mDNS names.
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--disable-features=WebRtcHideLocalIpsWithMdns'],
  });
  const node = new NodePeerConnection();
  try {
    const page = await browser.newPage();
    const offer = await page.evaluate(async () => {
      const pc = new RTCPeerConnection();
      const ch = pc.createDataChannel('s');
      Object.assign(window, { pc, ch });
      await pc.setLocalDescription();
      // No named function in here: tsx would wrap it in a helper the page does not have.
      while (pc.iceGatheringState !== 'complete')
        await new Promise((done) => pc.addEventListener('icegatheringstatechange', done));
      return pc.localDescription?.sdp ?? '';
    });
    const got: string[] = [];
    const closed = new Promise<void>((done) => {
      node.ondatachannel = (e) => {
        e.channel.addEventListener('message', (m) => got.push(String((m as MessageEvent).data)));
        e.channel.addEventListener('close', () => done());
      };
    });
    await node.setRemoteDescription({ type: 'offer', sdp: offer });
    await node.setLocalDescription(await node.createAnswer());
    await new Promise((r) => setTimeout(r, GATHER_MS));
    const answer = node.localDescription?.sdp ?? '';
    await page.evaluate(
      async ({ sdp, mode, settle, pause, messages }) => {
        const { pc, ch } = window as unknown as { pc: RTCPeerConnection; ch: RTCDataChannel };
        await pc.setRemoteDescription({ type: 'answer', sdp });
        if (ch.readyState !== 'open') await new Promise((r) => ch.addEventListener('open', r));
        await new Promise((r) => setTimeout(r, settle));
        for (const m of messages) ch.send(m);
        if (mode === 'wait') await new Promise((r) => setTimeout(r, pause));
        ch.addEventListener('close', () => pc.close());
        ch.close();
      },
      { sdp: answer, mode, settle: SETTLE_MS, pause: PAUSE_MS, messages: MESSAGES },
    );
    await Promise.race([closed, new Promise((r) => setTimeout(r, ROUND_TIMEOUT_MS))]);
    return got;
  } finally {
    node.close();
    await browser.close();
  }
}

for (const mode of ['close', 'wait'] as const) {
  for (let i = 0; i < ROUNDS; i++) {
    const got = await round(mode);
    console.log(`${mode}: ${got.length} of ${MESSAGES.length} arrived before the close (${got.join(' ')})`);
  }
}
process.exit(0);
