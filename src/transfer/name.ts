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
const RESERVED = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³]|conin\$|conout\$)(\..*)?$/i;
// biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g;
/** Characters no common file system accepts in a name. */
const FORBIDDEN = /[<>:"|?*]/g;

export function sanitizeFileName(raw: string): string {
  // Only the last path segment: a peer must not choose the folder.
  const segments = raw.split(/[/\\]/);
  let name = segments[segments.length - 1] ?? '';
  name = name.normalize('NFC').replace(CONTROL, '').replace(FORBIDDEN, '_');
  // Leading dots hide files (or mean '..'); trailing dots and spaces are dropped by Windows.
  name = name.replace(/^[.\s]+/, '').replace(/[.\s]+$/, '');
  if (RESERVED.test(name)) name = `_${name}`;
  const points = [...name];
  if (points.length > MAX_NAME_CHARS) {
    const dot = name.lastIndexOf('.');
    const ext = dot > 0 ? [...name.slice(dot)] : [];
    const keepExt = ext.length > 1 && ext.length <= MAX_EXTENSION_CHARS ? ext : [];
    name = points.slice(0, MAX_NAME_CHARS - keepExt.length).join('') + keepExt.join('');
  }
  return name === '' ? FALLBACK_NAME : name;
}

/** A `type/subtype` of plain characters, lower case, or the generic binary type. */
export function sanitizeMimeType(raw: string): string {
  const type = raw.trim().toLowerCase();
  if (type.length > MAX_TYPE_CHARS || !/^[a-z0-9][a-z0-9!#$&^_.+-]*\/[a-z0-9][a-z0-9!#$&^_.+-]*$/.test(type))
    return FALLBACK_TYPE;
  return type;
}
