// What the pair's call panel (call.ts) and the group's (group-call.ts) share: a media element pointed at a
// stream, a person drawn without pictures, and when Switch camera is drawn.

import type { AppState } from '../../app/controller.ts';
import { h, svgNode } from '../dom.ts';

/** Points a media element at a stream; re-points it when the stream's tracks changed. */
export function bind(el: HTMLMediaElement, stream: MediaStream | null): void {
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

/** A head and shoulders, drawn in the text colour. */
const PERSON_ICON =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" width="32" height="32" fill="currentColor">' +
  '<circle cx="12" cy="8" r="4.2"/><path d="M3.5 21c0-4.4 3.8-7.5 8.5-7.5s8.5 3.1 8.5 7.5z"/></svg>';

/** The round badge of a person without pictures. */
export const badge = (): HTMLElement =>
  h('span', { class: 'badge', 'aria-hidden': 'true' }, svgNode(PERSON_ICON));

/** A person in a call without pictures: a round badge and a name, lit while their sound is loud. */
export function person(name: string, speaking: string, testid: string) {
  const label = h('span', { class: 'person-name' }, name);
  const el = h(
    'div',
    { class: 'person', 'data-testid': testid, 'data-speaking': 'false' },
    badge(),
    label,
    h('span', { class: 'person-speaking' }, speaking),
  );
  return {
    el,
    talking(on: boolean) {
      el.dataset.speaking = String(on);
    },
    /** Display text (the peer's device name is made so in rtc/control.ts), set as text, never markup. */
    named(text: string) {
      if (label.textContent !== text) label.textContent = text;
    },
  };
}

/** Switch camera is offered where there is another camera to switch to. */
const CAMERAS_TO_SWITCH = 2;

/** Whether to draw Switch camera: `wanted` (a video call, our camera on) and two cameras or more. */
export const switchOffered = (state: AppState, wanted: boolean): boolean =>
  wanted && state.cameras >= CAMERAS_TO_SWITCH;
