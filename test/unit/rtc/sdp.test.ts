import { describe, expect, it } from 'vitest';
import { dtlsRole, keepDtlsRole, preferPassiveAnswer } from '../../../src/rtc/sdp.ts';
import { BROWSER_ANSWER_SDP, OFFER_SDP } from './fake-rtc.ts';

describe('preferPassiveAnswer', () => {
  it('turns the browser’s active answer into a passive one when the offer allows either', () => {
    const munged = preferPassiveAnswer(BROWSER_ANSWER_SDP, OFFER_SDP);
    expect(munged).toContain('\r\na=setup:passive\r\n');
    expect(munged).not.toContain('a=setup:active');
    // Nothing else changes.
    expect(munged.replace('a=setup:passive', 'a=setup:active')).toBe(BROWSER_ANSWER_SDP);
  });

  it('handles bare \\n line endings and every m-section', () => {
    const offer = 'v=0\na=setup:actpass\nm=application 9\na=setup:actpass\n';
    const answer = 'v=0\na=setup:active\nm=application 9\na=setup:active\n';
    expect(preferPassiveAnswer(answer, offer)).toBe(
      'v=0\na=setup:passive\nm=application 9\na=setup:passive\n',
    );
  });

  it('leaves the answer alone when the offer fixed the roles', () => {
    const passiveOffer = OFFER_SDP.replace('a=setup:actpass', 'a=setup:passive');
    expect(preferPassiveAnswer(BROWSER_ANSWER_SDP, passiveOffer)).toBe(BROWSER_ANSWER_SDP);
    const noSetup = OFFER_SDP.replace('a=setup:actpass\r\n', '');
    expect(preferPassiveAnswer(BROWSER_ANSWER_SDP, noSetup)).toBe(BROWSER_ANSWER_SDP);
  });

  it('does not touch look-alike lines', () => {
    const answer = 'v=0\r\na=setup:activex\r\na=x-setup:active\r\n';
    expect(preferPassiveAnswer(answer, OFFER_SDP)).toBe(answer);
  });
});

describe('keepDtlsRole: answers to re-offers keep the session’s DTLS role', () => {
  const offer = 'v=0\r\na=setup:actpass\r\n';
  it('the passive side stays passive although the browser (Firefox) answered active', () => {
    const role = dtlsRole('v=0\r\na=setup:passive\r\n', offer);
    expect(role).toBe('passive');
    expect(keepDtlsRole('v=0\r\na=setup:active\r\n', offer, role)).toBe('v=0\r\na=setup:passive\r\n');
  });
  it('the first offerer learns its role from the answer it applied', () => {
    expect(dtlsRole('v=0\r\na=setup:actpass\r\n', 'v=0\r\na=setup:passive\r\n')).toBe('active');
    expect(dtlsRole('v=0\r\na=setup:actpass\r\n', 'v=0\r\na=setup:active\r\n')).toBe('passive');
    expect(dtlsRole(undefined, undefined)).toBeNull();
  });
  it('leaves the answer alone when the offer already fixed the roles', () => {
    const fixed = 'v=0\r\na=setup:active\r\n';
    expect(keepDtlsRole('v=0\r\na=setup:passive\r\n', fixed, 'active')).toBe('v=0\r\na=setup:passive\r\n');
  });
});
