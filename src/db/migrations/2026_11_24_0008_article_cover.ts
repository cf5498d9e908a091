import type { Kysely } from 'kysely';

/**
 * An update's cover image: an image of the site's media library, shown above the body on the
 * portal and given to link previews (og:image). Deleting the image leaves the update without one.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('article')
    .addColumn('cover_media_id', 'integer', (c) => c.references('media.id').onDelete('set null'))
    .execute();
  // Deleting an image looks for the updates that show it.
  await db.schema.createIndex('article_cover_media_idx').on('article').column('cover_media_id').where('cover_media_id', 'is not', null).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('article_cover_media_idx').ifExists().execute();
  await db.schema.alterTable('article').dropColumn('cover_media_id').execute();
}
