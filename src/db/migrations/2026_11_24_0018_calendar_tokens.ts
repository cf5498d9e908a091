import { sql, type Kysely } from 'kysely';

/**
 * What a personal token is for. An `api` token calls the JSON API in the Authorization header; a
 * `calendar` token only reads the activities' iCalendar feed, and is the one that may stand in the
 * feed's address, since calendar clients subscribe by address alone and send no header.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('api_token')
    .addColumn('scope', 'text', (c) => c.notNull().defaultTo('api').check(sql`scope in ('api', 'calendar')`))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('api_token').dropColumn('scope').execute();
}
