// Room session/: what the peer's messages do to a connected session (hello, chat and its acks, pings, bye);
// pure, like the reducer that calls it (session.ts).

import { ackMessage, PONG } from '../inband/control.ts';
import { addRemote, markDelivered } from '../model/chat.ts';
import { CHAT_LIMITED_NOTICE_MS, takeChat } from '../model/chat-rate.ts';
import type { SessionEvent, Transition } from '../model/types.ts';
import { closed, failed, HEARD, ignore, NONE, type StateOf, startTimer } from './exchange.ts';

/** The peer chats faster than its allowance: say so for a while (the notice's time restarts with each drop). */
const chatLimited = (state: StateOf<'connected'>): Transition => ({
  state: state.chatLimited ? state : { ...state, chatLimited: true },
  commands: [startTimer('chat-limited', CHAT_LIMITED_NOTICE_MS)],
});

export function onMessage(
  state: StateOf<'connected'>,
  event: Extract<SessionEvent, { type: 'message' }>,
): Transition {
  const { message } = event;
  switch (message.t) {
    case 'hello':
      return {
        state: {
          ...state,
          peer: {
            app: message.app,
            features: message.features,
            ...(message.name === undefined ? {} : { name: message.name }),
          },
        },
        commands: NONE,
      };
    case 'chat': {
      // Past its allowance a message is dropped and not acknowledged: it never counts as delivered.
      const chatAllowance = takeChat(state.chatAllowance, event.at);
      if (chatAllowance === null) return chatLimited(state);
      const chat = addRemote(state.chat, message.id, message.text, message.ts, event.at);
      // Acknowledge even a duplicate: the earlier ack may have been lost.
      return {
        state: { ...state, chat, chatAllowance },
        commands: [{ type: 'send', message: ackMessage(message.id) }],
      };
    }
    case 'ack': {
      const chat = markDelivered(state.chat, message.id);
      return { state: { ...state, chat, answeredAt: event.at }, commands: [HEARD] };
    }
    case 'ping':
      return { state, commands: [{ type: 'send', message: PONG }] };
    case 'pong':
      // An answer to one of ours: the peer hears this device, now (app/reconnect.ts reads it).
      return { state: { ...state, answeredAt: event.at }, commands: [HEARD] };
    case 'bye':
      // Refused as the connection opened (no hello, nothing said): the exchange failed. Refused later: the
      // session ends as closed, so its chat and the files received stay on screen ('failed' shows neither).
      if (message.reason === 'rejected')
        return state.peer === null && state.chat.length === 0
          ? failed(state, state.role, 'remote-rejected', 'the other device refused the connection')
          : closed(state, 'remote-rejected');
      // The peer is replacing this connection: its code carries the session on (read it from 'connection lost').
      return closed(state, message.reason === 'new-connection' ? 'connection-lost' : 'remote-hangup');
    default:
      // Types from a newer protocol: tolerated, not acted on.
      return ignore(state);
  }
}
