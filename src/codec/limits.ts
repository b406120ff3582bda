// Size bounds on outside input, chosen from the largest codes the app really makes (test/fixtures/sdp):
// the largest SDP is the Chromium media offer with 6 interfaces, 6,925 chars; its Pigeon code 1,355 chars;
// as base64 JSON (the pion format) 9,756 chars; as lz-string JSON 4,806 chars (3,604 bytes).

/** Longest SDP a code may carry or expand to: 9× the largest real one. */
export const MAX_SDP_CHARS = 64 * 1024;
/** Longest input looked at at all: base64 JSON of a MAX_SDP_CHARS SDP (~90 k chars) fits, with room to spare. */
export const MAX_INPUT_CHARS = 128 * 1024;
/**
 * lz-string cannot be stopped mid-way, and its worst case is quadratic: n bytes expand to about 0.26·n² chars
 * (measured: 6,252 bytes → 10 M chars). Bodies over this bound are refused before decompressing; at the bound
 * the worst case is ≈ 17 M chars (~130 ms, ~35 MB here), and the output is then refused as over MAX_SDP_CHARS.
 * 2.3× the largest real lz-string body.
 */
export const MAX_LZ_BYTES = 8 * 1024;
/** The same bound for lz-string's text forms (base64 and URI component: 6 bits a character). */
export const MAX_LZ_TEXT_CHARS = Math.ceil((MAX_LZ_BYTES * 8) / 6);
