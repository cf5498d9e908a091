// Characters XML 1.0 cannot carry at all, not even escaped: C0 controls other than tab, line feed and
// carriage return, lone surrogates, U+FFFE and U+FFFF. They are dropped rather than break a feed.
const notXmlChar = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

const entities: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

/** Escapes text for XML content or a (double- or single-quoted) attribute value. */
export function escapeXml(text: string): string {
  return text.replace(notXmlChar, '').replace(/[&<>"']/g, (char) => entities[char] ?? char);
}

/** A tagged-template helper: values are escaped, the template's own markup is not. Arrays are joined. */
export function xml(strings: TemplateStringsArray, ...values: (string | number | XmlFragment | XmlFragment[] | null | undefined)[]): XmlFragment {
  let out = strings[0] ?? '';
  values.forEach((value, index) => {
    out += fragmentText(value) + (strings[index + 1] ?? '');
  });
  return new XmlFragment(out);
}

/** Markup that has been built by `xml` and must not be escaped again. */
export class XmlFragment {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

function fragmentText(value: string | number | XmlFragment | XmlFragment[] | null | undefined): string {
  if (value === null || value === undefined) return '';
  if (value instanceof XmlFragment) return value.text;
  if (Array.isArray(value)) return value.map((item) => item.text).join('');
  return escapeXml(String(value));
}

/** An XML document: the declaration, then the root element. */
export function xmlDocument(root: XmlFragment): string {
  return `<?xml version="1.0" encoding="utf-8"?>\n${root.text}\n`;
}

/** RFC 3339 (Atom, sitemaps, schema.org): "2024-03-25T06:33:38Z". */
export function rfc3339(instant: Date): string {
  return instant.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** RFC 822 as RSS 2.0 wants it: "Mon, 25 Mar 2024 06:33:38 GMT". */
export function rfc822(instant: Date): string {
  return instant.toUTCString();
}
