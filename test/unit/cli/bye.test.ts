// Ctrl-C says bye: `pigeon chat` interrupted while connected sends the app's bye before it closes. Two real
// node-datachannel peers in this process (host candidates, no browser): the other is a TerminalPeer that
// records what arrives on the control channel.
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { PeerConnection } from '../../../src/cli/adapter.ts';
import { EXIT_INTERRUPTED, run } from '../../../src/cli/main.ts';
import { createTerminalPeer, type Ending } from '../../../src/cli/peer.ts';
import type { PeerConnectionConstructor } from '../../../src/rtc/index.ts';

const CONTROL_LABEL = 'pigeon';
const TIMEOUT_MS = 20_000;

describe('pigeon chat, interrupted', () => {
  it(
    'tells the other device bye (it sees a hang-up), and exits 130',
    async () => {
      const heard: string[] = [];
      const Base = PeerConnection as unknown as new (c: RTCConfiguration) => RTCPeerConnection;
      class Recording extends Base {
        override createDataChannel(label: string, init?: RTCDataChannelInit): RTCDataChannel {
          const ch = super.createDataChannel(label, init);
          if (label === CONTROL_LABEL) ch.addEventListener('message', (e) => heard.push(String(e.data)));
          return ch;
        }
      }
      const stdin = new PassThrough();
      const stdout = new PassThrough();
      const interrupt = new AbortController();
      let ended: (e: Ending) => void = () => undefined;
      const otherEnded = new Promise<Ending>((resolve) => {
        ended = resolve;
      });
      const other = createTerminalPeer({
        appVersion: 'other',
        RTCPeerConnection: Recording as unknown as PeerConnectionConstructor,
        events: {
          code: (code) => stdin.write(`${code.text}\n`),
          connected: () => setTimeout(() => interrupt.abort(), 500),
          chat: () => undefined,
          words: () => undefined,
          transfer: () => undefined,
          saved: () => undefined,
          refused: () => undefined,
          ended: (e) => ended(e),
        },
      });
      stdout.setEncoding('utf8').once('data', (text: string) => {
        other.join(text.split('\n')[0] ?? '');
      });
      const code = await run(['chat', '--no-qr'], {
        stdin,
        stdout,
        stderr: new PassThrough(),
        tty: false,
        interrupt: interrupt.signal,
      });
      expect(code).toBe(EXIT_INTERRUPTED);
      expect(await otherEnded).toEqual({ kind: 'hung-up', by: 'peer' });
      expect(heard.map((m) => JSON.parse(m).t)).toContain('bye');
      other.dispose();
    },
    TIMEOUT_MS,
  );
});
