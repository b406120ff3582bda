// What makes this page a group member: its member id and the feature its sessions announce.

import { GROUP_FEATURE, MEMBER_ID_BYTES, type MemberId, memberIdFrom } from '../../group/ids.ts';
import { FEATURES } from '../../rtc/index.ts';

/** What this app's sessions announce in hello: the protocol's features and groups (docs/groups.md). */
export const APP_FEATURES: readonly string[] = [...FEATURES, GROUP_FEATURE];

/** This page's member id in a group: random, once per page (docs/groups.md). */
export function newMemberId(): MemberId {
  const id = memberIdFrom(crypto.getRandomValues(new Uint8Array(MEMBER_ID_BYTES)));
  // 8 bytes always make an id; the check is memberIdFrom's own.
  if (id === null) throw new Error('member id');
  return id;
}
