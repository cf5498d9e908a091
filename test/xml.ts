/**
 * A small, strict XML 1.0 reader for tests: it refuses what a conforming parser refuses in the
 * documents we produce (unbalanced or crossed tags, a bare `<` or `&`, an unknown entity, a duplicate
 * attribute, an undeclared namespace prefix, a character XML cannot carry, text outside the root)
 * and hands back the element tree. No DTDs: our documents have none.
 */

/** An element with its attributes and children (text already unescaped). */
export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: (XmlElement | string)[];
}

const nameStart = 'A-Za-z_:\\u00C0-\\u00D6\\u00D8-\\u00F6\\u00F8-\\u02FF\\u0370-\\u037D\\u037F-\\u1FFF\\u200C-\\u200D\\u2070-\\u218F\\u2C00-\\u2FEF\\u3001-\\uD7FF\\uF900-\\uFDCF\\uFDF0-\\uFFFD';
const nameRe = new RegExp(`^[${nameStart}][${nameStart}\\-.0-9\\u00B7\\u0300-\\u036F\\u203F-\\u2040]*`);
const badChar = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;
const predefined: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/** Thrown for a document that is not well-formed, with the offset where reading stopped. */
export class XmlError extends Error {}

function unescape(raw: string, at: number): string {
  return raw.replace(/&([^;&<]*);|&/g, (whole, body: string | undefined) => {
    if (body === undefined) throw new XmlError(`bare & at ${at}`);
    if (body in predefined) return predefined[body] ?? '';
    const numeric = /^#(?:x([0-9a-fA-F]+)|([0-9]+))$/.exec(body);
    if (!numeric) throw new XmlError(`unknown entity &${body}; at ${at}`);
    const code = numeric[1] !== undefined ? parseInt(numeric[1], 16) : Number(numeric[2]);
    const char = code <= 0x10ffff ? String.fromCodePoint(code) : '\u0000';
    if (badChar.test(char)) throw new XmlError(`character reference to a character XML cannot carry at ${at}`);
    return char;
  });
}

/** Parses a complete document; throws XmlError if it is not well-formed. */
export function parseXml(source: string): XmlElement {
  const text = source.replace(/^\uFEFF/, '');
  const bad = badChar.exec(text);
  if (bad) throw new XmlError(`character U+${bad[0].codePointAt(0)?.toString(16)} XML cannot carry at ${bad.index}`);
  let pos = 0;
  const stack: { element: XmlElement; namespaces: Set<string> }[] = [];
  let root: XmlElement | undefined;

  const fail = (message: string): never => {
    throw new XmlError(`${message} at ${pos}: ${JSON.stringify(text.slice(pos, pos + 40))}`);
  };
  const readName = (): string => {
    const match = nameRe.exec(text.slice(pos));
    if (!match) return fail('expected a name');
    pos += match[0].length;
    return match[0];
  };
  const skipSpace = (): boolean => {
    const start = pos;
    while (pos < text.length && ' \t\r\n'.includes(text[pos] ?? '')) pos += 1;
    return pos > start;
  };
  const checkPrefix = (name: string, namespaces: Set<string>, isAttribute: boolean) => {
    const colon = name.indexOf(':');
    if (colon === -1) return;
    const prefix = name.slice(0, colon);
    if (prefix === 'xml' || (isAttribute && prefix === 'xmlns')) return;
    if (!namespaces.has(prefix)) fail(`undeclared namespace prefix "${prefix}"`);
  };

  if (text.startsWith('<?xml')) {
    const end = text.indexOf('?>');
    if (end === -1 || !/^<\?xml\s+version="1\.[0-9]"(\s+encoding="[A-Za-z][\w.-]*")?(\s+standalone="(yes|no)")?\s*\?>$/.test(text.slice(0, end + 2))) {
      fail('bad XML declaration');
    }
    pos = end + 2;
  }

  while (pos < text.length) {
    if (text.startsWith('<!--', pos)) {
      const end = text.indexOf('-->', pos + 4);
      if (end === -1 || text.slice(pos + 4, end).includes('--')) fail('bad comment');
      pos = end + 3;
    } else if (text.startsWith('<![CDATA[', pos)) {
      if (stack.length === 0) fail('CDATA outside the root');
      const end = text.indexOf(']]>', pos);
      if (end === -1) fail('unterminated CDATA');
      stack.at(-1)?.element.children.push(text.slice(pos + 9, end));
      pos = end + 3;
    } else if (text.startsWith('<!', pos)) {
      fail('DOCTYPE and declarations are not expected');
    } else if (text.startsWith('<?', pos)) {
      pos += 2;
      if (readName().toLowerCase() === 'xml') fail('XML declaration not at the start');
      const end = text.indexOf('?>', pos);
      if (end === -1) fail('unterminated processing instruction');
      pos = end + 2;
    } else if (text.startsWith('</', pos)) {
      pos += 2;
      const name = readName();
      skipSpace();
      if (text[pos] !== '>') fail('expected > after the end tag');
      pos += 1;
      const open = stack.pop();
      if (!open) return fail(`end tag </${name}> with nothing open`);
      if (open.element.name !== name) fail(`</${name}> closes <${open.element.name}>`);
      if (stack.length === 0) root = open.element;
    } else if (text[pos] === '<') {
      if (stack.length === 0 && root !== undefined) fail('a second root element');
      pos += 1;
      const element: XmlElement = { name: readName(), attributes: {}, children: [] };
      const namespaces = new Set(stack.at(-1)?.namespaces ?? []);
      const rawAttributes: [string, string][] = [];
      for (;;) {
        const spaced = skipSpace();
        if (text.startsWith('/>', pos) || text[pos] === '>') break;
        if (!spaced) fail('expected a space between attributes');
        const name = readName();
        skipSpace();
        if (text[pos] !== '=') fail('expected =');
        pos += 1;
        skipSpace();
        const quote = text[pos];
        if (quote !== '"' && quote !== "'") return fail('expected a quoted value');
        const end = text.indexOf(quote, pos + 1);
        if (end === -1) fail('unterminated attribute value');
        const raw = text.slice(pos + 1, end);
        if (raw.includes('<')) fail('< in an attribute value');
        if (rawAttributes.some(([seen]) => seen === name)) fail(`duplicate attribute ${name}`);
        rawAttributes.push([name, raw]);
        element.attributes[name] = unescape(raw, pos).replace(/[\t\n\r]/g, ' ');
        if (name.startsWith('xmlns:')) namespaces.add(name.slice(6));
        pos = end + 1;
      }
      checkPrefix(element.name, namespaces, false);
      for (const [name] of rawAttributes) checkPrefix(name, namespaces, true);
      stack.at(-1)?.element.children.push(element);
      if (text.startsWith('/>', pos)) {
        pos += 2;
        if (stack.length === 0) root = element;
      } else {
        pos += 1;
        stack.push({ element, namespaces });
      }
    } else {
      const end = text.indexOf('<', pos);
      const raw = text.slice(pos, end === -1 ? text.length : end);
      if (raw.includes(']]>')) fail(']]> in text');
      if (stack.length === 0) {
        if (raw.trim() !== '') fail('text outside the root element');
      } else {
        stack.at(-1)?.element.children.push(unescape(raw, pos));
      }
      pos += raw.length;
    }
  }
  if (stack.length > 0) fail(`<${stack.at(-1)?.element.name}> is never closed`);
  if (!root) return fail('no root element');
  return root;
}

/** The text inside an element, all descendants included. */
export function textOf(element: XmlElement): string {
  return element.children.map((child) => (typeof child === 'string' ? child : textOf(child))).join('');
}

/** The child elements with this name. */
export function childrenNamed(element: XmlElement, name: string): XmlElement[] {
  return element.children.filter((child): child is XmlElement => typeof child !== 'string' && child.name === name);
}

/** The first child element with this name; throws when there is none. */
export function childNamed(element: XmlElement, name: string): XmlElement {
  const child = childrenNamed(element, name)[0];
  if (!child) throw new Error(`<${element.name}> has no <${name}>`);
  return child;
}
