import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';
import type { Locale } from '../../platform/i18n.ts';

/** Where an article is in its life; only `published` ones with a past publish_at reach the portal. */
export type ArticleStatus = 'draft' | 'published' | 'archived';

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
}

export type ArticleRow = Selectable<ArticleTable>;
export type NewArticleRow = Insertable<ArticleTable>;
export type ArticleTranslationRow = Selectable<ArticleTranslationTable>;
export type NewArticleTranslationRow = Insertable<ArticleTranslationTable>;
