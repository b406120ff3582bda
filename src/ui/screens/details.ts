// Connection details: the path in use (host / srflx / relay, UDP / TCP), round-trip time, bytes each way, and
// the ICE, DTLS and SCTP states, refreshed only while the panel is open and the page visible. Also a button to
// restart ICE by hand (the same in-band restart the app does by itself when the network changes), and a place to
// read the other device's reconnect code and show our answer: when only one direction fails, this device still
// hears the other and stays connected, while the other says this one stopped answering and shows a code.

import type { ConnectionDetails } from '../../rtc/index.ts';
import { h, replace } from '../dom.ts';
import type { ScreenContext } from '../screen.ts';
import type { Part } from './call.ts';
import { codePanel } from './code-panel.ts';
import { inputPanel } from './input-panel.ts';

export const DETAILS_REFRESH_MS = 1_000;

const candidateText = (c: ConnectionDetails['local']): string =>
  c === null ? '—' : `${c.type}/${c.protocol}${c.relayProtocol ? ` (TURN ${c.relayProtocol})` : ''}`;

export function detailsPanel(ctx: ScreenContext): Part {
  const { t, send } = ctx;
  const row = (testid: string, label: string) => {
    const value = h('dd', { 'data-testid': testid }, '—');
    return { value, nodes: [h('dt', {}, label), value] };
  };
  const path = row('details-path', t('details.path'));
  const rtt = row('details-rtt', t('details.rtt'));
  const bytes = row('details-bytes', t('details.bytes'));
  const states = row('details-states', t('details.states'));
  const restart = h(
    'button',
    {
      type: 'button',
      'data-testid': 'restart-ice',
      onclick: () => send({ type: 'session', intent: { type: 'restart-ice' } }),
    },
    t('details.restart'),
  );
  const read = inputPanel(t('reconnect.read'), ctx);
  const answer = h('div', { class: 'stack', 'data-testid': 'details-reconnect-code' });
  const el = h(
    'details',
    { class: 'details', 'data-testid': 'details' },
    h('summary', {}, t('details.title')),
    h('dl', {}, ...path.nodes, ...rtt.nodes, ...bytes.nodes, ...states.nodes),
    restart,
    h('p', { class: 'muted' }, t('details.readHint')),
    read.el,
    answer,
  );
  let shownCode = '';

  let timer: ReturnType<typeof setTimeout> | undefined;
  let disposed = false;
  const visible = () => el.open && !disposed && document.visibilityState === 'visible';

  async function refresh(): Promise<void> {
    timer = undefined;
    if (!visible()) return;
    const d = (await ctx.details?.()) ?? null;
    if (!visible()) return;
    if (d !== null) {
      replace(path.value, `${candidateText(d.local)} ↔ ${candidateText(d.remote)}`);
      el.dataset.local = d.local?.type ?? '';
      el.dataset.remote = d.remote?.type ?? '';
      replace(rtt.value, d.rtt === null ? '—' : t('details.ms', { ms: Math.round(d.rtt * 1000) }));
      replace(bytes.value, t('details.bytesValue', { sent: d.bytesSent, received: d.bytesReceived }));
      replace(states.value, `ICE ${d.ice} · DTLS ${d.dtls} · SCTP ${d.sctp}`);
    }
    timer = setTimeout(() => void refresh(), DETAILS_REFRESH_MS);
  }
  const kick = () => {
    if (timer === undefined && visible()) void refresh();
  };
  const stop = () => {
    clearTimeout(timer);
    timer = undefined;
  };
  el.addEventListener('toggle', () => (el.open ? kick() : stop()));
  const onVisibility = () => (document.visibilityState === 'visible' ? kick() : stop());
  document.addEventListener('visibilitychange', onVisibility);

  return {
    el,
    update(state) {
      read.showError(state.inputError);
      const r = state.reconnect;
      const next = r?.code.text ?? '';
      if (next === shownCode) return;
      shownCode = next;
      if (r === null) return replace(answer);
      // Our answer to the other device's code: it must be carried back, so the panel opens to show it.
      el.open = true;
      replace(answer, h('p', { role: 'status' }, t('reconnect.answerHint')), codePanel(r.code, r.link, ctx));
    },
    dispose() {
      read.dispose();
      disposed = true;
      stop();
      document.removeEventListener('visibilitychange', onVisibility);
    },
  };
}
