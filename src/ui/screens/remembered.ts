// Settings' list of remembered devices: each with its name and when it was verified, renamed or forgotten in
// place; "Forget all" asks once more. Redrawn only when the list changes, so a name being typed survives.

import type { AppState } from '../../app/controller.ts';
import type { RememberedDevice } from '../../app/recognise.ts';
import type { TrustIntent } from '../../app/trust.ts';
import { h, replace } from '../dom.ts';
import type { Screen, ScreenContext } from '../screen.ts';

export function rememberedSection(ctx: ScreenContext): Screen {
  const { t, send } = ctx;
  const trust = (intent: TrustIntent) => send({ type: 'trust', intent });
  const list = h('ul', { class: 'remembered' });
  const empty = h('p', { class: 'muted' }, t('remembered.empty'));
  const confirm = h(
    'div',
    { class: 'stack', role: 'group', 'aria-label': t('remembered.forgetAllQuestion') },
    h('p', {}, t('remembered.forgetAllQuestion')),
    h(
      'div',
      { class: 'row' },
      h(
        'button',
        { type: 'button', class: 'danger', onclick: () => trust({ type: 'forget-all' }) },
        t('remembered.forgetAllYes'),
      ),
      h('button', { type: 'button', onclick: () => show(false) }, t('remembered.cancel')),
    ),
  );
  const forgetAll = h(
    'button',
    { type: 'button', 'data-testid': 'forget-all', onclick: () => show(true) },
    t('remembered.forgetAll'),
  );
  const show = (asking: boolean) => {
    confirm.hidden = !asking;
    forgetAll.hidden = asking;
  };
  const el = h(
    'section',
    { class: 'stack', 'aria-labelledby': 'remembered-title' },
    h('h2', { id: 'remembered-title', class: 'remembered-title' }, t('remembered.title')),
    h('p', { class: 'muted' }, t('remembered.safari')),
    empty,
    list,
    forgetAll,
    confirm,
  );
  let shown: readonly RememberedDevice[] | null | undefined;

  function row(d: RememberedDevice): HTMLElement {
    const name = d.name === '' ? t('remembered.unnamed') : d.name;
    const when = new Date(d.verifiedAt).toLocaleDateString(document.documentElement.lang || undefined);
    const field = h('input', {
      type: 'text',
      class: 'new-name',
      value: d.name,
      autocomplete: 'off',
      'aria-label': t('remembered.newName', { name }),
    });
    const form = h(
      'form',
      { class: 'row', hidden: true },
      field,
      h('button', { type: 'submit', class: 'primary' }, t('remembered.save')),
    );
    form.addEventListener('submit', (ev) => {
      ev.preventDefault();
      trust({ type: 'rename', fingerprint: d.fingerprint, name: field.value });
    });
    const rename = h(
      'button',
      {
        type: 'button',
        'aria-label': t('remembered.renameNamed', { name }),
        onclick: () => {
          form.hidden = false;
          rename.hidden = true;
          field.focus();
        },
      },
      t('remembered.rename'),
    );
    const forget = h(
      'button',
      {
        type: 'button',
        'aria-label': t('remembered.forgetNamed', { name }),
        onclick: () => trust({ type: 'forget', fingerprint: d.fingerprint }),
      },
      t('remembered.forget'),
    );
    return h(
      'li',
      {},
      h('strong', {}, name),
      h('span', { class: 'muted' }, t('remembered.verified', { date: when })),
      h('div', { class: 'row' }, rename, forget),
      form,
    );
  }

  return {
    el,
    update(state: AppState) {
      const devices = state.trust.devices;
      if (devices === shown) return;
      shown = devices;
      const none = devices === null || devices.length === 0;
      empty.hidden = !none;
      list.hidden = none;
      show(false);
      forgetAll.hidden = none;
      replace(list, ...(devices ?? []).map(row));
    },
    dispose() {},
  };
}
