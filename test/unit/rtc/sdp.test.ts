import { describe, expect, it } from 'vitest';
import { dtlsRole, pinOfferRole } from '../../../src/rtc/base/sdp.ts';
import { OFFER_SDP } from './fake-rtc.ts';

describe('pinOfferRole: the remote offer decides our role, the local description is never edited', () => {
  it('a first offer pinned active makes the browser answer passive', () => {
    const pinned = pinOfferRole(OFFER_SDP, 'passive');
    expect(pinned).toContain('\r\na=setup:active\r\n');
    expect(pinned).not.toContain('a=setup:actpass');
    // Nothing else changes.
    expect(pinned.replace('a=setup:active', 'a=setup:actpass')).toBe(OFFER_SDP);
  });

  it('handles bare \\n line endings and every m-section', () => {
    const offer = 'v=0\na=setup:actpass\nm=application 9\na=setup:actpass\n';
    expect(pinOfferRole(offer, 'passive')).toBe('v=0\na=setup:active\nm=application 9\na=setup:active\n');
    expect(pinOfferRole(offer, 'active')).toBe('v=0\na=setup:passive\nm=application 9\na=setup:passive\n');
  });

  it('leaves roles the offer fixed, unknown roles and look-alike lines alone', () => {
    const fixed = OFFER_SDP.replace('a=setup:actpass', 'a=setup:passive');
    expect(pinOfferRole(fixed, 'passive')).toBe(fixed);
    expect(pinOfferRole(OFFER_SDP, null)).toBe(OFFER_SDP);
    const lookAlike = 'v=0\r\na=setup:actpassx\r\na=x-setup:actpass\r\n';
    expect(pinOfferRole(lookAlike, 'passive')).toBe(lookAlike);
  });
});

describe('dtlsRole: the role this side holds in the session', () => {
  it('the answerer holds the role its answer took', () => {
    expect(dtlsRole('v=0\r\na=setup:passive\r\n', 'v=0\r\na=setup:active\r\n')).toBe('passive');
  });
  it('the first offerer learns its role from the answer it applied', () => {
    expect(dtlsRole('v=0\r\na=setup:actpass\r\n', 'v=0\r\na=setup:passive\r\n')).toBe('active');
    expect(dtlsRole('v=0\r\na=setup:actpass\r\n', 'v=0\r\na=setup:active\r\n')).toBe('passive');
    expect(dtlsRole(undefined, undefined)).toBeNull();
  });
});
