// Just enough of the DOM for a screen built with src/ui/dom.ts to run in node, counting every element created.
// Installed as globalThis.document for one test; the real browser behaviour is covered by the e2e suites.

export class FakeNode {
  parentNode: FakeNode | null = null;
  readonly childNodes: FakeNode[] = [];
  constructor(
    readonly nodeName: string,
    readonly text = '',
  ) {}

  get firstChild(): FakeNode | null {
    return this.childNodes[0] ?? null;
  }
  get nextSibling(): FakeNode | null {
    const siblings = this.parentNode?.childNodes ?? [];
    return siblings[siblings.indexOf(this) + 1] ?? null;
  }
  get textContent(): string {
    return this.text + this.childNodes.map((c) => c.textContent).join('');
  }
  append(...nodes: (FakeNode | string)[]): void {
    for (const n of nodes) this.insertBefore(typeof n === 'string' ? new FakeNode('#text', n) : n, null);
  }
  insertBefore(node: FakeNode, before: FakeNode | null): void {
    node.remove();
    const at = before === null ? this.childNodes.length : this.childNodes.indexOf(before);
    this.childNodes.splice(at, 0, node);
    node.parentNode = this;
  }
  remove(): void {
    const siblings = this.parentNode?.childNodes;
    if (siblings !== undefined) siblings.splice(siblings.indexOf(this), 1);
    this.parentNode = null;
  }
  replaceWith(node: FakeNode): void {
    const parent = this.parentNode;
    if (parent === null) return;
    parent.insertBefore(node, this);
    this.remove();
  }
  replaceChildren(...nodes: (FakeNode | string)[]): void {
    for (const c of [...this.childNodes]) c.remove();
    this.append(...nodes);
  }
}

export class FakeElement extends FakeNode {
  readonly attributes = new Map<string, string>();
  value = '';
  hidden = false;
  scrollTop = 0;
  scrollHeight = 0;
  clientHeight = 0;
  readonly dataset: Record<string, string> = {};
  setAttribute(name: string, value: string): void {
    this.attributes.set(name, value);
  }
  getAttribute(name: string): string | null {
    return this.attributes.get(name) ?? null;
  }
  addEventListener(): void {}
  removeEventListener(): void {}
}

/** A document whose createElement counts; `install()` puts it in globalThis and returns the way back. */
export function fakeDocument() {
  let created = 0;
  const doc = {
    createElement: (tag: string) => {
      created++;
      return new FakeElement(tag.toUpperCase());
    },
  };
  return {
    created: () => created,
    install(): () => void {
      const g = globalThis as { document?: unknown };
      const was = g.document;
      g.document = doc;
      return () => {
        g.document = was;
      };
    },
  };
}
