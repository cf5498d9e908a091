import { sql, type Kysely } from 'kysely';

/**
 * The newsroom: the editorial workflow of an article (draft → submitted → approved → scheduled |
 * published → unpublished | archived), who took each step and when (article_event), a review state
 * per language version, tags, numbered revisions with a snapshot of the content, and a per-site
 * setting that lets an editor publish her own work without a second person.
 *
 * Existing articles stay published; their language versions count as reviewed.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table article drop constraint article_status_check`.execute(db);
  await sql`
    alter table article add constraint article_status_check
      check (status in ('draft', 'submitted', 'approved', 'scheduled', 'published', 'unpublished', 'archived'))`.execute(db);
  await sql`alter table article add column tags text[] not null default '{}'`.execute(db);
  await sql`alter table article add constraint article_tags_check check (cardinality(tags) <= 20)`.execute(db);
  // The scheduler looks for scheduled articles whose time has come, every second, in every process.
  await sql`create index article_scheduled_idx on article (publish_at) where status = 'scheduled'`.execute(db);

  // No row for a language means that version is missing; a row is a draft or has been reviewed. The
  // default keeps writers that predate the newsroom (demo loader, imports) publishing as before; the
  // newsroom always says which.
  await sql`alter table article_translation add column status text not null default 'reviewed'`.execute(db);
  await sql`alter table article_translation add constraint article_translation_status_check check (status in ('draft', 'reviewed'))`.execute(
    db,
  );
  // The Markdown the body was written in; null for a body that came as HTML (the demo, imports).
  await sql`alter table article_translation add column body_markdown text`.execute(db);

  await db.schema
    .createTable('article_event')
    .addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('article_id', 'integer', (c) => c.notNull().references('article.id').onDelete('cascade'))
    .addColumn('step', 'text', (c) =>
      c
        .notNull()
        .check(sql`step in ('created', 'submitted', 'approved', 'sent_back', 'scheduled', 'published', 'unpublished', 'archived', 'reopened')`),
    )
    // Null: the scheduler (a scheduled article reaching its time), or an account since deleted.
    .addColumn('actor_user_id', 'integer', (c) => c.references('user_account.id').onDelete('set null'))
    .addColumn('at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('comment', 'text', (c) => c.notNull().defaultTo('').check(sql`length(comment) <= 2000`))
    .execute();
  await db.schema.createIndex('article_event_article_idx').on('article_event').columns(['article_id', 'at']).execute();

  await db.schema
    .createTable('article_revision')
    .addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('article_id', 'integer', (c) => c.notNull().references('article.id').onDelete('cascade'))
    .addColumn('number', 'integer', (c) => c.notNull().check(sql`number >= 1`))
    .addColumn('author_user_id', 'integer', (c) => c.references('user_account.id').onDelete('set null'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    // Both language versions, section, slug, tags and publish_at as they were after the save.
    .addColumn('snapshot', 'jsonb', (c) => c.notNull())
    .addUniqueConstraint('article_revision_number_key', ['article_id', 'number'])
    .execute();

  await sql`alter table site add column allow_self_publish boolean not null default false`.execute(db);
}

/** Drops what `up` made; articles in a workflow state the old check does not know become drafts. */
export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table site drop column allow_self_publish`.execute(db);
  await db.schema.dropTable('article_revision').execute();
  await db.schema.dropTable('article_event').execute();
  await sql`alter table article_translation drop column body_markdown`.execute(db);
  await sql`alter table article_translation drop column status`.execute(db);
  await sql`drop index article_scheduled_idx`.execute(db);
  await sql`alter table article drop column tags`.execute(db);
  await sql`alter table article drop constraint article_status_check`.execute(db);
  await sql`update article set status = 'draft' where status not in ('draft', 'published', 'archived')`.execute(db);
  await sql`alter table article add constraint article_status_check check (status in ('draft', 'published', 'archived'))`.execute(db);
}
