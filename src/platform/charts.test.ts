import { describe, expect, it } from 'vitest';
import { isInert, renderProgressChart, renderStackedCountChart } from './charts.ts';

describe('server-drawn charts', () => {
  it('draw an SVG picture with its name for screen readers, every text escaped', async () => {
    const svg = await renderProgressChart({
      title: 'Progress of "measures" <by weight>',
      bars: [
        { label: 'x onclick=alert(1) <b>b</b>', percent: 62.5 },
        { label: '尚无承诺', percent: null },
      ],
    });
    expect(svg.startsWith('<svg role="img" aria-label="Progress of &quot;measures&quot; &lt;by weight&gt;"')).toBe(true);
    expect(svg).toContain('<title>Progress of &quot;measures&quot; &lt;by weight&gt;</title>');
    expect(svg).toMatch(/<text[^>]*>x onclick=alert\(1\) &lt;b&gt;b&lt;\/b&gt;<\/text>/);
    // Attributes stay well formed: no quote of ours ends one early.
    expect(svg).toMatch(/style="font-size:12px;font-family:Arial, 'Liberation Sans'[^"]*"/);
    expect(svg).toMatch(/<text[^>]*>63%<\/text>/);
    expect(svg).toMatch(/<text[^>]*>尚无承诺<\/text>/);
    expect(svg).not.toContain('<b>');
    expect(isInert(svg)).toBe(true);
  });

  it('stack counts by series with a legend, and draw the same figures to the same picture', async () => {
    const chart = {
      title: 'Commitments by status',
      categories: ['Beijing', 'Tianjin'],
      series: [
        { name: 'Done', color: '#1a7f37', counts: [2, 1] },
        { name: 'Overdue', color: '#cf222e', counts: [0, 3] },
      ],
    };
    const svg = await renderStackedCountChart(chart);
    expect(svg).toMatch(/<text[^>]*>Done<\/text>/);
    expect(svg).toMatch(/<text[^>]*>Overdue<\/text>/);
    expect(svg).toContain('fill="#cf222e"');
    expect(await renderStackedCountChart({ ...chart })).toBe(svg);
  });

  it('tell a picture that could run or load something from one that cannot', () => {
    expect(isInert('<svg><text x="1">a onclick=b &lt;script&gt;</text><rect aria-label="x onload=y"/></svg>')).toBe(true);
    for (const active of [
      '<svg><script>alert(1)</script></svg>',
      '<svg><rect onload="alert(1)"/></svg>',
      '<svg><rect x="1" ONMOUSEOVER=alert(1)></rect></svg>',
      '<svg><a href="javascript:alert(1)"><text>x</text></a></svg>',
      '<svg><foreignObject><div></div></foreignObject></svg>',
      '<svg><use xlink:href="data:image/svg+xml,x"/></svg>',
    ]) {
      expect(isInert(active), active).toBe(false);
    }
  });
});
