// The call panel inside the chat: start (audio or video), ring, accept or decline, the peer's video and sound,
// our preview, mute, camera, switch camera, end. Built once and patched, so playing media is never rebuilt.

import type { AppState } from '../../app/controller.ts';
import type { CallState } from '../../rtc/index.ts';
import { h, replace } from '../dom.ts';
import type { ScreenContext } from '../screen.ts';

export interface Part {
  readonly el: HTMLElement;
  update(state: AppState): void;
  dispose(): void;
}

/** The live session's call, or a silent peer's (the person may still end it and release the camera). */
function callOf(s: AppState): CallState | null {
  if (s.session.kind === 'connected') return s.session.live.call;
  return s.session.kind === 'closed' ? (s.session.resume?.live.call ?? null) : null;
}

/** Points a media element at a stream; re-points it when the stream's tracks changed. */
function bind(el: HTMLMediaElement, stream: MediaStream | null): void {
  const tracks =
    stream === null
      ? ''
      : stream
          .getTracks()
          .map((track) => track.id)
          .join(',');
  if (el.dataset.tracks === tracks && el.srcObject === stream) return;
  el.dataset.tracks = tracks;
  el.srcObject = null;
  el.srcObject = stream;
  if (stream !== null) el.play().catch(() => undefined); // autoplay may wait for a gesture; controls stay
}

export function callPanel(ctx: ScreenContext): Part {
  const { t, send } = ctx;
  const intent = (type: 'call-accept' | 'call-decline' | 'call-end' | 'call-switch-camera') => () =>
    send({ type: 'session', intent: { type } });
  const button = (testid: string, label: string, onclick: () => void, cls = '') =>
    h('button', { type: 'button', class: cls, 'data-testid': testid, onclick }, label);

  const status = h('p', {
    class: 'call-status',
    role: 'status',
    'aria-live': 'polite',
    'data-testid': 'call-status',
  });
  const peerMedia = h('p', { class: 'muted', 'data-testid': 'peer-media' });
  // Muted video elements may autoplay everywhere; the sound plays through the separate <audio>.
  const remoteVideo = h('video', {
    class: 'remote',
    playsinline: true,
    autoplay: true,
    muted: true,
    'data-testid': 'remote-video',
  });
  const remoteAudio = h('audio', { autoplay: true, 'data-testid': 'remote-audio' });
  const localVideo = h('video', {
    class: 'local',
    playsinline: true,
    autoplay: true,
    muted: true,
    'data-testid': 'local-video',
  });
  remoteVideo.muted = true;
  localVideo.muted = true;

  const start = h(
    'div',
    { class: 'row' },
    button('call-audio', t('call.audio'), () =>
      send({ type: 'session', intent: { type: 'call-start', video: false } }),
    ),
    button('call-video', t('call.video'), () =>
      send({ type: 'session', intent: { type: 'call-start', video: true } }),
    ),
  );
  const ringing = h(
    'div',
    { class: 'row' },
    button('call-accept', t('call.accept'), intent('call-accept'), 'primary'),
    button('call-decline', t('call.decline'), intent('call-decline'), 'danger'),
  );
  let mic = true;
  let cam = true;
  const micButton = button('call-mic', '', () =>
    send({ type: 'session', intent: { type: 'call-mic', on: !mic } }),
  );
  const camButton = button('call-cam', '', () =>
    send({ type: 'session', intent: { type: 'call-cam', on: !cam } }),
  );
  const switchButton = button('call-switch', t('call.switchCamera'), intent('call-switch-camera'));
  switchButton.hidden = true;
  const controls = h(
    'div',
    { class: 'row' },
    micButton,
    camButton,
    switchButton,
    button('call-end', t('call.end'), intent('call-end'), 'danger'),
  );
  const media = h('div', { class: 'call-media' }, remoteVideo, localVideo, remoteAudio);
  const el = h(
    'section',
    { class: 'call', 'data-testid': 'call', 'aria-label': t('call.title') },
    status,
    peerMedia,
    media,
    start,
    ringing,
    controls,
  );

  let probed = false;
  async function probeCameras(): Promise<void> {
    probed = true;
    try {
      const devices = await navigator.mediaDevices.enumerateDevices();
      switchButton.hidden = devices.filter((d) => d.kind === 'videoinput').length < 2;
    } catch {
      switchButton.hidden = true;
    }
  }

  return {
    el,
    update(state: AppState) {
      const call = callOf(state);
      const phase = call?.phase ?? 'idle';
      el.dataset.phase = phase;
      // With the peer silent, only a call in progress is shown (to end it); no new one can start.
      const live = state.session.kind === 'connected';
      el.hidden = !live && phase === 'idle';
      start.hidden = phase !== 'idle' || !live;
      ringing.hidden = phase !== 'incoming';
      controls.hidden = phase !== 'active' && phase !== 'outgoing';
      const inCall = phase === 'active' || phase === 'outgoing';
      media.hidden = !inCall;
      bind(localVideo, inCall ? state.media.local : null);
      bind(remoteVideo, phase === 'active' ? state.media.remote : null);
      bind(remoteAudio, phase === 'active' ? state.media.remote : null);
      if (call?.phase === 'incoming')
        replace(status, t(call.video ? 'call.incomingVideo' : 'call.incomingAudio'));
      else if (call?.phase === 'outgoing') replace(status, t('call.calling'));
      else if (call?.phase === 'active')
        replace(status, t(call.video ? 'call.activeVideo' : 'call.activeAudio'));
      else if (call?.phase === 'idle' && call.ended !== null) replace(status, t(`call.ended.${call.ended}`));
      else replace(status);
      if (call?.phase === 'active') {
        mic = call.mic;
        cam = call.cam;
        replace(micButton, t(call.mic ? 'call.mute' : 'call.unmute'));
        micButton.setAttribute('aria-pressed', String(!call.mic));
        replace(camButton, t(call.cam ? 'call.cameraOff' : 'call.cameraOn'));
        camButton.hidden = !call.video;
        if (call.video && !probed) void probeCameras();
        const notes = [
          call.peerMic ? null : t('call.peerMuted'),
          call.video && !call.peerCam ? t('call.peerCameraOff') : null,
        ];
        replace(peerMedia, notes.filter((n) => n !== null).join(' '));
        peerMedia.dataset.mic = String(call.peerMic);
        peerMedia.dataset.cam = String(call.peerCam);
      } else {
        micButton.hidden = phase !== 'active';
        camButton.hidden = true;
        replace(peerMedia);
      }
      micButton.hidden = phase !== 'active';
    },
    dispose() {
      for (const video of [remoteVideo, localVideo, remoteAudio]) video.srcObject = null;
    },
  };
}
