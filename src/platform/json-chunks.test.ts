import { describe, expect, it } from 'vitest';
import { jsonChunks } from './json-chunks.ts';

describe('jsonChunks', () => {
  const document = {
    version: '3.0',
    empty: [],
    nothing: null,
    skipped: undefined,
    nested: { a: [1, 2], b: 'x\ny' },
    items: Array.from({ length: 500 }, (_, n) => ({ id: n, name: `名称 ${n}`, tags: n % 2 === 0 ? [] : ['a', { b: n }], note: n % 3 === 0 ? null : '"quoted"' })),
    after: 'the end',
  };

  it('writes exactly what JSON.stringify writes, in pieces', () => {
    const pieces = [...jsonChunks(document, { size: 1000 })];
    expect(pieces.length).toBeGreaterThan(10);
    expect(pieces.join('')).toBe(JSON.stringify(document));
    expect([...jsonChunks({})].join('')).toBe('{}');
  });

  it('indents as JSON.stringify does when asked', () => {
    expect([...jsonChunks(document, { space: 2, size: 1000 })].join('')).toBe(JSON.stringify(document, null, 2));
    expect([...jsonChunks({}, { space: 2 })].join('')).toBe(JSON.stringify({}, null, 2));
  });
});
