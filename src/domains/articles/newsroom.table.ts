import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';
import type { Locale } from '../../platform/i18n.ts';
import type { TranslationStatus } from './article.table.ts';

/** The steps an article_event records: the workflow's moves, and the article's creation. */
export const articleSteps = [
  'created',
  'submitted',
  'approved',
  'sent_back',
  'scheduled',
  'published',
  'unpublished',
  'archived',
  'reopened',
] as const;
export type ArticleStep = (typeof articleSteps)[number];

/** The article_event table: who took which step of an article's workflow, when, and what they said. */
export interface ArticleEventTable {
  /** bigint in PostgreSQL; pg hands it back as a string. */
  id: Generated<string>;
  article_id: number;
  step: ArticleStep;
  /** Null for the scheduler, or an account since deleted. */
  actor_user_id: number | null;
  at: Generated<Date>;
  comment: Generated<string>;
}

/** One language version as a revision keeps it. */
export interface RevisionTranslation {
  status: Exclude<TranslationStatus, 'missing'>;
  title: string;
  summary: string;
  /** The source the editors wrote; the HTML is made from it again on restore. */
  bodyMarkdown: string;
}

/** What a revision keeps of an article: everything an editor can change in the form. */
export interface RevisionSnapshot {
  slug: string;
  sectionId: number;
  tags: string[];
  /** ISO 8601 UTC. */
  publishAt: string;
  /** The cover image's media id; missing in revisions from before covers. */
  coverMediaId?: number | null;
  translations: Partial<Record<Locale, RevisionTranslation>>;
}

/** The article_revision table: the article's content after each save, numbered from 1. */
export interface ArticleRevisionTable {
  id: Generated<string>;
  article_id: number;
  number: number;
  /** Null for the content an article had before the newsroom first saved it, or an account since deleted. */
  author_user_id: number | null;
  created_at: Generated<Date>;
  /** jsonb: pg parses it on the way out; it goes in as JSON text. */
  snapshot: ColumnType<RevisionSnapshot, string, string>;
}

export type ArticleEventRow = Selectable<ArticleEventTable>;
export type NewArticleEventRow = Insertable<ArticleEventTable>;
export type ArticleRevisionRow = Selectable<ArticleRevisionTable>;
