// Server-rendered HTML as tagged templates: every interpolated value is escaped unless
// it is already Html (a fragment built the same way, or trusted markup such as the
// sanitised instructions). Escaping by default is what keeps a learner's display name
// or a check message from becoming markup.
export class Html {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

export type Interpolation = Html | string | number | boolean | null | undefined | readonly Interpolation[];

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

function render(value: Interpolation): string {
  if (value instanceof Html) return value.value;
  if (Array.isArray(value)) return value.map(render).join('');
  // null, undefined and false render as nothing, so `${cond && html`...`}` reads naturally.
  if (value === null || value === undefined || value === false) return '';
  return escapeHtml(String(value));
}

export function html(strings: TemplateStringsArray, ...values: Interpolation[]): Html {
  let out = strings[0]!;
  values.forEach((value, i) => {
    out += render(value) + strings[i + 1]!;
  });
  return new Html(out);
}

/** Markup produced by a trusted renderer (markdown-it with HTML disabled). */
export function trusted(markup: string): Html {
  return new Html(markup);
}

/** Data for a page's island: JSON in a script element, with `<` escaped so it cannot end the element. */
export function jsonScript(id: string, value: unknown): Html {
  return trusted(`<script type="application/json" id="${id}">${JSON.stringify(value).replace(/</g, '\\u003c')}</script>`);
}
