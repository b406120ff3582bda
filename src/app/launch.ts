// An installed app on a phone is one window: a code's link the phone opens in the app (its camera app read a
// QR code) would by default navigate that window, and a reload loses the offer waiting for its answer. The
// manifest asks for 'focus-existing' instead (vite.config.ts), and the link's address arrives through
// `window.launchQueue`; this turns it into the code it carries, for the page to take as its own.

/** The part of the Launch Handler API used here (Chromium only; absent elsewhere). */
export interface LaunchQueue {
  setConsumer(consumer: (params: { readonly targetURL?: string | null }) => void): void;
}

/** The code in a launch address (after '#'), decoded; null when it carries none. */
export function codeOfLaunch(targetURL: string | null | undefined): string | null {
  if (targetURL === null || targetURL === undefined) return null;
  const at = targetURL.indexOf('#');
  const fragment = at < 0 ? '' : targetURL.slice(at + 1);
  if (fragment === '') return null;
  try {
    return decodeURIComponent(fragment);
  } catch {
    return fragment; // Not percent-encoded after all: the codec judges the raw text.
  }
}

/**
 * Takes the codes of later launches into this window. The launch that opened the page is skipped: its code
 * is the one the page was opened with (`openingCode`, read from the address bar), which the page takes itself.
 * Codes are compared, not addresses, so a differently written address cannot make it taken twice.
 */
export function takeLaunches(
  queue: LaunchQueue,
  openingCode: string | null,
  take: (code: string) => void,
): void {
  let first = true;
  queue.setConsumer((params) => {
    const code = codeOfLaunch(params.targetURL);
    const opening = first && code === openingCode;
    first = false;
    if (code !== null && !opening) take(code);
  });
}
