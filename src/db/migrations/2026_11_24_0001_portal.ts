import { sql, type Kysely } from 'kysely';

/** Organizations, sites, sections and bilingual articles with view counts. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('organization')
    .addColumn('id', 'integer', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('slug', 'text', (c) => c.notNull().unique())
    .addColumn('name_zh', 'text', (c) => c.notNull())
    .addColumn('name_en', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) =>
      c.notNull().check(sql`kind in ('federation', 'leadership_body', 'department', 'grassroots_federation', 'partner')`),
    )
    .addColumn('parent_id', 'integer', (c) => c.references('organization.id').onDelete('restrict'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('organization_parent_idx').on('organization').column('parent_id').execute();

  await db.schema
    .createTable('site')
    .addColumn('id', 'integer', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('slug', 'text', (c) => c.notNull().unique())
    .addColumn('organization_id', 'integer', (c) => c.notNull().references('organization.id').onDelete('restrict'))
    .addColumn('host', 'text', (c) => c.unique())
    .addColumn('is_default', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('default_locale', 'text', (c) => c.notNull().check(sql`default_locale in ('zh', 'en')`))
    .addColumn('time_zone', 'text', (c) => c.notNull().defaultTo('Asia/Shanghai'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  // At most one default site.
  await sql`create unique index site_one_default_idx on site (is_default) where is_default`.execute(db);

  await db.schema
    .createTable('section')
    .addColumn('id', 'integer', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('site_id', 'integer', (c) => c.notNull().references('site.id').onDelete('cascade'))
    .addColumn('parent_id', 'integer', (c) => c.references('section.id').onDelete('cascade'))
    .addColumn('slug', 'text', (c) => c.notNull().check(sql`slug ~ '^[a-z0-9][a-z0-9-]*$'`))
    .addColumn('name_zh', 'text', (c) => c.notNull())
    .addColumn('name_en', 'text', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  // Sibling slugs are unique; top-level sections (null parent) too.
  await sql`create unique index section_sibling_slug_idx on section (site_id, coalesce(parent_id, 0), slug)`.execute(db);

  await db.schema
    .createTable('article')
    .addColumn('id', 'integer', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('site_id', 'integer', (c) => c.notNull().references('site.id').onDelete('cascade'))
    .addColumn('section_id', 'integer', (c) => c.notNull().references('section.id').onDelete('restrict'))
    .addColumn('slug', 'text', (c) => c.notNull().check(sql`slug ~ '^[a-z0-9][a-z0-9-]*$'`))
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('draft', 'published', 'archived')`))
    .addColumn('publish_at', 'timestamptz', (c) => c.notNull())
    .addColumn('view_count', 'bigint', (c) => c.notNull().defaultTo(0).check(sql`view_count >= 0`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('article_site_slug_key', ['site_id', 'slug'])
    .execute();
  // The portal lists published articles of a section newest first.
  await db.schema
    .createIndex('article_section_publish_idx')
    .on('article')
    .columns(['section_id', 'publish_at desc'])
    .where(sql.ref('status'), '=', 'published')
    .execute();
  await db.schema
    .createIndex('article_site_publish_idx')
    .on('article')
    .columns(['site_id', 'publish_at desc'])
    .where(sql.ref('status'), '=', 'published')
    .execute();

  await db.schema
    .createTable('article_translation')
    .addColumn('article_id', 'integer', (c) => c.notNull().references('article.id').onDelete('cascade'))
    .addColumn('locale', 'text', (c) => c.notNull().check(sql`locale in ('zh', 'en')`))
    .addColumn('title', 'text', (c) => c.notNull().check(sql`length(title) between 1 and 300`))
    .addColumn('summary', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('body_html', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('article_translation_pkey', ['article_id', 'locale'])
    .execute();
}

/** Drops what `up` made. */
export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['article_translation', 'article', 'section', 'site', 'organization']) {
    await db.schema.dropTable(table).execute();
  }
}
