// The decision after an ICE restart, "restart clean / move to a new connection", and the reading it rests on:
// the selected candidate pair's ufrags against the current descriptions (entries shaped as both browsers report
// them, recorded in scripts/netns-run: Chromium names the pair on the transport, Firefox also flags it).
import { describe, expect, it } from 'vitest';
import {
  afterRestart,
  MAX_RESTART_RETRIES,
  PATH_CHECKS,
  pathVerdict,
  type RestartCheck,
  ufragOf,
} from '../../../src/rtc/link/check.ts';

const LOCAL_SDP =
  'v=0\r\nm=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\na=ice-ufrag:ZE9t\r\na=ice-pwd:x\r\n';
const REMOTE_SDP = 'v=0\r\nm=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\na=ice-ufrag:060730e2\r\n';

/** A Chromium report after a restart: old and new generations side by side, `selected` names the pair in use. */
function chromiumReport(selected: string) {
  return [
    { id: 'T01', type: 'transport', selectedCandidatePairId: selected, iceLocalUsernameFragment: 'ZE9t' },
    {
      id: 'CPnew',
      type: 'candidate-pair',
      state: 'succeeded',
      nominated: true,
      localCandidateId: 'Lnew',
      remoteCandidateId: 'Rnew',
    },
    {
      id: 'CPold',
      type: 'candidate-pair',
      state: 'succeeded',
      nominated: true,
      localCandidateId: 'Lnew',
      remoteCandidateId: 'Rold',
    },
    { id: 'Lnew', type: 'local-candidate', usernameFragment: 'ZE9t', candidateType: 'host' },
    { id: 'Lold', type: 'local-candidate', usernameFragment: '94xp', candidateType: 'host' },
    { id: 'Rnew', type: 'remote-candidate', usernameFragment: '060730e2', candidateType: 'prflx' },
    { id: 'Rold', type: 'remote-candidate', usernameFragment: '50b5018f', candidateType: 'host' },
  ];
}

describe('what carries the connection after a restart', () => {
  it('reads the ufrag of a description', () => {
    expect(ufragOf(LOCAL_SDP)).toBe('ZE9t');
    expect(ufragOf('v=0\r\n')).toBeNull();
    expect(ufragOf(null)).toBeNull();
  });

  it('current when the selected pair uses this generation on both sides', () => {
    expect(pathVerdict(chromiumReport('CPnew'), LOCAL_SDP, REMOTE_SDP)).toBe('current');
  });

  it("stale when the selected pair's remote candidate is of the old generation (libwebrtc keeps those)", () => {
    expect(pathVerdict(chromiumReport('CPold'), LOCAL_SDP, REMOTE_SDP)).toBe('stale');
  });

  it('stale when our own side of the pair is of the old generation', () => {
    const report = chromiumReport('CPnew').map((e) =>
      e.id === 'CPnew' ? { ...e, localCandidateId: 'Lold' } : e,
    );
    expect(pathVerdict(report, LOCAL_SDP, REMOTE_SDP)).toBe('stale');
  });

  it('Firefox: the pair flagged selected; RTCStatsReport-style [id, stats] entries work too', () => {
    const report = [
      { id: 'p1', type: 'candidate-pair', selected: false, localCandidateId: 'l', remoteCandidateId: 'old' },
      { id: 'p2', type: 'candidate-pair', selected: true, localCandidateId: 'l', remoteCandidateId: 'new' },
      { id: 'l', type: 'local-candidate', usernameFragment: 'ZE9t' },
      { id: 'old', type: 'remote-candidate', usernameFragment: '50b5018f' },
      { id: 'new', type: 'remote-candidate', usernameFragment: '060730e2' },
    ].map((e) => [e.id, e]);
    expect(pathVerdict(report, LOCAL_SDP, REMOTE_SDP)).toBe('current');
  });

  it('a candidate without a ufrag is no evidence either way; no selected pair is none', () => {
    const bare = chromiumReport('CPold').map((e) =>
      e.id === 'Rold' ? { id: 'Rold', type: 'remote-candidate' } : e,
    );
    expect(pathVerdict(bare, LOCAL_SDP, REMOTE_SDP)).toBe('current');
    expect(pathVerdict([{ id: 'T01', type: 'transport' }], LOCAL_SDP, REMOTE_SDP)).toBe('none');
    expect(pathVerdict([], LOCAL_SDP, REMOTE_SDP)).toBe('none');
  });
});

describe('restart clean / move to a new connection', () => {
  const base: RestartCheck = {
    path: 'current',
    heard: true,
    conn: 'connected',
    checks: 1,
    retries: 0,
    canMove: true,
  };
  const last = { checks: PATH_CHECKS };

  it('clean only with the current pair, connected, and the peer heard over it', () => {
    expect(afterRestart(base)).toBe('clean');
    expect(afterRestart({ ...base, ...last })).toBe('clean');
    expect(afterRestart({ ...base, path: 'stale' })).toBe('wait');
    expect(afterRestart({ ...base, path: 'none' })).toBe('wait');
    expect(afterRestart({ ...base, heard: false })).toBe('wait');
    expect(afterRestart({ ...base, conn: 'disconnected' })).toBe('wait');
  });

  it('not clean by the last look: a move when the peer can, the first time', () => {
    expect(afterRestart({ ...base, ...last, path: 'stale' })).toBe('move');
    expect(afterRestart({ ...base, ...last, heard: false })).toBe('move');
    expect(afterRestart({ ...base, ...last, conn: 'failed' })).toBe('move');
  });

  it('a peer that cannot move, or a move already tried: ICE again, bounded', () => {
    expect(afterRestart({ ...base, ...last, path: 'stale', canMove: false })).toBe('restart-again');
    expect(afterRestart({ ...base, ...last, path: 'stale', retries: 1 })).toBe('restart-again');
    expect(afterRestart({ ...base, ...last, path: 'stale', retries: MAX_RESTART_RETRIES })).toBe('give-up');
  });
});
