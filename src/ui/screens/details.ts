// Connection details: the path in use (host / srflx / relay, UDP / TCP), round-trip time, bytes each way, and
// the ICE, DTLS and SCTP states, refreshed only while the panel is open and the page visible. Also a button to
// restart ICE by hand (the same in-band restart the app does by itself when the network changes).

import type { ConnectionDetails } from '../../rtc/index.ts';
import { h, replace } from '../dom.ts';
import type { ScreenContext } from '../screen.ts';
import type { Part } from './call.ts';

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
  const el = h(
    'details',
    { class: 'details', 'data-testid': 'details' },
    h('summary', {}, t('details.title')),
    h('dl', {}, ...path.nodes, ...rtt.nodes, ...bytes.nodes, ...states.nodes),
    restart,
  );

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
    update() {},
    dispose() {
      disposed = true;
      stop();
      document.removeEventListener('visibilitychange', onVisibility);
    },
  };
}
