// The call panel inside the chat: start (audio or video), ring, accept or decline, the peer's video across the
// width with our mirrored preview in its corner (or, without pictures, who is talking), and one row of controls
// (mute, camera, switch camera when there are several, end). Built once and patched, so playing media is never
// rebuilt.

import type { AppState } from '../../app/controller.ts';
import { type CallState, heldConnection } from '../../rtc/index.ts';
import { h, replace } from '../dom.ts';
import { isolate, type MessageKey } from '../i18n/index.ts';
import type { ScreenContext } from '../screen.ts';
import { bind, person, switchOffered } from './call-parts.ts';
import { speakingMeter } from './speaking.ts';

export interface Part {
  readonly el: HTMLElement;
  update(state: AppState): void;
  dispose(): void;
}

/** The live session's call, or a silent peer's (the person may still end it and release the camera). */
const callOf = (s: AppState): CallState | null => heldConnection(s.session)?.live.call ?? null;

export function callPanel(ctx: ScreenContext): Part {
  const { t, send } = ctx;
  /** A note about the other device, by its name once its hello told it (bidi-isolated, as the header shows it). */
  const said = (name: string | null, plain: MessageKey, named: MessageKey): string =>
    name === null ? t(plain) : t(named, { name: isolate(name) });
  const intent = (type: 'call-accept' | 'call-decline' | 'call-end' | 'call-switch-camera') => () =>
    send({ type: 'session', intent: { type } });
  const button = (testid: string, key: MessageKey, onclick: () => void, cls = '') =>
    h('button', { type: 'button', class: cls, 'data-testid': testid, onclick }, t(key));

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
    'aria-label': t('call.them'),
    'data-testid': 'remote-video',
  });
  const remoteAudio = h('audio', { autoplay: true, 'data-testid': 'remote-audio' });
  const localVideo = h('video', {
    class: 'local',
    playsinline: true,
    autoplay: true,
    muted: true,
    'aria-label': t('call.you'),
    'data-testid': 'local-video',
  });
  remoteVideo.muted = true;
  localVideo.muted = true;
  const them = person(t('call.them'), t('call.speaking'), 'call-them');
  const me = person(t('call.you'), t('call.speaking'), 'call-me');
  const people = h('div', { class: 'call-people' }, them.el, me.el);
  const meter = speakingMeter((talking) => {
    them.talking(talking[0] === true);
    me.talking(talking[1] === true);
  });

  const start = h(
    'div',
    { class: 'row' },
    button('call-audio', 'call.audio', () =>
      send({ type: 'session', intent: { type: 'call-start', video: false } }),
    ),
    button('call-video', 'call.video', () =>
      send({ type: 'session', intent: { type: 'call-start', video: true } }),
    ),
  );
  const ringing = h(
    'div',
    { class: 'row call-controls' },
    button('call-accept', 'call.accept', intent('call-accept'), 'primary'),
    button('call-decline', 'call.decline', intent('call-decline'), 'danger'),
  );
  let mic = true;
  let cam = true;
  // Toggles keep their names; aria-pressed (and the look that follows it) says whether they are on.
  const micButton = button('call-mic', 'call.mute', () =>
    send({ type: 'session', intent: { type: 'call-mic', on: !mic } }),
  );
  const camButton = button('call-cam', 'call.cameraOff', () =>
    send({ type: 'session', intent: { type: 'call-cam', on: !cam } }),
  );
  const switchButton = button('call-switch', 'call.switchCamera', intent('call-switch-camera'));
  switchButton.hidden = true;
  const controls = h(
    'div',
    { class: 'row call-controls' },
    micButton,
    camButton,
    switchButton,
    button('call-end', 'call.end', intent('call-end'), 'danger'),
  );
  const media = h('div', { class: 'call-media' }, remoteVideo, localVideo, people, remoteAudio);
  const el = h(
    'section',
    { class: 'call', 'data-testid': 'call', 'aria-label': t('call.title') },
    status,
    media,
    peerMedia,
    start,
    ringing,
    controls,
  );

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
      const active = call?.phase === 'active' ? call : null;
      const video = (call?.phase === 'active' || call?.phase === 'outgoing') && call.video;
      // Pictures where there are some; where there are none, who is talking.
      const theirPicture = active?.video === true && active.peerCam;
      const ourPicture = inCall && video && (active === null || active.cam);
      media.hidden = !inCall;
      // The other device's name from its hello, once heard.
      const heardName = heldConnection(state.session)?.peer?.name ?? null;
      const peerName = heardName ?? t('call.them');
      them.named(peerName);
      if (remoteVideo.getAttribute('aria-label') !== peerName)
        remoteVideo.setAttribute('aria-label', peerName);
      remoteVideo.hidden = !theirPicture;
      localVideo.hidden = !ourPicture;
      people.hidden = theirPicture || !inCall;
      me.el.hidden = ourPicture;
      media.dataset.pictures = String(theirPicture);
      media.dataset.preview = String(ourPicture);
      bind(localVideo, inCall ? state.media.local : null);
      bind(remoteVideo, phase === 'active' ? state.media.remote : null);
      bind(remoteAudio, phase === 'active' ? state.media.remote : null);
      meter.watch(active !== null && !theirPicture ? [state.media.remote, state.media.local] : [null, null]);
      if (call?.phase === 'incoming')
        replace(status, t(call.video ? 'call.incomingVideo' : 'call.incomingAudio'));
      else if (call?.phase === 'outgoing') replace(status, t('call.calling'));
      else if (call?.phase === 'active')
        replace(status, t(call.video ? 'call.activeVideo' : 'call.activeAudio'));
      else if (call?.phase === 'idle' && call.ended !== null) replace(status, t(`call.ended.${call.ended}`));
      else replace(status);
      micButton.hidden = active === null;
      camButton.hidden = active === null || !active.video;
      // Switching cameras makes sense in a video call with our camera on.
      switchButton.hidden = !switchOffered(state, active?.video === true && active.cam);
      if (active !== null) {
        mic = active.mic;
        cam = active.cam;
        micButton.setAttribute('aria-pressed', String(!active.mic));
        camButton.setAttribute('aria-pressed', String(!active.cam));
        const notes = [
          active.peerMic ? null : said(heardName, 'call.peerMuted', 'call.peerMutedNamed'),
          active.video && !active.peerCam
            ? said(heardName, 'call.peerCameraOff', 'call.peerCameraOffNamed')
            : null,
        ];
        replace(peerMedia, notes.filter((n) => n !== null).join(' '));
        peerMedia.dataset.mic = String(active.peerMic);
        peerMedia.dataset.cam = String(active.peerCam);
      } else replace(peerMedia);
      peerMedia.hidden = peerMedia.textContent === '';
    },
    dispose() {
      meter.dispose();
      for (const video of [remoteVideo, localVideo, remoteAudio]) video.srcObject = null;
    },
  };
}
