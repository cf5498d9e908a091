import { sql, type Kysely } from 'kysely';

/**
 * The updates that report on activities: an update may report on several activities, an activity may
 * be reported in several updates. Deleting either takes the link with it.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('activity_article')
    .addColumn('activity_id', 'integer', (c) => c.notNull().references('activity.id').onDelete('cascade'))
    .addColumn('article_id', 'integer', (c) => c.notNull().references('article.id').onDelete('cascade'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('activity_article_pk', ['activity_id', 'article_id'])
    .execute();
  // The primary key serves an activity's updates; this serves an update's activities (and the cascade from article).
  await db.schema.createIndex('activity_article_article_idx').on('activity_article').columns(['article_id', 'activity_id']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('activity_article').execute();
}
