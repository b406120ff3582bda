// The slice of RTCPeerConnection / RTCDataChannel the runner uses. The browser's classes satisfy it
// (checked in the unit tests), and node tests supply a fake.

export interface ListenerTarget {
  /** Listeners are always added with a `signal`, so one abort releases them all. */
  addEventListener(type: string, listener: (event: Event) => void, options?: AddEventListenerOptions): void;
}

export interface DataChannelLike extends ListenerTarget {
  readonly readyState: RTCDataChannelState;
  readonly bufferedAmount: number;
  send(data: string): void;
  close(): void;
}

export interface PeerConnectionLike extends ListenerTarget {
  readonly localDescription: { readonly sdp: string } | null;
  readonly iceGatheringState: RTCIceGatheringState;
  readonly iceConnectionState: RTCIceConnectionState;
  readonly connectionState: RTCPeerConnectionState;
  createDataChannel(label: string, init: RTCDataChannelInit): DataChannelLike;
  createOffer(): Promise<RTCSessionDescriptionInit>;
  createAnswer(): Promise<RTCSessionDescriptionInit>;
  setLocalDescription(description: RTCSessionDescriptionInit): Promise<void>;
  setRemoteDescription(description: RTCSessionDescriptionInit): Promise<void>;
  close(): void;
}

export type PeerConnectionConstructor = new (configuration: RTCConfiguration) => PeerConnectionLike;
