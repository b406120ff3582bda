// What this device keeps about itself and its peers, behind one lazy import (trust.ts loads it when a session
// needs the certificate or a screen the remembered devices): the certificate and the remembered devices.

import { deviceCertificate, type GenerateCertificate } from './certificate.ts';
import { idbKeyValue } from './idb.ts';
import { type KeyValue, type RememberedStore, rememberedStore } from './remembered.ts';

export interface DeviceStore {
  certificate(): Promise<RTCCertificate | null>;
  readonly devices: RememberedStore;
}

export function deviceStore(
  kv: KeyValue,
  generate: GenerateCertificate | undefined,
  now: () => number = Date.now,
): DeviceStore {
  return {
    certificate: () =>
      generate === undefined ? Promise.resolve(null) : deviceCertificate(kv, generate, now),
    devices: rememberedStore(kv, now),
  };
}

/** The browser's: IndexedDB, and RTCPeerConnection.generateCertificate where there is one. */
export function browserDeviceStore(): DeviceStore {
  const Native = globalThis.RTCPeerConnection;
  const generate = Native?.generateCertificate?.bind(Native);
  return deviceStore(idbKeyValue(), generate);
}
