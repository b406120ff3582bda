// coturn as a STUN + TURN server (UDP only, no TLS) on 10.99.0.2:3478 inside the private namespace.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assertInNetns, NETNS_PEER_V4 } from './netns.ts';

export const TURNSERVER_PATH = '/usr/bin/turnserver';
export const TURN_PORT = 3478;
export const TURN_USER = 'test';
export const TURN_PASSWORD = 'test';
export const TURN_REALM = 'pigeon.test';
/** Relayed peers may be anywhere in the namespace's /24 (coturn refuses loopback peers by default). */
const ALLOWED_PEERS = '10.99.0.0-10.99.0.255';
const RELAY_MIN_PORT = 49152;
const RELAY_MAX_PORT = 49999;

const READY_TIMEOUT_MS = 10_000;
const PROBE_INTERVAL_MS = 200;
const STOP_GRACE_MS = 3_000;

const STUN_BINDING_REQUEST = 0x0001;
const STUN_BINDING_SUCCESS = 0x0101;
const STUN_MAGIC_COOKIE = 0x2112a442;
const STUN_HEADER_BYTES = 20;

export interface TurnServer {
  readonly host: string;
  readonly port: number;
  /** For RTCPeerConnection({ iceServers }): one STUN and one TURN (UDP) entry with the long-term user. */
  readonly iceServers: RTCIceServer[];
  readonly logFile: string;
  readLog(): Promise<string>;
  /** Kills coturn and removes its temp dir (log included). */
  stop(): Promise<void>;
}

/** Sends one STUN Binding request; resolves true if a matching success response arrives within waitMs. */
export function stunBindingAnswers(host: string, port: number, waitMs: number): Promise<boolean> {
  const txId = randomBytes(12);
  const req = Buffer.alloc(STUN_HEADER_BYTES);
  req.writeUInt16BE(STUN_BINDING_REQUEST, 0);
  req.writeUInt16BE(0, 2);
  req.writeUInt32BE(STUN_MAGIC_COOKIE, 4);
  txId.copy(req, 8);
  return new Promise((done) => {
    const sock = createSocket('udp4');
    const finish = (answered: boolean): void => {
      clearTimeout(timer);
      sock.close();
      done(answered);
    };
    const timer = setTimeout(() => finish(false), waitMs);
    sock.on('error', () => finish(false));
    sock.on('message', (msg) => {
      if (
        msg.length >= STUN_HEADER_BYTES &&
        msg.readUInt16BE(0) === STUN_BINDING_SUCCESS &&
        msg.subarray(8, STUN_HEADER_BYTES).equals(txId)
      ) {
        finish(true);
      }
    });
    sock.send(req, port, host);
  });
}

function waitForExit(child: ChildProcess, ms: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((done) => {
    const timer = setTimeout(() => done(false), ms);
    child.once('exit', () => {
      clearTimeout(timer);
      done(true);
    });
  });
}

export async function startTurn(): Promise<TurnServer> {
  assertInNetns();
  const dir = await mkdtemp(join(tmpdir(), 'pigeon-turn-'));
  const logFile = join(dir, 'turn.log');
  const child = spawn(
    TURNSERVER_PATH,
    [
      '-n', // no config file: every setting is on this command line
      `--listening-ip=${NETNS_PEER_V4}`,
      `--relay-ip=${NETNS_PEER_V4}`,
      `--listening-port=${TURN_PORT}`,
      `--min-port=${RELAY_MIN_PORT}`,
      `--max-port=${RELAY_MAX_PORT}`,
      '--lt-cred-mech',
      `--user=${TURN_USER}:${TURN_PASSWORD}`,
      `--realm=${TURN_REALM}`,
      '--fingerprint',
      '--no-tcp',
      '--no-tls',
      '--no-dtls',
      '--no-cli',
      `--allowed-peer-ip=${ALLOWED_PEERS}`,
      `--log-file=${logFile}`,
      '--simple-log',
      '--no-stdout-log',
      `--pidfile=${join(dir, 'turn.pid')}`,
      `--userdb=${join(dir, 'turndb')}`,
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });

  const stop = async (): Promise<void> => {
    child.kill('SIGTERM');
    if (!(await waitForExit(child, STOP_GRACE_MS))) {
      child.kill('SIGKILL');
      await waitForExit(child, STOP_GRACE_MS);
    }
    await rm(dir, { recursive: true, force: true });
  };

  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (!(await stunBindingAnswers(NETNS_PEER_V4, TURN_PORT, PROBE_INTERVAL_MS))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      const log = await readFile(logFile, 'utf8').catch(() => '');
      await stop();
      throw new Error(`coturn did not answer STUN on ${NETNS_PEER_V4}:${TURN_PORT}\n${stderr}\n${log}`);
    }
  }

  const hostPort = `${NETNS_PEER_V4}:${TURN_PORT}`;
  return {
    host: NETNS_PEER_V4,
    port: TURN_PORT,
    iceServers: [
      { urls: `stun:${hostPort}` },
      { urls: `turn:${hostPort}?transport=udp`, username: TURN_USER, credential: TURN_PASSWORD },
    ],
    logFile,
    readLog: () => readFile(logFile, 'utf8'),
    stop,
  };
}
