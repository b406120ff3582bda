// What the peer says about a file is only a suggestion: its name becomes one safe file name (no folders, no
// control characters, no names Windows reserves, bounded length) and its type one plain MIME type or none.

/** Longest name we keep, in code points; file systems allow 255 bytes, and UTF-8 may need 4 per point. */
export const MAX_NAME_CHARS = 120;
/** Longest extension kept when a long name is shortened. */
const MAX_EXTENSION_CHARS = 16;
export const FALLBACK_NAME = 'file';
export const FALLBACK_TYPE = 'application/octet-stream';
const MAX_TYPE_CHARS = 100;

/** Windows device names: `CON`, `con.txt`, `COM1.tar.gz` all open the device instead of a file. */
const RESERVED_STEM = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³]|conin\$|conout\$)$/i;
/**
 * Characters that are invisible or reorder what is shown: controls, format characters (bidi controls, U+061C,
 * U+180E, U+2060–2064, soft hyphen, tag characters…), every default-ignorable code point, line and paragraph
 * separators, and lone surrogates (no valid UTF-8 name holds one).
 */
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}\p{Default_Ignorable_Code_Point}]/gu;
/** Characters no common file system accepts in a name. */
const FORBIDDEN = /[<>:"|?*]/g;
const SPACE = /^\s$/u;

/** Leading dots hide files (or mean '..'); Windows drops trailing dots and spaces (NBSP too). */
const isDotOrSpace = (ch: string): boolean => ch === '.' || SPACE.test(ch);

/** `s` without its trailing run of `drop` characters, in one pass (a `[…]+$` regex retries from every start: n²). */
function trimEnd(s: string, drop: (ch: string) => boolean): string {
  let end = s.length;
  while (end > 0 && drop(s.charAt(end - 1))) end--;
  return s.slice(0, end);
}

function trimStart(s: string, drop: (ch: string) => boolean): string {
  let start = 0;
  while (start < s.length && drop(s.charAt(start))) start++;
  return s.slice(start);
}

/** Windows takes the part before the first dot, trailing spaces and dots dropped: `con .txt` is CON. */
const isReserved = (name: string): boolean => {
  const dot = name.indexOf('.');
  return RESERVED_STEM.test(trimEnd(dot < 0 ? name : name.slice(0, dot), isDotOrSpace));
};

/** At most MAX_NAME_CHARS code points, keeping a short extension; never ending in a space or a dot. */
function shorten(name: string): string {
  const points = [...name];
  if (points.length <= MAX_NAME_CHARS) return name;
  const dot = name.lastIndexOf('.');
  const ext = dot > 0 ? [...name.slice(dot)] : [];
  const keepExt = ext.length > 1 && ext.length <= MAX_EXTENSION_CHARS ? ext.join('') : '';
  const stem = trimEnd(points.slice(0, MAX_NAME_CHARS - [...keepExt].length).join(''), isDotOrSpace);
  return stem + keepExt;
}

export function sanitizeFileName(raw: string): string {
  // Only the last path segment: a peer must not choose the folder.
  const segments = raw.split(/[/\\]/);
  let name = segments[segments.length - 1] ?? '';
  name = name.normalize('NFC').replace(INVISIBLE, '').replace(FORBIDDEN, '_');
  name = shorten(trimEnd(trimStart(name, isDotOrSpace), isDotOrSpace));
  // After shortening, which may have cut a name down to a reserved one; the prefix may need one point back.
  if (isReserved(name)) name = shorten(`_${name}`);
  return name === '' ? FALLBACK_NAME : name;
}

/** A `type/subtype` of plain characters, lower case, or the generic binary type. */
export function sanitizeMimeType(raw: string): string {
  const type = raw.trim().toLowerCase();
  if (type.length > MAX_TYPE_CHARS || !/^[a-z0-9][a-z0-9!#$&^_.+-]*\/[a-z0-9][a-z0-9!#$&^_.+-]*$/.test(type))
    return FALLBACK_TYPE;
  return type;
}
