import { describe, expect, it } from 'vitest';
import { childNamed, parseXml, textOf } from './xml.ts';

describe('the test XML reader', () => {
  it('reads a document with namespaces, entities and character references', () => {
    const root = parseXml('<?xml version="1.0" encoding="utf-8"?>\n<a xmlns:x="urn:x" b="1 &amp; 2"><x:c>&lt;p&gt; &#x4E2D;&#25991; &apos;</x:c><d/></a>\n');
    expect(root.attributes.b).toBe('1 & 2');
    expect(textOf(childNamed(root, 'x:c'))).toBe("<p> 中文 '");
  });

  it.each([
    ['an unclosed element', '<a><b></a>'],
    ['crossed tags', '<a><b></a></b>'],
    ['a bare <', '<a>1 < 2</a>'],
    ['a bare &', '<a>Tom & Jerry</a>'],
    ['an unknown entity', '<a>&nbsp;</a>'],
    ['< in an attribute', '<a b="<"/>'],
    ['a duplicate attribute', '<a b="1" b="2"/>'],
    ['an undeclared prefix', '<a><x:b/></a>'],
    ['two roots', '<a/><b/>'],
    ['text outside the root', '<a/>x'],
    ['a control character', '<a>\u0001</a>'],
    ['an unquoted attribute', '<a b=1/>'],
  ])('refuses %s', (_what, source) => {
    expect(() => parseXml(source)).toThrow();
  });
});
