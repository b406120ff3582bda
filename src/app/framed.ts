// Pigeon refuses to run inside another page's frame: a meta CSP cannot set frame-ancestors, so any site could
// frame it and have a `#<offer>` link join there, under its own page. The host should also send
// `Content-Security-Policy: frame-ancestors 'none'` and `X-Frame-Options: DENY` (README, Publish).

/** The two window references that tell a top-level page from a framed one. */
export interface FrameWindow {
  readonly top: unknown;
  readonly self: unknown;
}

/** True when this page is not the top-level page, or when the browser will not say (then refuse too). */
export function isFramed(win: FrameWindow): boolean {
  try {
    return win.top !== win.self;
  } catch {
    return true;
  }
}
