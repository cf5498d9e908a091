import { describe, expect, it } from 'vitest';
import { cjkTsquery, hasSearchTerms, headlineStandIns, highlight, markEnd, markStart, parseSearchQuery } from './search-text.ts';

describe('parseSearchQuery', () => {
  it('splits Latin words from Chinese runs', () => {
    expect(parseSearchQuery('妇联 Wang Dongmei 京津冀')).toEqual({ latin: 'Wang Dongmei', cjk: ['妇联', '京津冀'] });
    expect(parseSearchQuery('北京市妇联2024年')).toEqual({ latin: '2024', cjk: ['北京市妇联', '年'] });
  });

  it('folds full-width forms and drops control and marker characters', () => {
    expect(parseSearchQuery('ｅｘｃｈａｎｇｅ\u0000\uE000妇联')).toEqual({ latin: 'exchange', cjk: ['妇联'] });
  });

  it('keeps exclusions only beside something positive', () => {
    expect(parseSearchQuery('federation -tianjin').latin).toBe('federation -tianjin');
    expect(parseSearchQuery('-tianjin').latin).toBe('tianjin');
    expect(parseSearchQuery('妇联 -tianjin').latin).toBe('-tianjin');
  });

  it('finds nothing to look for in punctuation', () => {
    expect(hasSearchTerms(parseSearchQuery('  "" -- ，。 '))).toBe(false);
    expect(hasSearchTerms(parseSearchQuery('<script>'))).toBe(true);
  });
});

describe('cjkTsquery', () => {
  it('makes each run a phrase of its bigrams, one character a prefix, and ANDs the runs', () => {
    expect(cjkTsquery([])).toBe('');
    expect(cjkTsquery(['妇联'])).toBe("'妇联'");
    expect(cjkTsquery(['京津冀'])).toBe("('京津' <-> '津冀')");
    expect(cjkTsquery(['妇', '京津冀'])).toBe("'妇':* & ('京津' <-> '津冀')");
    expect(cjkTsquery(['妇', '京津冀'], 'all')).toBe("'妇':* & ('京津' & '津冀')");
  });
});

describe('highlight', () => {
  it('marks Chinese runs and escapes everything else', () => {
    expect(highlight('<b>妇联</b> & "妇联"', ['妇联'])).toBe('&#60;b&#62;<mark>妇联</mark>&#60;/b&#62; &#38; &#34;<mark>妇联</mark>&#34;');
  });

  it('turns ts_headline markers into <mark> and restores its stand-ins', () => {
    const { fence, lessThan, ampersand } = headlineStandIns;
    const marked = `${markStart}Exchange${markEnd} ${lessThan}i> ${ampersand} ${fence}京津${fence}`;
    expect(highlight(marked, ['京津'])).toBe('<mark>Exchange</mark> &#60;i&#62; &#38; <mark>京津</mark>');
  });

  it('cannot be made to open a tag by unbalanced markers', () => {
    expect(highlight(`a${markEnd}b${markStart}<c`, [])).toBe('ab<mark>&#60;c</mark>');
  });

  it('cuts long text around the first match', () => {
    const text = `${'甲'.repeat(100)}妇联${'乙'.repeat(100)}`;
    const html = highlight(text, ['妇联'], 40);
    expect(html).toBe(`…${'甲'.repeat(10)}<mark>妇联</mark>${'乙'.repeat(28)}…`);
  });
});
