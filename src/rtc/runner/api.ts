// Part of the runner room: what the runner is given and what it offers the session (runner.ts makes it).

import type { DataChannelLike, PeerConnectionConstructor } from '../base/peer.ts';
import type { MediaDevicesLike } from '../call/media.ts';
import type { ConnectionDetails } from '../link/stats.ts';
import type { Command } from '../model/types.ts';

export interface RunnerDeps {
  /** Injected so node tests can use a fake; in the app, `globalThis.RTCPeerConnection`. */
  readonly RTCPeerConnection: PeerConnectionConstructor;
  /** ICE servers and policy. Without servers, only host candidates are gathered (fast, local network). */
  readonly config?: RTCConfiguration;
  /** Announced to the peer in hello. */
  readonly appVersion: string;
  /**
   * What this device speaks, announced in hello (default: all of control.ts FEATURES). The peer's hello is
   * then kept with only the features both sides have, so e.g. a device without 'restart' never restarts ICE.
   */
  readonly features?: readonly string[];
  /** This device's name, announced in hello (shown on the other side); none if absent. */
  readonly name?: string;
  readonly now?: () => number;
  /** Camera and microphone for calls; defaults to navigator.mediaDevices where there is one. */
  readonly mediaDevices?: MediaDevicesLike;
  /**
   * This device's DTLS certificate (the app keeps one per device, so a verified peer recognises it next time),
   * asked for once per session. Without one, or if it fails or gives null, the session makes its own.
   */
  readonly certificate?: () => Promise<RTCCertificate | null>;
}

/** The current call's streams, for the UI's <audio>/<video> elements. */
export interface MediaStreams {
  readonly local: MediaStream | null;
  readonly remote: MediaStream | null;
}

export interface Runner {
  execute(command: Command): void;
  /** For the app's `pagehide` listener: tells a connected peer we are leaving. Synchronous. */
  sendBye(): void;
  /** Closes channel and connection, cancels timers, detaches listeners. Idempotent. */
  close(): void;
  /**
   * Another data channel on the current connection (files, future features), or null when there is none.
   * Both sides use `negotiated: true` with an id agreed in-band, so no `datachannel` event is needed.
   */
  openChannel(label: string, init: RTCDataChannelInit): DataChannelLike | null;
  media(): MediaStreams;
  /** The peer's description on the live connection, or on the last one (to recognise its reconnect codes). */
  remoteSdp(): string | null;
  /** The connection details panel's numbers, or null without a connection. */
  stats(): Promise<ConnectionDetails | null>;
  /** ICE servers and policy for the next connection, and for the live one from its next ICE restart. */
  setConfiguration(config: RTCConfiguration): void;
}
