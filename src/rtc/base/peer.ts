// Room base/: shared below the session: Result, this RTCPeerConnection slice, whenOpen, gathering, SDP roles.
//
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
  readonly remoteDescription: { readonly sdp: string } | null;
  readonly iceGatheringState: RTCIceGatheringState;
  readonly iceConnectionState: RTCIceConnectionState;
  readonly connectionState: RTCPeerConnectionState;
  readonly signalingState: RTCSignalingState;
  createDataChannel(label: string, init: RTCDataChannelInit): DataChannelLike;
  createOffer(options?: RTCOfferOptions): Promise<RTCSessionDescriptionInit>;
  createAnswer(): Promise<RTCSessionDescriptionInit>;
  setLocalDescription(description: RTCSessionDescriptionInit): Promise<void>;
  setRemoteDescription(description: RTCSessionDescriptionInit): Promise<void>;
  addIceCandidate(candidate: RTCIceCandidateInit): Promise<void>;
  setConfiguration(configuration: RTCConfiguration): void;
  getStats(): Promise<RTCStatsReport>;
  close(): void;
}

/** What calls need on top: the browser's transceivers (node tests have no media and leave these out). */
export interface MediaPeerLike {
  addTransceiver(track: MediaStreamTrack, init: RTCRtpTransceiverInit): RTCRtpTransceiver;
  getTransceivers(): RTCRtpTransceiver[];
}

export interface PeerConnectionConstructor {
  new (configuration: RTCConfiguration): PeerConnectionLike;
  /** The browser's static method; node fakes may leave it out (their connections then get their own). */
  generateCertificate?(keygen: AlgorithmIdentifier): Promise<RTCCertificate>;
}
