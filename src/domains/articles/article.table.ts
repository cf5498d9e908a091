import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';
import type { Locale } from '../../platform/i18n.ts';

/** The steps of the newsroom's workflow, in order; only `published` ones with a past publish_at reach the portal. */
export const articleStatuses = ['draft', 'submitted', 'approved', 'scheduled', 'published', 'unpublished', 'archived'] as const;

/** Where an article is in its life: draft → submitted → approved → scheduled | published → unpublished | archived. */
export type ArticleStatus = (typeof articleStatuses)[number];

/** How far a language version has come: missing (no row), draft, or reviewed (the only one readers see). */
export type TranslationStatus = 'missing' | 'draft' | 'reviewed';

/** The article table: what is common to all language versions of an update. */
export interface ArticleTable {
  id: Generated<number>;
  site_id: number;
  section_id: number;
  /** ASCII path segment shared by the language versions, unique per site. */
  slug: string;
  status: ArticleStatus;
  /** A UTC instant; shown in the site's time zone. */
  publish_at: Date;
  /** bigint in PostgreSQL; pg hands it back as a string. */
  view_count: ColumnType<string, number | string | undefined, never>;
  /** Up to 20 tags of up to 40 characters, as the editors typed them. */
  tags: Generated<string[]>;
  /** The cover image: one of the site's media (null: none, or since deleted). */
  cover_media_id: ColumnType<number | null, number | null | undefined, number | null>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

/** The article_translation table: one language version of an article. */
export interface ArticleTranslationTable {
  article_id: number;
  locale: Locale;
  title: string;
  summary: string;
  /** Sanitized HTML; never stored unsanitized. */
  body_html: string;
  /** A stored version is a draft or has been reviewed; a missing one has no row. Readers see reviewed ones only. */
  status: Generated<Exclude<TranslationStatus, 'missing'>>;
  /** The Markdown the body was written in (body_html is made from it); null when the body came as HTML. */
  body_markdown: Generated<string | null>;
}

export type ArticleRow = Selectable<ArticleTable>;
export type NewArticleRow = Insertable<ArticleTable>;
export type ArticleTranslationRow = Selectable<ArticleTranslationTable>;
export type NewArticleTranslationRow = Insertable<ArticleTranslationTable>;
