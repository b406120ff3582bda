// Part of the transfer room: sizes and times left as a person reads them, the same in the app and the
// terminal peer.

const UNITS = ['B', 'KB', 'MB', 'GB', 'TB'];
const KILO = 1000;

/** 1234567 → "1.2 MB" (decimal units, as file managers show them). */
export function formatBytes(n: number): string {
  let value = n;
  let unit = 0;
  while (value >= KILO && unit < UNITS.length - 1) {
    value /= KILO;
    unit++;
  }
  return `${unit === 0 ? value : value.toFixed(value < 10 ? 1 : 0)} ${UNITS[unit]}`;
}

/** 75 → "1:15", 3725 → "1:02:05". */
export function formatDuration(seconds: number): string {
  const s = Math.ceil(seconds);
  const hh = Math.floor(s / 3600);
  const mm = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return hh > 0 ? `${hh}:${String(mm).padStart(2, '0')}:${ss}` : `${mm}:${ss}`;
}
