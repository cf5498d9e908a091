import { diffLines, diffWords, type Change } from 'diff';
import { locales, type Locale } from '../../platform/i18n.ts';
import type { RevisionSnapshot } from './newsroom.table.ts';

/** A run of text that both revisions share, or that only the older (removed) or newer (added) one has. */
export interface DiffPart {
  value: string;
  change: 'same' | 'added' | 'removed';
}

/** One field compared between two revisions. */
export interface FieldDiff {
  field: 'title' | 'summary' | 'body' | 'status' | 'slug' | 'section' | 'tags' | 'publishAt';
  /** The language version the field belongs to; none for what both share. */
  locale?: Locale;
  changed: boolean;
  parts: DiffPart[];
}

// Word boundaries per language: Chinese has no spaces, so a plain word diff would see a paragraph as one word.
const segmenters: Record<Locale, Intl.Segmenter> = {
  zh: new Intl.Segmenter('zh', { granularity: 'word' }),
  en: new Intl.Segmenter('en', { granularity: 'word' }),
};

function toParts(changes: Change[]): DiffPart[] {
  return changes.map((change) => ({ value: change.value, change: change.added ? 'added' : change.removed ? 'removed' : 'same' }));
}

/**
 * Compares two texts word by word (Chinese words found by the ICU segmenter). A long body whose word
 * diff takes too long is compared line by line instead.
 */
export function diffText(older: string, newer: string, locale: Locale): DiffPart[] {
  if (older === newer) return older === '' ? [] : [{ value: older, change: 'same' }];
  const words = diffWords(older, newer, { intlSegmenter: segmenters[locale], timeout: 500 });
  return toParts(words ?? diffLines(older, newer));
}

function field(name: FieldDiff['field'], older: string, newer: string, locale: Locale, versionLocale?: Locale): FieldDiff {
  return { field: name, locale: versionLocale, changed: older !== newer, parts: diffText(older, newer, locale) };
}

/**
 * Compares two revisions of an update: per language its title, summary, Markdown body and review
 * status; then the slug, section, tags and publish time both languages share. `describe` turns a
 * section id into its name for the reader.
 */
export function compareSnapshots(
  older: RevisionSnapshot,
  newer: RevisionSnapshot,
  readerLocale: Locale,
  describe: { section: (id: number) => string; publishAt: (iso: string) => string; status: (status: string) => string },
): FieldDiff[] {
  const diffs: FieldDiff[] = [];
  for (const locale of locales) {
    const a = older.translations[locale];
    const b = newer.translations[locale];
    diffs.push(field('title', a?.title ?? '', b?.title ?? '', locale, locale));
    diffs.push(field('summary', a?.summary ?? '', b?.summary ?? '', locale, locale));
    diffs.push(field('body', a?.bodyMarkdown ?? '', b?.bodyMarkdown ?? '', locale, locale));
    diffs.push(field('status', describe.status(a?.status ?? 'missing'), describe.status(b?.status ?? 'missing'), readerLocale, locale));
  }
  diffs.push(field('slug', older.slug, newer.slug, 'en'));
  diffs.push(field('section', describe.section(older.sectionId), describe.section(newer.sectionId), readerLocale));
  diffs.push(field('tags', older.tags.join(', '), newer.tags.join(', '), readerLocale));
  diffs.push(field('publishAt', describe.publishAt(older.publishAt), describe.publishAt(newer.publishAt), 'en'));
  return diffs;
}
