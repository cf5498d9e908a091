import { sql, type Kysely } from 'kysely';

/**
 * The places gazetteer: province > municipality > district > sub-district > community / village, with
 * the national administrative division code where one is known; organizations get a place.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('place')
    .addColumn('id', 'integer', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    // The national code (6 digits for a county-level division, 9 for a township, 12 for a
    // community or village). Null when not known: a code is never made up.
    .addColumn('code', 'text', (c) => c.unique().check(sql`code ~ '^[0-9]{6,12}$'`))
    // "/" separates the names of a place's path in the CSV's parent_code column.
    .addColumn('name_zh', 'text', (c) => c.notNull().check(sql`length(name_zh) between 1 and 200 and strpos(name_zh, '/') = 0`))
    // Many communities and villages have no English name on record: shown with the Chinese one.
    .addColumn('name_en', 'text', (c) => c.notNull().defaultTo('').check(sql`length(name_en) <= 200`))
    .addColumn('level', 'text', (c) =>
      c.notNull().check(sql`level in ('province', 'municipality', 'district', 'subdistrict', 'community', 'village')`),
    )
    .addColumn('parent_id', 'integer', (c) => c.references('place.id').onDelete('restrict'))
    .addColumn('lat', 'numeric(9, 6)', (c) => c.check(sql`lat between -90 and 90`))
    .addColumn('lon', 'numeric(9, 6)', (c) => c.check(sql`lon between -180 and 180`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint('place_coordinates_check', sql`(lat is null) = (lon is null)`)
    .addCheckConstraint('place_parent_check', sql`parent_id <> id`)
    .execute();
  await db.schema.createIndex('place_parent_idx').on('place').column('parent_id').execute();
  // A place without a code is known by its parent and its Chinese name (CSV import matches on them).
  await sql`create unique index place_uncoded_name_idx on place (coalesce(parent_id, 0), name_zh) where code is null`.execute(db);
  // Search: names by part (trigrams, as for people), codes by their leading digits.
  await sql`create extension if not exists pg_trgm`.execute(db);
  await sql`create index place_name_zh_trgm_idx on place using gin (name_zh gin_trgm_ops)`.execute(db);
  await sql`create index place_name_en_trgm_idx on place using gin (name_en gin_trgm_ops)`.execute(db);
  await sql`create index place_code_prefix_idx on place (code text_pattern_ops)`.execute(db);

  await db.schema
    .alterTable('organization')
    .addColumn('place_id', 'integer', (c) => c.references('place.id').onDelete('set null'))
    .execute();
  await db.schema.createIndex('organization_place_idx').on('organization').column('place_id').execute();
}

/** Drops what `up` made; the pg_trgm extension stays, as something else uses it. */
export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('organization_place_idx').execute();
  await db.schema.alterTable('organization').dropColumn('place_id').execute();
  await db.schema.dropTable('place').execute();
}
