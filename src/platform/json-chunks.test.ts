import { describe, expect, it } from 'vitest';
import { indentedJsonChunks } from './json-chunks.ts';

describe('indentedJsonChunks', () => {
  it('writes exactly what JSON.stringify indents, in pieces', () => {
    const document = {
      version: '3.0',
      empty: [],
      nothing: null,
      skipped: undefined,
      nested: { a: [1, 2], b: 'x\ny' },
      items: Array.from({ length: 500 }, (_, n) => ({ id: n, name: `名称 ${n}`, tags: n % 2 === 0 ? [] : ['a', { b: n }], note: n % 3 === 0 ? null : '"quoted"' })),
      after: 'the end',
    };
    const pieces = [...indentedJsonChunks(document, 1000)];
    expect(pieces.length).toBeGreaterThan(10);
    expect(pieces.join('')).toBe(JSON.stringify(document, null, 2));
    expect([...indentedJsonChunks({})].join('')).toBe(JSON.stringify({}, null, 2));
  });
});
