import { sql, type Kysely } from 'kysely';

/**
 * The media library: images uploaded to a site, with alternative text in both languages, and the
 * renditions made from each (widths 320, 640, 1280, never wider than the original, as WebP and in
 * the original's format). The files live in the media store under their rendition keys; the upload
 * itself is not kept, so its metadata (EXIF, GPS) is gone.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('media')
    .addColumn('id', 'integer', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    // Restrict: a site's rows go only with their files, through the library.
    .addColumn('site_id', 'integer', (c) => c.notNull().references('site.id').onDelete('restrict'))
    .addColumn('uploaded_by', 'integer', (c) => c.references('user_account.id').onDelete('set null'))
    .addColumn('original_name', 'text', (c) => c.notNull().check(sql`length(original_name) <= 255`))
    .addColumn('content_type', 'text', (c) =>
      c.notNull().check(sql`content_type in ('image/jpeg', 'image/png', 'image/webp', 'image/gif')`),
    )
    .addColumn('width', 'integer', (c) => c.notNull().check(sql`width > 0`))
    .addColumn('height', 'integer', (c) => c.notNull().check(sql`height > 0`))
    .addColumn('bytes', 'integer', (c) => c.notNull().check(sql`bytes > 0`))
    .addColumn('sha256', 'text', (c) => c.notNull().check(sql`sha256 ~ '^[0-9a-f]{64}$'`))
    .addColumn('alt_zh', 'text', (c) => c.notNull().check(sql`length(alt_zh) between 1 and 500`))
    .addColumn('alt_en', 'text', (c) => c.notNull().check(sql`length(alt_en) between 1 and 500`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('media_site_sha256_key', ['site_id', 'sha256'])
    .execute();
  // The library lists a site's images newest first.
  await db.schema.createIndex('media_site_created_idx').on('media').columns(['site_id', 'created_at desc', 'id desc']).execute();
  await db.schema.createIndex('media_uploaded_by_idx').on('media').column('uploaded_by').execute();

  await db.schema
    .createTable('media_rendition')
    .addColumn('media_id', 'integer', (c) => c.notNull().references('media.id').onDelete('cascade'))
    .addColumn('key', 'text', (c) => c.notNull().check(sql`key ~ '^[0-9a-f]{64}-[1-9][0-9]{0,4}\\.(webp|jpg|png|gif)$'`))
    .addColumn('content_type', 'text', (c) =>
      c.notNull().check(sql`content_type in ('image/jpeg', 'image/png', 'image/webp', 'image/gif')`),
    )
    .addColumn('width', 'integer', (c) => c.notNull().check(sql`width > 0`))
    .addColumn('height', 'integer', (c) => c.notNull().check(sql`height > 0`))
    .addColumn('bytes', 'integer', (c) => c.notNull().check(sql`bytes > 0`))
    .addPrimaryKeyConstraint('media_rendition_pkey', ['media_id', 'key'])
    .execute();
  // The same upload on two sites shares its files: a file goes when no rendition names its key.
  await db.schema.createIndex('media_rendition_key_idx').on('media_rendition').column('key').execute();
}

/** Drops what `up` made; the stored files stay where they are. */
export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('media_rendition').execute();
  await db.schema.dropTable('media').execute();
}
