// Chromium can hand over the peer's first message on a negotiated channel before 'open' (seen: the files
// channel's hello, 3 ms before its 'open', readyState still 'connecting'). Handled then, a reply cannot be sent
// and was lost (the shared files it would have offered never went out), and a session not yet connected drops
// it. So such messages wait and are handed over right after 'open'.

interface ChannelEvents {
  readonly readyState: RTCDataChannelState;
  addEventListener(type: string, listener: (event: Event) => void, options?: AddEventListenerOptions): void;
}

export interface OpenHandlers {
  open(): void;
  message(data: unknown): void;
}

/** Calls `open` once the channel is open (now, if it is), and `message` for each message, never before `open`. */
export function whenOpen(channel: ChannelEvents, handlers: OpenHandlers, signal: AbortSignal): void {
  let early: unknown[] | null = [];
  const opened = () => {
    if (early === null) return;
    const held = early;
    early = null;
    handlers.open();
    for (const data of held) handlers.message(data);
  };
  channel.addEventListener('open', opened, { signal });
  channel.addEventListener(
    'message',
    (event) => {
      const data = 'data' in event ? (event as MessageEvent).data : undefined;
      if (early !== null && channel.readyState === 'open') opened();
      if (early === null) handlers.message(data);
      else early.push(data);
    },
    { signal },
  );
  if (channel.readyState === 'open') opened();
}
