/** A tiny element builder: the client is small enough not to need a framework. */
type Child = Node | string | number | null | undefined | false;
type Attrs = Record<string, string | number | boolean | null | undefined | EventListener>;

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: (Child | Child[])[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (name.startsWith('on') && typeof value === 'function') el.addEventListener(name.slice(2).toLowerCase(), value);
    else if (name === 'value' && 'value' in el) (el as HTMLInputElement).value = String(value);
    else el.setAttribute(name, value === true ? '' : String(value));
  }
  append(el, children);
  return el;
}

export function append(el: Element, children: (Child | Child[])[]): void {
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : String(child));
  }
}

export function clear(el: Element, ...children: (Child | Child[])[]): void {
  el.replaceChildren();
  append(el, children);
}

/** Formats a number for display with a fixed number of significant decimals. */
export function fmt(value: number | null | undefined, digits = 2): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  return value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: 0 });
}

let nextId = 0;
/** A labelled input with an error slot linked by aria-describedby; `field` is the server's JSON path. */
export function field(label: string, input: HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement, fieldPath?: string): HTMLElement {
  const id = input.id || `f${++nextId}`;
  input.id = id;
  const error = h('div', { class: 'field-error', id: `${id}-error`, role: 'alert', 'aria-live': 'polite' });
  input.setAttribute('aria-describedby', error.id);
  if (fieldPath) input.dataset.field = fieldPath;
  return h('div', { class: 'field', 'data-field-wrapper': fieldPath ?? null }, h('label', { for: id }, label), input, error);
}
