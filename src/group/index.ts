// The group room's public API (docs/groups.md): pure, no DOM, no RTC. The app glue holds the links.

export {
  type BodyError,
  encodeBody,
  isAttempt,
  type LinkBody,
  MAX_BODY_SDP_CHARS,
  parseBody,
} from './body.ts';
export {
  type CallLink,
  type GroupCall,
  type GroupCallIntent,
  type GroupCallStep,
  groupCallIntent,
  type LinkAction,
  type LinkCallIntent,
  NO_GROUP_CALL,
  ringingLinks,
  settleGroupCall,
} from './call.ts';
export {
  GROUP_FEATURE,
  isMemberId,
  MAX_MEMBERS,
  MEMBER_ID_BYTES,
  type MemberId,
  memberIdFrom,
  offersTo,
} from './ids.ts';
export { reduceGroup } from './roster.ts';
export {
  type CloseReason,
  canAdd,
  type GroupCommand,
  type GroupEvent,
  type GroupState,
  type GroupTransition,
  initialGroup,
  type LinkKey,
  type LinkRole,
  liveCount,
  MAX_RELAYED_PER_PAIR,
  type Member,
  type MemberStatus,
  relayedLink,
} from './state.ts';
export {
  type Envelope,
  type EnvelopeError,
  encodeEnvelope,
  encodeGroup,
  type GoneReason,
  GROUP_VERSION,
  type GroupError,
  type GroupMessage,
  MAX_BODY_CHARS,
  MAX_GROUP_MESSAGE_CHARS,
  parseGroup,
  type RefusedReason,
} from './wire.ts';
