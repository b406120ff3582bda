// What this device tells the peer it is (hello's `app`): the name and the major version, which is all the
// peer's screen needs. The exact build would tell the peer (and anyone in the middle) which fixes it lacks.

export function helloApp(version: string): string {
  const major = /^\d+/.exec(version)?.[0];
  return major === undefined ? 'Pigeon' : `Pigeon ${major}`;
}
