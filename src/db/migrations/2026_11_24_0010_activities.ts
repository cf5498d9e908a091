import { sql, type Kysely } from 'kysely';

/**
 * Activities: exchange visits, field investigations, meetings and the like, with their kinds and topics
 * (lists a deployment can extend), organizers, an itinerary of stops, sessions with agenda items,
 * attendees (with the title they held that day, kept as it was), follow-ups and photos.
 *
 * The documents and measures an activity implements are linked by the agreements domain, which adds
 * its own table pointing here (activity_id); nothing in this migration needs to change for it.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  for (const table of ['activity_kind', 'activity_topic'] as const) {
    await db.schema
      .createTable(table)
      .addColumn('id', 'integer', (c) => c.primaryKey().generatedAlwaysAsIdentity())
      // A stable name for files, addresses and the API ("exchange_visit"); names are for people.
      .addColumn('code', 'text', (c) => c.notNull().unique().check(sql`code ~ '^[a-z][a-z0-9_]{1,62}$'`))
      .addColumn('name_zh', 'text', (c) => c.notNull().check(sql`length(name_zh) between 1 and 100`))
      .addColumn('name_en', 'text', (c) => c.notNull().check(sql`length(name_en) between 1 and 100`))
      .addColumn('position', 'integer', (c) => c.notNull().defaultTo(0))
      .execute();
  }
  await sql`
    insert into activity_kind (code, name_zh, name_en, position) values
      ('exchange_visit', '交流学习', 'Exchange visit', 10),
      ('field_investigation', '实地调研', 'Field investigation', 20),
      ('meeting', '会议座谈', 'Meeting', 30),
      ('training', '培训', 'Training', 40),
      ('service_event', '服务活动', 'Service event', 50),
      ('publicity_campaign', '宣传活动', 'Publicity campaign', 60)`.execute(db);
  await sql`
    insert into activity_topic (code, name_zh, name_en, position) values
      ('grassroots_governance', '妇女组织参与基层社会治理', 'Women''s organizations in grassroots governance', 10),
      ('executive_members', '基层妇联执委作用发挥', 'Roles of grassroots executive members', 20),
      ('service_facilities', '妇女服务阵地运行', 'Operation of women''s service facilities', 30),
      ('family_education', '家庭教育', 'Family education', 40),
      ('rights_protection', '妇女权益维护', 'Rights protection', 50),
      ('employment', '妇女就业创业', 'Employment and entrepreneurship', 60),
      ('party_building', '党建工作', 'Party-building work', 70),
      ('coordinated_development', '京津冀协同发展', 'Beijing-Tianjin-Hebei coordinated development', 80),
      ('womens_health', '妇女健康', 'Women''s health', 90),
      ('rural_revitalization', '巾帼助力乡村振兴', 'Women in rural revitalization', 100),
      ('volunteer_service', '巾帼志愿服务', 'Women''s volunteer service', 110),
      ('children_care', '儿童关爱', 'Care for children', 120)`.execute(db);

  await db.schema
    .createTable('activity')
    .addColumn('id', 'integer', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('kind_id', 'integer', (c) => c.notNull().references('activity_kind.id').onDelete('restrict'))
    .addColumn('title_zh', 'text', (c) => c.notNull().defaultTo('').check(sql`length(title_zh) <= 300`))
    .addColumn('title_en', 'text', (c) => c.notNull().defaultTo('').check(sql`length(title_en) <= 300`))
    .addColumn('summary_zh', 'text', (c) => c.notNull().defaultTo('').check(sql`length(summary_zh) <= 4000`))
    .addColumn('summary_en', 'text', (c) => c.notNull().defaultTo('').check(sql`length(summary_en) <= 4000`))
    .addColumn('starts_at', 'timestamptz', (c) => c.notNull())
    .addColumn('ends_at', 'timestamptz', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('planned').check(sql`status in ('planned', 'held', 'cancelled')`))
    .addColumn('visibility', 'text', (c) => c.notNull().defaultTo('network').check(sql`visibility in ('public', 'network', 'internal')`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint('activity_title_check', sql`title_zh <> '' or title_en <> ''`)
    .addCheckConstraint('activity_times_check', sql`ends_at >= starts_at`)
    .execute();
  // Lists run newest first, by date range, by kind; a title is searched by part (trigrams).
  await db.schema.createIndex('activity_starts_idx').on('activity').columns(['starts_at', 'id']).execute();
  await db.schema.createIndex('activity_kind_idx').on('activity').columns(['kind_id', 'starts_at']).execute();
  await sql`create index activity_title_trgm_idx on activity using gin ((title_zh || ' ' || title_en) gin_trgm_ops)`.execute(db);

  await db.schema
    .createTable('activity_topic_link')
    .addColumn('activity_id', 'integer', (c) => c.notNull().references('activity.id').onDelete('cascade'))
    .addColumn('topic_id', 'integer', (c) => c.notNull().references('activity_topic.id').onDelete('restrict'))
    .addPrimaryKeyConstraint('activity_topic_link_pk', ['activity_id', 'topic_id'])
    .execute();
  await db.schema.createIndex('activity_topic_link_topic_idx').on('activity_topic_link').columns(['topic_id', 'activity_id']).execute();

  // Every organizing federation or unit, whatever its role, may edit the activity.
  await db.schema
    .createTable('activity_organizer')
    .addColumn('activity_id', 'integer', (c) => c.notNull().references('activity.id').onDelete('cascade'))
    .addColumn('organization_id', 'integer', (c) => c.notNull().references('organization.id').onDelete('restrict'))
    .addColumn('role', 'text', (c) => c.notNull().check(sql`role in ('organizer', 'co_organizer', 'host')`))
    .addColumn('position', 'integer', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('activity_organizer_pk', ['activity_id', 'organization_id'])
    .execute();
  await db.schema.createIndex('activity_organizer_organization_idx').on('activity_organizer').columns(['organization_id', 'activity_id']).execute();

  // The itinerary: a stop is at a facility or, where there is none, at a place.
  await db.schema
    .createTable('activity_stop')
    .addColumn('id', 'integer', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('activity_id', 'integer', (c) => c.notNull().references('activity.id').onDelete('cascade'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('facility_id', 'integer', (c) => c.references('facility.id').onDelete('restrict'))
    .addColumn('place_id', 'integer', (c) => c.references('place.id').onDelete('restrict'))
    .addColumn('topic_id', 'integer', (c) => c.references('activity_topic.id').onDelete('set null'))
    .addColumn('starts_at', 'timestamptz')
    .addColumn('ends_at', 'timestamptz')
    .addColumn('purpose_zh', 'text', (c) => c.notNull().defaultTo('').check(sql`length(purpose_zh) <= 4000`))
    .addColumn('purpose_en', 'text', (c) => c.notNull().defaultTo('').check(sql`length(purpose_en) <= 4000`))
    .addColumn('observations_zh', 'text', (c) => c.notNull().defaultTo('').check(sql`length(observations_zh) <= 4000`))
    .addColumn('observations_en', 'text', (c) => c.notNull().defaultTo('').check(sql`length(observations_en) <= 4000`))
    .addColumn('findings_zh', 'text', (c) => c.notNull().defaultTo('').check(sql`length(findings_zh) <= 4000`))
    .addColumn('findings_en', 'text', (c) => c.notNull().defaultTo('').check(sql`length(findings_en) <= 4000`))
    .addCheckConstraint('activity_stop_where_check', sql`num_nonnulls(facility_id, place_id) = 1`)
    .addCheckConstraint('activity_stop_times_check', sql`ends_at >= starts_at`)
    .execute();
  await db.schema.createIndex('activity_stop_activity_idx').on('activity_stop').columns(['activity_id', 'position']).execute();
  await db.schema.createIndex('activity_stop_facility_idx').on('activity_stop').columns(['facility_id', 'activity_id']).execute();
  await db.schema.createIndex('activity_stop_place_idx').on('activity_stop').columns(['place_id', 'activity_id']).execute();

  await db.schema
    .createTable('activity_stop_host')
    .addColumn('stop_id', 'integer', (c) => c.notNull().references('activity_stop.id').onDelete('cascade'))
    .addColumn('organization_id', 'integer', (c) => c.notNull().references('organization.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('activity_stop_host_pk', ['stop_id', 'organization_id'])
    .execute();
  await db.schema.createIndex('activity_stop_host_organization_idx').on('activity_stop_host').column('organization_id').execute();

  await db.schema
    .createTable('activity_session')
    .addColumn('id', 'integer', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('activity_id', 'integer', (c) => c.notNull().references('activity.id').onDelete('cascade'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('title_zh', 'text', (c) => c.notNull().defaultTo('').check(sql`length(title_zh) <= 300`))
    .addColumn('title_en', 'text', (c) => c.notNull().defaultTo('').check(sql`length(title_en) <= 300`))
    .addColumn('starts_at', 'timestamptz')
    .addColumn('ends_at', 'timestamptz')
    .addColumn('minutes_zh', 'text', (c) => c.notNull().defaultTo('').check(sql`length(minutes_zh) <= 20000`))
    .addColumn('minutes_en', 'text', (c) => c.notNull().defaultTo('').check(sql`length(minutes_en) <= 20000`))
    .addCheckConstraint('activity_session_title_check', sql`title_zh <> '' or title_en <> ''`)
    .addCheckConstraint('activity_session_times_check', sql`ends_at >= starts_at`)
    .execute();
  await db.schema.createIndex('activity_session_activity_idx').on('activity_session').columns(['activity_id', 'position']).execute();

  await db.schema
    .createTable('activity_agenda_item')
    .addColumn('id', 'integer', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('session_id', 'integer', (c) => c.notNull().references('activity_session.id').onDelete('cascade'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('subject_zh', 'text', (c) => c.notNull().defaultTo('').check(sql`length(subject_zh) <= 1000`))
    .addColumn('subject_en', 'text', (c) => c.notNull().defaultTo('').check(sql`length(subject_en) <= 1000`))
    .addColumn('speaker_person_id', 'integer', (c) => c.references('person.id').onDelete('set null'))
    .addColumn('speaker_organization_id', 'integer', (c) => c.references('organization.id').onDelete('set null'))
    .addCheckConstraint('activity_agenda_item_subject_check', sql`subject_zh <> '' or subject_en <> ''`)
    .execute();
  await db.schema.createIndex('activity_agenda_item_session_idx').on('activity_agenda_item').columns(['session_id', 'position']).execute();
  await db.schema.createIndex('activity_agenda_item_speaker_idx').on('activity_agenda_item').column('speaker_person_id').execute();

  // An attendee is a person, or a post whose holder the record does not name ("heads of the department").
  // The title is what the person held on the day, kept as it was when posts change later.
  await db.schema
    .createTable('activity_attendee')
    .addColumn('id', 'integer', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('activity_id', 'integer', (c) => c.notNull().references('activity.id').onDelete('cascade'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('person_id', 'integer', (c) => c.references('person.id').onDelete('set null'))
    .addColumn('organization_id', 'integer', (c) => c.notNull().references('organization.id').onDelete('restrict'))
    .addColumn('title_zh', 'text', (c) => c.notNull().defaultTo('').check(sql`length(title_zh) <= 500`))
    .addColumn('title_en', 'text', (c) => c.notNull().defaultTo('').check(sql`length(title_en) <= 500`))
    .addColumn('role', 'text', (c) => c.notNull().check(sql`role in ('head_of_delegation', 'member', 'host', 'speaker')`))
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('invited').check(sql`status in ('invited', 'confirmed', 'attended', 'absent')`))
    .addCheckConstraint('activity_attendee_who_check', sql`person_id is not null or title_zh <> '' or title_en <> ''`)
    .execute();
  await db.schema.createIndex('activity_attendee_activity_idx').on('activity_attendee').columns(['activity_id', 'position']).execute();
  // A person attends an activity once; the same index finds the activities a person attended.
  await sql`create unique index activity_attendee_person_idx on activity_attendee (person_id, activity_id) where person_id is not null`.execute(db);
  await db.schema.createIndex('activity_attendee_organization_idx').on('activity_attendee').column('organization_id').execute();

  // What was agreed. Once the agreements domain lands, a follow-up can become a commitment there
  // (its table will point here); until then it is tracked on its own.
  await db.schema
    .createTable('activity_follow_up')
    .addColumn('id', 'integer', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('activity_id', 'integer', (c) => c.notNull().references('activity.id').onDelete('cascade'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('action_zh', 'text', (c) => c.notNull().defaultTo('').check(sql`length(action_zh) <= 2000`))
    .addColumn('action_en', 'text', (c) => c.notNull().defaultTo('').check(sql`length(action_en) <= 2000`))
    .addColumn('owner_organization_id', 'integer', (c) => c.notNull().references('organization.id').onDelete('restrict'))
    .addColumn('owner_person_id', 'integer', (c) => c.references('person.id').onDelete('set null'))
    .addColumn('due_on', 'date')
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('open').check(sql`status in ('open', 'done', 'dropped')`))
    .addCheckConstraint('activity_follow_up_action_check', sql`action_zh <> '' or action_en <> ''`)
    .execute();
  await db.schema.createIndex('activity_follow_up_activity_idx').on('activity_follow_up').columns(['activity_id', 'position']).execute();
  await db.schema.createIndex('activity_follow_up_owner_idx').on('activity_follow_up').columns(['owner_organization_id', 'status', 'due_on']).execute();

  await db.schema
    .createTable('activity_photo')
    .addColumn('activity_id', 'integer', (c) => c.notNull().references('activity.id').onDelete('cascade'))
    .addColumn('media_id', 'integer', (c) => c.notNull().references('media.id').onDelete('cascade'))
    .addColumn('position', 'integer', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('activity_photo_pk', ['activity_id', 'media_id'])
    .execute();
  await db.schema.createIndex('activity_photo_media_idx').on('activity_photo').column('media_id').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    'activity_photo',
    'activity_follow_up',
    'activity_attendee',
    'activity_agenda_item',
    'activity_session',
    'activity_stop_host',
    'activity_stop',
    'activity_organizer',
    'activity_topic_link',
    'activity',
    'activity_topic',
    'activity_kind',
  ]) {
    await db.schema.dropTable(table).execute();
  }
}
