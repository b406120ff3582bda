// The codec in real browsers: every SDP crosses between the two peers only as a Pigeon code
// (offer: encode → text → decode; answer: encode bound to the offer → text → decode checked against it),
// and the data channel must open with one message each way.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import jsQR from 'jsqr';
import QRCode from 'qrcode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Code,
  type CodecError,
  decodeInput,
  encodeDescription,
  type Result,
} from '../../src/codec/index.ts';
import { type BrowserHandle, type BrowserKind, launchBrowser, type PageHandle } from './harness/browsers.ts';
import { assertInNetns } from './harness/netns.ts';
import * as rtc from './harness/rtc-steps.ts';
import { type StaticServer, serveStatic } from './harness/server.ts';
import { startTurn, type TurnServer } from './harness/turn.ts';

/** A data-channel bootstrap code must fit a chat message comfortably. */
const MAX_TEXT_CODE_CHARS = 130;
const QR_ALPHANUMERIC = /^[0-9A-Z $%*+\-./:]+$/;
const QR_MODULE_PX = 4;
const QR_QUIET_MODULES = 4;

const PAIRINGS: readonly (readonly [BrowserKind, BrowserKind])[] = [
  ['chromium', 'chromium'],
  ['chromium', 'firefox'],
  ['firefox', 'chromium'],
  ['firefox', 'firefox'],
];

type Carrier = 'text' | 'qr-image';
type HostNaming = 'mdns' | 'raw-ip';

function unwrap<T>(r: Result<T, CodecError>, what: string): T {
  if (!r.ok) throw new Error(`${what} failed: ${JSON.stringify(r.error)}`);
  return r.value;
}

const attr = (sdp: string, name: string): string[] =>
  sdp
    .split(/\r?\n/)
    .filter((l) => l.startsWith(`a=${name}:`))
    .map((l) => l.slice(name.length + 3).trim());

/** Connection addresses of the host candidates in an SDP. */
const hostAddresses = (sdp: string): string[] =>
  attr(sdp, 'candidate')
    .map((c) => c.split(/\s+/))
    .filter((f) => f[7] === 'host')
    .map((f) => f[4] ?? '');

/** What a peer needs from each candidate: transport, address, port, type (foundation and priority are rebuilt). */
const candidateKeys = (sdp: string): string[] =>
  attr(sdp, 'candidate')
    .map((c) => {
      const f = c.split(/\s+/);
      const tcp = f.indexOf('tcptype');
      return [f[2]?.toLowerCase(), f[4], f[5], f[7], tcp < 0 ? '' : f[tcp + 1]].join(' ');
    })
    .sort();

/** The decoded SDP must carry everything that identifies the peer: credentials, certificate, candidates. */
function expectSamePeer(decoded: string, original: string): void {
  for (const name of ['ice-ufrag', 'ice-pwd', 'fingerprint', 'setup']) {
    expect(attr(decoded, name), name).toEqual(attr(original, name));
  }
  expect(candidateKeys(decoded)).toEqual(candidateKeys(original));
}

/** What the case is about must show in the SDP: relay candidates only, or hosts named as launched. */
function expectCandidates(sdp: string, opts: CaseOptions): void {
  if (opts.relayOnly) {
    const types = attr(sdp, 'candidate').map((c) => c.split(/\s+/)[7]);
    expect(types.length).toBeGreaterThan(0);
    expect(new Set(types)).toEqual(new Set(['relay']));
    return;
  }
  const hosts = hostAddresses(sdp);
  expect(hosts.length).toBeGreaterThan(0);
  for (const h of hosts) {
    if (opts.naming === 'mdns') expect(h).toMatch(/^[0-9a-f-]{36}\.local$/);
    else expect(h).toMatch(/^[0-9.]+$|:/);
  }
}

/** Draws `payload` as a real QR symbol (alphanumeric mode), then reads the pixels back with jsQR. */
function throughQrImage(payload: string): string {
  const symbol = QRCode.create(payload, { errorCorrectionLevel: 'L' });
  expect(symbol.segments.every((s) => s.mode.id === 'Alphanumeric')).toBe(true);
  const modules = symbol.modules.size + 2 * QR_QUIET_MODULES;
  const side = modules * QR_MODULE_PX;
  const rgba = new Uint8ClampedArray(side * side * 4).fill(255);
  for (let y = 0; y < side; y++) {
    for (let x = 0; x < side; x++) {
      const row = Math.floor(y / QR_MODULE_PX) - QR_QUIET_MODULES;
      const col = Math.floor(x / QR_MODULE_PX) - QR_QUIET_MODULES;
      const inside = row >= 0 && col >= 0 && row < symbol.modules.size && col < symbol.modules.size;
      if (inside && symbol.modules.get(row, col) === 1)
        rgba.fill(0, (y * side + x) * 4, (y * side + x) * 4 + 3);
    }
  }
  const read = jsQR(rgba, side, side);
  if (read === null) throw new Error('jsQR found no QR symbol in the rendered image');
  return read.data;
}

function carry(code: Code, carrier: Carrier): string {
  if (carrier === 'text') return code.text;
  expect(code.qr).toMatch(QR_ALPHANUMERIC);
  return throughQrImage(code.qr);
}

/** setRemoteDescription, turning a browser refusal into an error that shows the exact SDP it refused. */
async function applyDecoded(page: PageHandle, type: 'offer' | 'answer', sdp: string, who: string) {
  try {
    await rtc.applyRemote(page, type, sdp);
  } catch (e) {
    throw new Error(`${who} refused the decoded ${type}: ${String(e)}\n--- decoded SDP ---\n${sdp}`);
  }
}

interface CaseOptions {
  readonly naming: HostNaming;
  readonly passive: boolean;
  readonly carrier: Carrier;
  /**
   * Where the peers run. On about:blank each browser gathers on its default-route interface only. On an
   * http://127.0.0.1 page Firefox gathers on every interface (both veth ends here), so its codes are longer:
   * the short-code budget applies to the one-interface shape only.
   */
  readonly page: 'blank' | 'http';
  /** iceTransportPolicy 'relay' through coturn: the only candidates are TURN relays. */
  readonly relayOnly: boolean;
}

async function codecExchange(a: BrowserHandle, b: BrowserHandle, opts: CaseOptions, url?: string) {
  const started = Date.now();
  const pageA = await a.newPage(url);
  const pageB = await b.newPage(url);
  const withinBudget = (code: Code): void => {
    if (opts.page === 'blank') expect(code.text.length).toBeLessThan(MAX_TEXT_CODE_CHARS);
  };
  try {
    // A: offer → code → (person carries it) → B decodes.
    const setup: rtc.PeerSetup = opts.relayOnly
      ? { iceServers: turn?.iceServers ?? [], iceTransportPolicy: 'relay' }
      : {};
    const offer = await rtc.createOffer(pageA, setup);
    expect(offer.gatheringComplete).toBe(true);
    expectCandidates(offer.sdp, opts);
    const offerCode = unwrap(encodeDescription({ type: 'offer', sdp: offer.sdp }), 'encode offer');
    expect(offerCode.form).toBe('compact');
    withinBudget(offerCode);
    const offerIn = unwrap(decodeInput(carry(offerCode, opts.carrier), { expect: 'offer' }), 'decode offer');
    expect(offerIn.type).toBe('offer');
    expect(offerIn.format).toBe('pigeon');
    expectSamePeer(offerIn.sdp, offer.sdp);

    // B: answer the decoded offer → code bound to A's offer → A decodes, checking the binding.
    let answer: rtc.LocalSdp;
    try {
      answer = await rtc.createAnswer(pageB, offerIn.sdp, { ...setup, passive: opts.passive });
    } catch (e) {
      throw new Error(
        `${b.kind} refused the decoded offer: ${String(e)}\n--- decoded SDP ---\n${offerIn.sdp}`,
      );
    }
    expect(answer.gatheringComplete).toBe(true);
    expectCandidates(answer.sdp, opts);
    expect(attr(answer.sdp, 'setup')).toEqual([opts.passive ? 'passive' : 'active']);
    const answerCode = unwrap(
      encodeDescription({ type: 'answer', sdp: answer.sdp }, { offerSdp: offer.sdp }),
      'encode answer',
    );
    expect(answerCode.form).toBe('compact');
    withinBudget(answerCode);
    const answerIn = unwrap(
      decodeInput(carry(answerCode, opts.carrier), { expect: 'answer', offerSdp: offer.sdp }),
      'decode answer',
    );
    expect(answerIn.type).toBe('answer');
    expectSamePeer(answerIn.sdp, answer.sdp);
    await applyDecoded(pageA, 'answer', answerIn.sdp, a.kind);

    const got = await rtc.exchangeBothWays(pageA, pageB);
    expect(got).toEqual({ atA: 'ping from B', atB: 'ping from A' });
    const info = await rtc.connectionInfo(pageA);
    console.log(
      `${a.kind}→${b.kind} ${opts.naming}${opts.passive ? ' passive' : ''}${opts.relayOnly ? ' relay' : ''} on ${opts.page} via ${opts.carrier}: ` +
        `offer ${offerCode.text.length} chars (qr ${offerCode.qr.length}), ` +
        `answer ${answerCode.text.length} chars (qr ${answerCode.qr.length}); ` +
        `pair ${info.local?.candidateType}/${info.remote?.candidateType}; ${Date.now() - started} ms`,
    );
  } finally {
    await pageA.close();
    await pageB.close();
  }
}

let turn: TurnServer | undefined;
let blankSite: StaticServer | undefined;
let blankDir = '';
beforeAll(async () => {
  assertInNetns();
  blankDir = await mkdtemp(join(tmpdir(), 'pigeon-e2e-blank-'));
  await writeFile(
    join(blankDir, 'index.html'),
    '<!doctype html><meta charset="utf-8"><title>blank</title>\n',
  );
  blankSite = await serveStatic(blankDir);
  turn = await startTurn();
});
afterAll(async () => {
  await turn?.stop();
  await blankSite?.close();
  if (blankDir !== '') await rm(blankDir, { recursive: true, force: true });
});

function suite(naming: HostNaming, cases: readonly (readonly [BrowserKind, BrowserKind, CaseOptions])[]) {
  describe(`codec interop, ${naming} host candidates`, () => {
    const browsers = new Map<BrowserKind, BrowserHandle>();
    beforeAll(async () => {
      const rawIp = naming === 'raw-ip';
      browsers.set('chromium', await launchBrowser('chromium', { rawIp }));
      browsers.set('firefox', await launchBrowser('firefox', { rawIp }));
    });
    afterAll(async () => {
      for (const b of browsers.values()) await b.close();
    });
    const get = (k: BrowserKind): BrowserHandle => {
      const b = browsers.get(k);
      if (b === undefined) throw new Error(`${k} did not launch`);
      return b;
    };
    for (const [ak, bk, o] of cases) {
      const where = o.page === 'blank' ? 'about:blank' : 'an http page';
      const how = `${o.passive ? ', answer setup:passive' : ''}${o.relayOnly ? ', relay only (TURN)' : ''}`;
      const label = `${ak} → ${bk}${how}, on ${where}, via ${o.carrier}`;
      it(label, () => codecExchange(get(ak), get(bk), o, o.page === 'http' ? blankSite?.url : undefined));
    }
  });
}

const each = (o: CaseOptions) => PAIRINGS.map(([a, b]) => [a, b, o] as const);
const mdns = { naming: 'mdns', passive: false, carrier: 'text', page: 'blank', relayOnly: false } as const;

suite('mdns', [
  ...each(mdns),
  ...each({ ...mdns, passive: true }),
  ['chromium', 'firefox', { ...mdns, carrier: 'qr-image' }],
  ...each({ ...mdns, page: 'http' }),
  ['chromium', 'firefox', { ...mdns, relayOnly: true }],
  ['firefox', 'chromium', { ...mdns, relayOnly: true }],
]);

suite('raw-ip', each({ ...mdns, naming: 'raw-ip' }));
