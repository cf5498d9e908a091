import { sql, type Kysely } from 'kysely';

/**
 * Facilities: the women's homes, service centres, executive members' offices and other places where
 * federations serve women; their kinds and services (lists a deployment can extend), weekly opening
 * hours with dated exceptions, and photos from the media library.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  for (const table of ['facility_kind', 'service_type'] as const) {
    await db.schema
      .createTable(table)
      .addColumn('id', 'integer', (c) => c.primaryKey().generatedAlwaysAsIdentity())
      // A stable name for files and addresses ("womens_home"); names are for people.
      .addColumn('code', 'text', (c) => c.notNull().unique().check(sql`code ~ '^[a-z][a-z0-9_]{1,62}$'`))
      .addColumn('name_zh', 'text', (c) => c.notNull().check(sql`length(name_zh) between 1 and 100`))
      .addColumn('name_en', 'text', (c) => c.notNull().check(sql`length(name_en) between 1 and 100`))
      .addColumn('position', 'integer', (c) => c.notNull().defaultTo(0))
      .execute();
  }
  await sql`
    insert into facility_kind (code, name_zh, name_en, position) values
      ('womens_home', '妇女之家', 'Women''s home', 10),
      ('womens_service_centre', '妇女服务中心', 'Women''s service centre', 20),
      ('executive_member_office', '执委工作室', 'Executive committee member''s office', 30),
      ('community_service_block', '社区公共服务站', 'Community public service block', 40),
      ('womens_micro_home', '妇女微家', 'Women''s micro-home', 50),
      ('family_education_station', '家庭教育指导服务站', 'Family education guidance station', 60),
      ('childrens_home', '儿童之家', 'Children''s home', 70)`.execute(db);
  await sql`
    insert into service_type (code, name_zh, name_en, position) values
      ('rights_protection', '妇女维权', 'Rights protection', 10),
      ('legal_aid', '法律咨询与援助', 'Legal advice and aid', 20),
      ('family_mediation', '婚姻家庭纠纷调解', 'Marriage and family mediation', 30),
      ('psychological_counselling', '心理咨询', 'Psychological counselling', 40),
      ('family_education', '家庭教育指导', 'Family education guidance', 50),
      ('employment_training', '就业创业培训', 'Employment and entrepreneurship training', 60),
      ('health_services', '健康服务', 'Health services', 70),
      ('childcare', '托育与儿童关爱', 'Childcare and children''s care', 80),
      ('policy_consultation', '政策咨询', 'Policy consultation', 90),
      ('volunteer_services', '志愿服务', 'Volunteer services', 100)`.execute(db);

  await db.schema
    .createTable('facility')
    .addColumn('id', 'integer', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('kind_id', 'integer', (c) => c.notNull().references('facility_kind.id').onDelete('restrict'))
    .addColumn('name_zh', 'text', (c) => c.notNull().check(sql`length(name_zh) between 1 and 200`))
    .addColumn('name_en', 'text', (c) => c.notNull().defaultTo('').check(sql`length(name_en) <= 200`))
    .addColumn('place_id', 'integer', (c) => c.notNull().references('place.id').onDelete('restrict'))
    .addColumn('address_zh', 'text', (c) => c.notNull().defaultTo('').check(sql`length(address_zh) <= 300`))
    .addColumn('address_en', 'text', (c) => c.notNull().defaultTo('').check(sql`length(address_en) <= 300`))
    .addColumn('lat', 'numeric(9, 6)', (c) => c.check(sql`lat between -90 and 90`))
    .addColumn('lon', 'numeric(9, 6)', (c) => c.check(sql`lon between -180 and 180`))
    // Whose staff keep the record: a federation or a unit below one. Permissions follow it.
    .addColumn('operator_organization_id', 'integer', (c) => c.notNull().references('organization.id').onDelete('restrict'))
    // The organization whose premises it is in (a company hosting a centre), when not the operator.
    .addColumn('host_organization_id', 'integer', (c) => c.references('organization.id').onDelete('set null'))
    // The person whose office it is (an executive committee member), or who keeps it.
    .addColumn('keeper_person_id', 'integer', (c) => c.references('person.id').onDelete('set null'))
    .addColumn('description_zh', 'text', (c) => c.notNull().defaultTo('').check(sql`length(description_zh) <= 4000`))
    .addColumn('description_en', 'text', (c) => c.notNull().defaultTo('').check(sql`length(description_en) <= 4000`))
    .addColumn('phone', 'text', (c) => c.notNull().defaultTo('').check(sql`length(phone) <= 50`))
    .addColumn('email', 'text', (c) => c.notNull().defaultTo('').check(sql`length(email) <= 200`))
    .addColumn('website', 'text', (c) => c.notNull().defaultTo('').check(sql`length(website) <= 500`))
    .addColumn('accessibility_zh', 'text', (c) => c.notNull().defaultTo('').check(sql`length(accessibility_zh) <= 1000`))
    .addColumn('accessibility_en', 'text', (c) => c.notNull().defaultTo('').check(sql`length(accessibility_en) <= 1000`))
    .addColumn('status', 'text', (c) =>
      c.notNull().defaultTo('active').check(sql`status in ('active', 'temporarily_closed', 'closed')`),
    )
    // The day someone last checked that the record is true; a year without one puts it on the list to verify.
    .addColumn('verified_on', 'date')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint('facility_coordinates_check', sql`(lat is null) = (lon is null)`)
    .execute();
  await db.schema.createIndex('facility_place_idx').on('facility').column('place_id').execute();
  await db.schema.createIndex('facility_kind_idx').on('facility').column('kind_id').execute();
  await db.schema.createIndex('facility_operator_idx').on('facility').column('operator_organization_id').execute();
  await db.schema.createIndex('facility_host_idx').on('facility').column('host_organization_id').execute();
  await db.schema.createIndex('facility_keeper_idx').on('facility').column('keeper_person_id').execute();
  await db.schema.createIndex('facility_verified_idx').on('facility').column('verified_on').execute();
  // Search by name or address in either language, by part (trigrams, as for people and places).
  await sql`create index facility_search_trgm_idx on facility using gin (
    (name_zh || ' ' || name_en || ' ' || address_zh || ' ' || address_en) gin_trgm_ops)`.execute(db);

  await db.schema
    .createTable('facility_service')
    .addColumn('facility_id', 'integer', (c) => c.notNull().references('facility.id').onDelete('cascade'))
    .addColumn('service_type_id', 'integer', (c) => c.notNull().references('service_type.id').onDelete('restrict'))
    .addPrimaryKeyConstraint('facility_service_pk', ['facility_id', 'service_type_id'])
    .execute();
  await db.schema.createIndex('facility_service_type_idx').on('facility_service').columns(['service_type_id', 'facility_id']).execute();

  // The weekly schedule: ISO weekdays (1 = Monday), local times in the facility's zone (Asia/Shanghai).
  await db.schema
    .createTable('facility_hours')
    .addColumn('id', 'integer', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('facility_id', 'integer', (c) => c.notNull().references('facility.id').onDelete('cascade'))
    .addColumn('weekday', 'smallint', (c) => c.notNull().check(sql`weekday between 1 and 7`))
    .addColumn('opens', 'time', (c) => c.notNull())
    .addColumn('closes', 'time', (c) => c.notNull())
    .addCheckConstraint('facility_hours_order_check', sql`closes > opens`)
    .execute();
  await db.schema.createIndex('facility_hours_facility_idx').on('facility_hours').columns(['facility_id', 'weekday']).execute();

  // A day that differs from the week: closed (no times) or open at other hours (one row per interval).
  await db.schema
    .createTable('facility_hours_exception')
    .addColumn('id', 'integer', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('facility_id', 'integer', (c) => c.notNull().references('facility.id').onDelete('cascade'))
    .addColumn('on_date', 'date', (c) => c.notNull())
    .addColumn('opens', 'time')
    .addColumn('closes', 'time')
    .addColumn('note_zh', 'text', (c) => c.notNull().defaultTo('').check(sql`length(note_zh) <= 200`))
    .addColumn('note_en', 'text', (c) => c.notNull().defaultTo('').check(sql`length(note_en) <= 200`))
    .addCheckConstraint('facility_hours_exception_times_check', sql`(opens is null) = (closes is null)`)
    .addCheckConstraint('facility_hours_exception_order_check', sql`closes > opens`)
    .execute();
  await db.schema
    .createIndex('facility_hours_exception_facility_idx')
    .on('facility_hours_exception')
    .columns(['facility_id', 'on_date'])
    .execute();

  await db.schema
    .createTable('facility_photo')
    .addColumn('facility_id', 'integer', (c) => c.notNull().references('facility.id').onDelete('cascade'))
    .addColumn('media_id', 'integer', (c) => c.notNull().references('media.id').onDelete('cascade'))
    .addColumn('position', 'integer', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('facility_photo_pk', ['facility_id', 'media_id'])
    .execute();
  await db.schema.createIndex('facility_photo_media_idx').on('facility_photo').column('media_id').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['facility_photo', 'facility_hours_exception', 'facility_hours', 'facility_service', 'facility', 'service_type', 'facility_kind']) {
    await db.schema.dropTable(table).execute();
  }
}
