// The group's call (docs/groups.md, "Calls"): start it for everyone, ring with who calls, then a tile for every
// member in it and one for us, in a grid that wraps to the phone's width (two across on a phone: nothing
// scrolls sideways), each with its picture or, without one, a badge lit while its sound is loud. Every
// member's sound plays through its own <audio>. Tiles are made once per member and patched, so playing media is
// never rebuilt.

import type { AppState } from '../../app/controller.ts';
import type { CallMember, GroupCallAsk, GroupCallView } from '../../app/group/view.ts';
import { h, replace } from '../dom.ts';
import { isolate, type MessageKey } from '../i18n/index.ts';
import type { Screen, ScreenContext } from '../screen.ts';
import { badge, bind, switchOffered } from './call-parts.ts';
import { speakingMeter } from './speaking.ts';

interface Tile {
  readonly el: HTMLElement;
  /** Shows `stream`: its picture when `picture`, else the badge; `notes` under the name. */
  show(stream: MediaStream | null, picture: boolean, notes: string): void;
  talking(on: boolean): void;
  dispose(): void;
}

/** A participant: `audible` plays its sound (never ours: we would hear ourselves). */
function tile(name: string, audible: boolean, mirrored: boolean): Tile {
  const video = h('video', { playsinline: true, autoplay: true, muted: true, 'aria-hidden': 'true' });
  video.muted = true;
  if (mirrored) video.classList.add('mirrored');
  const audio = audible ? h('audio', { autoplay: true }) : null;
  const face = badge();
  const note = h('span', { class: 'tile-note muted' });
  const caption = h('figcaption', {}, h('span', { class: 'person-name' }, name), note);
  // Named for a person (and a screen reader) by its caption: the member's name as the roster shows it.
  const el = h('figure', { class: 'call-tile', 'data-speaking': 'false' }, video, face, caption);
  if (audio !== null) el.append(audio);
  return {
    el,
    show(stream, picture, notes) {
      video.hidden = !picture;
      face.hidden = picture;
      bind(video, picture ? stream : null);
      if (audio !== null) bind(audio, stream);
      replace(note, notes === '' ? '' : ` · ${notes}`);
    },
    talking(on) {
      el.dataset.speaking = String(on);
    },
    dispose() {
      video.srcObject = null;
      if (audio !== null) audio.srcObject = null;
    },
  };
}

export function groupCallPanel(ctx: ScreenContext): Screen {
  const { t, send } = ctx;
  const ask = (a: GroupCallAsk) => () => send({ type: 'group-call', ask: a });
  const button = (key: MessageKey, onclick: () => void, cls = '') =>
    h('button', { type: 'button', class: cls, onclick }, t(key));
  const status = h('p', { class: 'call-status', role: 'status', 'aria-live': 'polite' });
  const start = h(
    'div',
    { class: 'row' },
    button('call.audio', ask({ type: 'start', video: false })),
    button('call.video', ask({ type: 'start', video: true })),
  );
  const ringing = h(
    'div',
    { class: 'row call-controls' },
    button('call.accept', ask({ type: 'join' }), 'primary'),
    button('call.decline', ask({ type: 'decline' }), 'danger'),
  );
  let mic = true;
  let cam = true;
  const micButton = button('call.mute', () => send({ type: 'group-call', ask: { type: 'mic', on: !mic } }));
  const camButton = button('call.cameraOff', () =>
    send({ type: 'group-call', ask: { type: 'cam', on: !cam } }),
  );
  const switchButton = button('call.switchCamera', ask({ type: 'switch-camera' }));
  switchButton.hidden = true;
  const controls = h(
    'div',
    { class: 'row call-controls' },
    micButton,
    camButton,
    switchButton,
    button('group.callLeave', ask({ type: 'leave' }), 'danger'),
  );
  const grid = h('div', { class: 'call-tiles' });
  const el = h(
    'section',
    { class: 'call group-call', 'aria-label': t('call.title') },
    status,
    grid,
    start,
    ringing,
    controls,
  );
  const tiles = new Map<string, Tile>();
  const me = tile(t('call.you'), false, true);
  let order: readonly Tile[] = [];
  const meter = speakingMeter((talking) => {
    for (const [i, x] of order.entries()) x.talking(talking[i] === true);
  });

  const named = (m: CallMember) => isolate(m.name || t('group.unnamed'));
  function statusText(c: GroupCallView): string {
    if (c.phase === 'ringing') {
      const names = c.members.map(named).join(', ');
      return t(c.video ? 'group.callIncomingVideo' : 'group.callIncomingAudio', { names });
    }
    if (c.phase === 'in-call') {
      if (!c.members.some((m) => m.joined)) return t('group.callCalling');
      return t(c.video ? 'group.callActiveVideo' : 'group.callActiveAudio');
    }
    return c.ended === null ? '' : t(`group.callEnded.${c.ended}`);
  }

  function showTiles(c: GroupCallView): void {
    const shown: Tile[] = [];
    const streams: (MediaStream | null)[] = [];
    for (const m of c.phase === 'in-call' ? c.members : []) {
      let x = tiles.get(m.id);
      if (x === undefined) {
        x = tile(named(m), true, false);
        tiles.set(m.id, x);
      }
      const notes = [m.joined ? '' : t('group.callWaiting'), m.joined && !m.mic ? t('group.callMuted') : ''];
      x.show(m.remote, c.video && m.joined && m.cam, notes.filter((n) => n !== '').join(' · '));
      shown.push(x);
      streams.push(m.remote);
    }
    for (const [id, x] of tiles)
      if (!shown.includes(x)) {
        x.dispose();
        tiles.delete(id);
      }
    if (c.phase === 'in-call') {
      me.show(c.local, c.video && c.cam, c.mic ? '' : t('group.callMuted'));
      shown.push(me);
      streams.push(c.local);
    } else me.show(null, false, '');
    // Moved only when the members change: a media element taken out of the page may pause.
    if (shown.length !== order.length || shown.some((x, i) => order[i] !== x))
      grid.replaceChildren(...shown.map((x) => x.el));
    order = shown;
    meter.watch(streams);
  }

  return {
    el,
    update(state: AppState) {
      const g = state.group;
      const c = g.call;
      el.hidden = !g.active;
      el.dataset.phase = c.phase;
      const anyUp = g.members.some((m) => m.link === 'up');
      start.hidden = c.phase !== 'idle' || !anyUp;
      ringing.hidden = c.phase !== 'ringing';
      controls.hidden = c.phase !== 'in-call';
      grid.hidden = c.phase !== 'in-call';
      replace(status, statusText(c));
      status.hidden = status.textContent === '';
      mic = c.mic;
      cam = c.cam;
      micButton.setAttribute('aria-pressed', String(!c.mic));
      camButton.setAttribute('aria-pressed', String(!c.cam));
      camButton.hidden = !c.video;
      switchButton.hidden = !switchOffered(state, c.phase === 'in-call' && c.video && c.cam);
      showTiles(c);
    },
    dispose() {
      meter.dispose();
      for (const x of [...tiles.values(), me]) x.dispose();
    },
  };
}
