// What the peer says about a file is only a suggestion: its name becomes one safe file name (no folders, no
// control characters, no names Windows reserves, bounded length), its folder (a sent folder's relative path) a
// relative path of such names, and its type one plain MIME type or none.

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

/** Deepest folder path kept from a peer's offer (deeper folders are folded into the last one kept). */
export const MAX_PATH_DEPTH = 16;
/** Longest folder path kept, in code points, separators included. */
export const MAX_PATH_CHARS = 512;

/** Segments that name no folder of their own: empty, '.', '..', or only dots and spaces. */
const isNoFolder = (segment: string): boolean => trimStart(segment, isDotOrSpace) === '';

/**
 * The folder a peer says a file sits in, as a relative '/'-separated path of safe names: each segment is
 * sanitised like a file name; '..', '.', empty segments and drive letters are dropped (a path never leaves
 * the folder it is saved into, nor starts at a root); bounded in depth and length. '' when nothing is left.
 */
export function sanitizeFolderPath(raw: string): string {
  const kept: string[] = [];
  let chars = 0;
  for (const segment of raw.split(/[/\\]/)) {
    if (kept.length >= MAX_PATH_DEPTH) break;
    if (isNoFolder(segment) || /^[a-z]:$/i.test(segment)) continue;
    const safe = sanitizeFileName(segment);
    const length = [...safe].length + (kept.length > 0 ? 1 : 0);
    if (chars + length > MAX_PATH_CHARS) break;
    kept.push(safe);
    chars += length;
  }
  return kept.join('/');
}

/** The folder part of a browser's relative path ('photos/2024/a.jpg' → 'photos/2024'). */
export function folderOf(relativePath: string): string {
  const cut = Math.max(relativePath.lastIndexOf('/'), relativePath.lastIndexOf('\\'));
  return cut < 0 ? '' : relativePath.slice(0, cut);
}
