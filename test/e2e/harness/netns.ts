// Guard: browsers doing WebRTC must only ever run inside scripts/netns-run's private namespace.
import { networkInterfaces } from 'node:os';

/** The address netns-run gives the v0 end of its veth pair. */
export const NETNS_HOST_V4 = '10.99.0.1';
/** The v1 end: where coturn listens inside the namespace. */
export const NETNS_PEER_V4 = '10.99.0.2';

export function inNetns(): boolean {
  return Object.values(networkInterfaces()).some((addrs) =>
    (addrs ?? []).some((a) => a.family === 'IPv4' && a.address === NETNS_HOST_V4),
  );
}

/** Throws unless this process runs inside scripts/netns-run (an interface carries 10.99.0.1). */
export function assertInNetns(): void {
  if (!inNetns()) {
    throw new Error(
      'Refusing to start a browser for WebRTC outside the private network namespace: no interface has ' +
        `${NETNS_HOST_V4}. Run inside it, e.g. \`scripts/netns-run npx vitest run --project e2e\`.`,
    );
  }
}
