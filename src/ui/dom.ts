// A tiny element builder: enough for a handful of screens without a framework on the first load.
// Text always goes in as text nodes, so nothing a peer sends can become markup.

type Child = Node | string | number | null | undefined | false;
type Attrs = Record<string, string | number | boolean | EventListener | null | undefined>;

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (typeof value === 'function') el.addEventListener(name.replace(/^on/, ''), value);
    else if (value === true) el.setAttribute(name, '');
    else el.setAttribute(name, String(value));
  }
  append(el, children);
  return el;
}

export function append(el: Element, children: Child[]): void {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    el.append(typeof c === 'number' ? String(c) : c);
  }
}

/** Replaces an element's children. */
export function replace(el: Element, ...children: Child[]): void {
  el.replaceChildren();
  append(el, children);
}

/** Our own QR renderer's SVG (no peer data in it) turned into a node without innerHTML on a live element. */
export function svgNode(svg: string): Node {
  const doc = new DOMParser().parseFromString(svg, 'image/svg+xml');
  return document.importNode(doc.documentElement, true);
}

/**
 * Runs a rebuild and gives the focus back to the field with the same test id in what it built, caret included:
 * when the connection drops mid-sentence the chat box is rebuilt, and on a phone a lost focus closes the keyboard.
 */
export function keepingFocus(root: Element, rebuild: () => void): void {
  const was = document.activeElement;
  const field = was instanceof HTMLTextAreaElement || was instanceof HTMLInputElement ? was : null;
  const id = field !== null && root.contains(field) ? field.dataset.testid : undefined;
  const caret = field === null ? null : [field.selectionStart, field.selectionEnd];
  rebuild();
  if (id === undefined || field === null) return;
  const next = root.querySelector(`[data-testid="${id}"]`);
  if (!(next instanceof HTMLTextAreaElement || next instanceof HTMLInputElement) || next === field) return;
  next.focus();
  if (caret?.[0] != null && caret[1] != null) next.setSelectionRange(caret[0], caret[1]);
}
