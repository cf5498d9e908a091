import { describe, expect, it } from 'vitest';
import { effectiveStatus, makesCycle, progressOf, rollUpMeasures, type ProgressSums } from './agreement.rules.ts';

/** Sums of commitments given as [weight, progress] pairs. */
function sums(...commitments: [number, number][]): ProgressSums {
  return commitments.reduce(
    (total, [weight, progress]) => ({ weighted: total.weighted + weight * progress, weight: total.weight + weight, count: total.count + 1 }),
    { weighted: 0, weight: 0, count: 0 },
  );
}

describe('rolling progress up by weight', () => {
  it('weighs each commitment by its weight: 2 × 100% and 1 × 40% make 80%', () => {
    expect(progressOf(sums([2, 100], [1, 40]))).toBe(80);
    expect(progressOf(sums([1, 100], [1, 40]))).toBe(70);
  });

  it('has no progress when nothing counts', () => {
    expect(progressOf(sums())).toBeNull();
  });

  it('rolls a parent measure up from its own commitments and the measures below it, at any depth', () => {
    const measures = [
      { id: 1, parentId: null },
      { id: 2, parentId: 1 },
      { id: 3, parentId: 1 },
      { id: 4, parentId: 3 },
      { id: 5, parentId: null },
    ];
    const direct = new Map([
      [1, sums([1, 0])],
      [2, sums([2, 100])],
      [4, sums([1, 50], [1, 50])],
    ]);
    const total = rollUpMeasures(measures, direct);
    expect(progressOf(total.get(2) ?? sums())).toBe(100);
    // Measure 3 has no commitment of its own: it is what is below it.
    expect(progressOf(total.get(3) ?? sums())).toBe(50);
    // Measure 1: 1 × 0 + 2 × 100 + 2 × 50, over a weight of 5.
    expect(progressOf(total.get(1) ?? sums())).toBe(60);
    expect(total.get(1)?.count).toBe(4);
    expect(progressOf(total.get(5) ?? sums())).toBeNull();
  });

  it('ends on a broken tree instead of looping', () => {
    const total = rollUpMeasures(
      [
        { id: 1, parentId: 2 },
        { id: 2, parentId: 1 },
      ],
      new Map([[1, sums([1, 30])]]),
    );
    expect(total.size).toBe(2);
  });
});

describe('overdue', () => {
  it('is an open commitment whose due date has passed', () => {
    expect(effectiveStatus('in_progress', '2026-11-23', '2026-11-24')).toBe('overdue');
    expect(effectiveStatus('not_started', '2026-11-23', '2026-11-24')).toBe('overdue');
  });

  it('is not a commitment due today, one without a due date, or one done or dropped', () => {
    expect(effectiveStatus('in_progress', '2026-11-24', '2026-11-24')).toBe('in_progress');
    expect(effectiveStatus('in_progress', null, '2026-11-24')).toBe('in_progress');
    expect(effectiveStatus('done', '2020-01-01', '2026-11-24')).toBe('done');
    expect(effectiveStatus('dropped', '2020-01-01', '2026-11-24')).toBe('dropped');
  });
});

describe('parent measures', () => {
  const measures = [
    { id: 1, parentId: null },
    { id: 2, parentId: 1 },
    { id: 3, parentId: 2 },
  ];

  it('refuses putting a measure under itself or under a measure below it', () => {
    expect(makesCycle(measures, 1, 1)).toBe(true);
    expect(makesCycle(measures, 1, 3)).toBe(true);
  });

  it('allows any other parent', () => {
    expect(makesCycle(measures, 3, 1)).toBe(false);
    expect(makesCycle(measures, 2, null)).toBe(false);
  });
});
