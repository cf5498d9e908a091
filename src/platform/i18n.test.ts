import { describe, expect, it } from 'vitest';
import { negotiateLocale, t, translateMessage } from './i18n.ts';

describe('negotiateLocale', () => {
  it('follows the order and weights of Accept-Language', () => {
    expect(negotiateLocale('zh-CN,zh;q=0.9,en;q=0.8', 'en')).toBe('zh');
    expect(negotiateLocale('en-US,en;q=0.9,zh-CN;q=0.8', 'zh')).toBe('en');
    expect(negotiateLocale('zh;q=0.2, en;q=0.7', 'zh')).toBe('en');
    expect(negotiateLocale('zh-TW', 'en')).toBe('zh');
  });

  it('falls back to the site language for nothing, a stranger or a refusal', () => {
    expect(negotiateLocale(undefined, 'zh')).toBe('zh');
    expect(negotiateLocale('fr-FR,de;q=0.5', 'zh')).toBe('zh');
    expect(negotiateLocale('en;q=0', 'zh')).toBe('zh');
    expect(negotiateLocale(';;;,,q=x', 'en')).toBe('en');
  });
});

describe('t', () => {
  it('fills placeholders in either language', () => {
    expect(t('en', 'pageOf', { page: 2, pages: 5 })).toBe('Page 2 of 5');
    expect(t('zh', 'pageOf', { page: 2, pages: 5 })).toBe('第 2 页，共 5 页');
  });
});

describe('translateMessage', () => {
  it('gives our English field messages their Chinese form on Chinese pages only', () => {
    expect(translateMessage('zh', 'The end date comes before the start date.')).toBe('终止日期早于起始日期。');
    expect(translateMessage('en', 'The end date comes before the start date.')).toBe('The end date comes before the start date.');
    expect(translateMessage('zh', 'something we never wrote')).toBe('something we never wrote');
  });
});
