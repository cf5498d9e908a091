/**
 * Finds what in an HTML document could run script: a <script> that is not JSON-LD data, an event
 * handler attribute, a javascript:/vbscript:/data: address, an element that embeds or styles
 * (iframe, object, embed, svg, math, style, base, meta http-equiv), or a style attribute with an
 * expression or a URL. Tags are read the way the HTML tokenizer reads them: a tag opens at "<" and a
 * letter, its attributes end at an unquoted ">", and the raw text of script, style, textarea and
 * title is skipped to its end tag. Entities in attribute values are decoded before looking.
 */
export function findExecutableHtml(html: string): string[] {
  const problems: string[] = [];
  // noscript too: a browser that runs script reads its content as raw text.
  const rawText = new Set(['script', 'style', 'textarea', 'title', 'xmp', 'iframe', 'noembed', 'noframes', 'noscript', 'plaintext']);
  const forbiddenElements = new Set(['iframe', 'object', 'embed', 'svg', 'math', 'style', 'base', 'frame', 'frameset', 'applet']);
  const urlAttributes = new Set(['href', 'src', 'action', 'formaction', 'xlink:href', 'data', 'poster', 'srcset', 'background']);
  let at = 0;
  while (at < html.length) {
    const open = html.indexOf('<', at);
    if (open === -1) break;
    if (html.startsWith('<!--', open)) {
      const end = html.indexOf('-->', open + 4);
      at = end === -1 ? html.length : end + 3;
      continue;
    }
    const nameMatch = /^<([a-zA-Z][^\s/>]*)/.exec(html.slice(open, open + 100));
    if (!nameMatch?.[1]) {
      at = open + 1;
      continue;
    }
    const name = nameMatch[1].toLowerCase();
    let cursor = open + nameMatch[0].length;
    const attributes: [string, string][] = [];
    // Attributes until an unquoted ">".
    for (;;) {
      while (cursor < html.length && /[\s/]/.test(html.charAt(cursor))) cursor += 1;
      if (cursor >= html.length || html.charAt(cursor) === '>') break;
      const attrName = /^[^\s/>=]+/.exec(html.slice(cursor))?.[0] ?? html.charAt(cursor);
      cursor += attrName.length;
      while (cursor < html.length && /\s/.test(html.charAt(cursor))) cursor += 1;
      let value = '';
      if (html.charAt(cursor) === '=') {
        cursor += 1;
        while (cursor < html.length && /\s/.test(html.charAt(cursor))) cursor += 1;
        const quote = html.charAt(cursor);
        if (quote === '"' || quote === "'") {
          const end = html.indexOf(quote, cursor + 1);
          value = html.slice(cursor + 1, end === -1 ? html.length : end);
          cursor = end === -1 ? html.length : end + 1;
        } else {
          value = /^[^\s>]*/.exec(html.slice(cursor))?.[0] ?? '';
          cursor += value.length;
        }
      }
      attributes.push([attrName.toLowerCase(), decodeEntities(value)]);
    }
    at = cursor + 1;
    const attribute = (wanted: string) => attributes.find(([key]) => key === wanted)?.[1];

    if (name === 'script') {
      if (attribute('type') !== 'application/ld+json') problems.push(`a <script> element: ${html.slice(open, open + 80)}`);
    } else if (forbiddenElements.has(name)) {
      problems.push(`a <${name}> element`);
    } else if (name === 'meta' && attribute('http-equiv') !== undefined) {
      problems.push('a <meta http-equiv>');
    }
    for (const [key, value] of attributes) {
      if (key.startsWith('on')) problems.push(`an event handler ${key}="${value}" on <${name}>`);
      if (urlAttributes.has(key) && /^\s*(javascript|vbscript|data|livescript):/i.test(value.replace(/[\u0000-\u001f]/g, ''))) {
        problems.push(`a ${value.split(':')[0]?.trim()}: address in ${key} on <${name}>`);
      }
      if (key === 'style' && /expression|url\s*\(|javascript|behavior|@import/i.test(value)) problems.push(`a style="${value}" on <${name}>`);
    }
    if (rawText.has(name)) {
      const close = html.toLowerCase().indexOf(`</${name}`, at);
      const content = html.slice(at, close === -1 ? html.length : close);
      if (name === 'script' && /<\/?[a-z!]/i.test(content)) problems.push('markup inside a JSON-LD script');
      at = close === -1 ? html.length : close;
    }
  }
  return problems;
}

function decodeEntities(value: string): string {
  return value.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);?/gi, (whole, body: string) => {
    if (body.startsWith('#x') || body.startsWith('#X')) return String.fromCodePoint(parseInt(body.slice(2), 16));
    if (body.startsWith('#')) return String.fromCodePoint(Number(body.slice(1)));
    const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", colon: ':', tab: '\t', newline: '\n' };
    return named[body.toLowerCase()] ?? whole;
  });
}
