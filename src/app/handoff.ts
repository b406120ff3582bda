// A code opened as a link lands in a new tab: a phone's camera app or a chat opens links there, while the
// exchange it belongs to waits in the tab that made the offer (or holds the session). The new tab asks the
// other tabs of this app first; the one the code belongs to (its answer binding or fingerprint says so) takes
// it, and the new tab says where it went. No tab claims it: the new tab handles it itself, as before.

/** How long the new tab waits for a claim. Tabs answer at once; a frozen background tab never does. */
export const HANDOFF_WAIT_MS = 500;
export const HANDOFF_CHANNEL = 'pigeon-codes';
/** A code is a few hundred characters; anything much longer on the channel is not ours. */
const MAX_HANDOFF_CHARS = 16 * 1024;
const MAX_ID_CHARS = 64;

/** The part of BroadcastChannel used here (injected: node tests pass their own). */
export interface HandoffChannel {
  postMessage(message: unknown): void;
  addEventListener(type: 'message', listener: (ev: { readonly data: unknown }) => void): void;
  removeEventListener(type: 'message', listener: (ev: { readonly data: unknown }) => void): void;
}

type Wire =
  | { readonly t: 'code'; readonly id: string; readonly text: string }
  | { readonly t: 'taken'; readonly id: string };

const isText = (v: unknown, max: number): v is string => typeof v === 'string' && v.length <= max;

/** Other tabs are this origin's, but a message is still checked before it is used. */
function parse(data: unknown): Wire | null {
  if (typeof data !== 'object' || data === null) return null;
  const m = data as Record<string, unknown>;
  if (!isText(m.id, MAX_ID_CHARS)) return null;
  if (m.t === 'taken') return { t: 'taken', id: m.id };
  if (m.t === 'code' && isText(m.text, MAX_HANDOFF_CHARS)) return { t: 'code', id: m.id, text: m.text };
  return null;
}

/**
 * Every tab answers codes opened elsewhere: `take` returns whether this tab took the code (it did if it was
 * the code's own). Returns a function that stops answering.
 */
export function serveHandoffs(channel: HandoffChannel, take: (text: string) => boolean): () => void {
  const onMessage = (ev: { readonly data: unknown }) => {
    const m = parse(ev.data);
    if (m?.t === 'code' && take(m.text)) channel.postMessage({ t: 'taken', id: m.id } satisfies Wire);
  };
  channel.addEventListener('message', onMessage);
  return () => channel.removeEventListener('message', onMessage);
}

/** Offers the code to the other tabs; true when one took it. Aborting (or the wait running out) is false. */
export function handOff(
  channel: HandoffChannel,
  text: string,
  signal: AbortSignal = AbortSignal.timeout(HANDOFF_WAIT_MS),
): Promise<boolean> {
  const id = crypto.randomUUID();
  return new Promise((resolve) => {
    const finish = (taken: boolean) => {
      channel.removeEventListener('message', onMessage);
      signal.removeEventListener('abort', onAbort);
      resolve(taken);
    };
    const onMessage = (ev: { readonly data: unknown }) => {
      const m = parse(ev.data);
      if (m?.t === 'taken' && m.id === id) finish(true);
    };
    const onAbort = () => finish(false);
    if (signal.aborted) return resolve(false);
    channel.addEventListener('message', onMessage);
    signal.addEventListener('abort', onAbort);
    channel.postMessage({ t: 'code', id, text } satisfies Wire);
  });
}
