import { sql, type Kysely } from 'kysely';

/**
 * Agreements: framework agreements between federations, circulars and plans; their numbered measures
 * (a tree, tagged with work dimensions), the commitments each organization made under a measure, and
 * the dated progress updates on a commitment with their evidence.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  // The lines of work a measure is tagged with; a deployment changes the list.
  await db.schema
    .createTable('work_dimension')
    .addColumn('id', 'integer', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('code', 'text', (c) => c.notNull().unique().check(sql`code ~ '^[a-z][a-z0-9_]{1,62}$'`))
    .addColumn('name_zh', 'text', (c) => c.notNull().check(sql`length(name_zh) between 1 and 100`))
    .addColumn('name_en', 'text', (c) => c.notNull().check(sql`length(name_en) between 1 and 100`))
    .addColumn('position', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await sql`
    insert into work_dimension (code, name_zh, name_en, position) values
      ('political', '政治建设', 'Political building', 10),
      ('ideological', '思想建设', 'Ideological building', 20),
      ('organizational', '组织建设', 'Organizational building', 30),
      ('discipline', '纪律建设', 'Discipline building', 40),
      ('working_style', '作风建设', 'Working style building', 50),
      ('institutional', '制度建设', 'Institutional building', 60)`.execute(db);

  await db.schema
    .createTable('document')
    .addColumn('id', 'integer', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('agreement', 'circular', 'plan')`))
    .addColumn('title_zh', 'text', (c) => c.notNull().check(sql`length(title_zh) between 1 and 300`))
    .addColumn('title_en', 'text', (c) => c.notNull().defaultTo('').check(sql`length(title_en) <= 300`))
    // As printed on the document (京妇发〔2024〕3号); empty when it has none or none is known.
    .addColumn('doc_number', 'text', (c) => c.notNull().defaultTo('').check(sql`length(doc_number) <= 100`))
    // The day an agreement was signed, or a circular or plan issued.
    .addColumn('signed_on', 'date', (c) => c.notNull())
    // The term an agreement runs for; open ends when not stated.
    .addColumn('starts_on', 'date')
    .addColumn('ends_on', 'date')
    // Circulars and plans have an issuer; agreements have parties (document_party) instead.
    .addColumn('issuer_organization_id', 'integer', (c) => c.references('organization.id').onDelete('restrict'))
    // The text as written (Markdown) and as shown (sanitized HTML made from it), per language.
    .addColumn('body_zh', 'text', (c) => c.notNull().defaultTo('').check(sql`length(body_zh) <= 100000`))
    .addColumn('body_en', 'text', (c) => c.notNull().defaultTo('').check(sql`length(body_en) <= 100000`))
    .addColumn('body_html_zh', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('body_html_en', 'text', (c) => c.notNull().defaultTo(''))
    // Listed on the public transparency page.
    .addColumn('is_public', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint('document_term_check', sql`ends_on is null or starts_on is null or ends_on >= starts_on`)
    .addCheckConstraint('document_issuer_check', sql`(kind = 'agreement') = (issuer_organization_id is null)`)
    .execute();
  await db.schema.createIndex('document_signed_idx').on('document').columns(['signed_on desc', 'id desc']).execute();
  await db.schema.createIndex('document_issuer_idx').on('document').column('issuer_organization_id').execute();

  await db.schema
    .createTable('document_party')
    .addColumn('document_id', 'integer', (c) => c.notNull().references('document.id').onDelete('cascade'))
    .addColumn('organization_id', 'integer', (c) => c.notNull().references('organization.id').onDelete('restrict'))
    .addColumn('position', 'integer', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('document_party_pk', ['document_id', 'organization_id'])
    .execute();
  await db.schema.createIndex('document_party_organization_idx').on('document_party').columns(['organization_id', 'document_id']).execute();

  // Images of the media library attached to the Chinese or the English version of a document.
  await db.schema
    .createTable('document_attachment')
    .addColumn('document_id', 'integer', (c) => c.notNull().references('document.id').onDelete('cascade'))
    .addColumn('locale', 'text', (c) => c.notNull().check(sql`locale in ('zh', 'en')`))
    .addColumn('media_id', 'integer', (c) => c.notNull().references('media.id').onDelete('cascade'))
    .addColumn('position', 'integer', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('document_attachment_pk', ['document_id', 'locale', 'media_id'])
    .execute();
  await db.schema.createIndex('document_attachment_media_idx').on('document_attachment').column('media_id').execute();

  await db.schema
    .createTable('measure')
    .addColumn('id', 'integer', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('document_id', 'integer', (c) => c.notNull().references('document.id').onDelete('cascade'))
    .addColumn('parent_id', 'integer')
    // As numbered in the document: "3", "3.2", "（一）".
    .addColumn('number', 'text', (c) => c.notNull().check(sql`length(number) between 1 and 20`))
    .addColumn('position', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('title_zh', 'text', (c) => c.notNull().check(sql`length(title_zh) between 1 and 300`))
    .addColumn('title_en', 'text', (c) => c.notNull().defaultTo('').check(sql`length(title_en) <= 300`))
    .addColumn('body_zh', 'text', (c) => c.notNull().defaultTo('').check(sql`length(body_zh) <= 10000`))
    .addColumn('body_en', 'text', (c) => c.notNull().defaultTo('').check(sql`length(body_en) <= 10000`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('measure_document_number_key', ['document_id', 'number'])
    // The target of the composite keys below: a parent and a commitment's measure are of the same document.
    .addUniqueConstraint('measure_document_id_key', ['document_id', 'id'])
    .addCheckConstraint('measure_parent_check', sql`parent_id <> id`)
    .execute();
  await sql`alter table measure add constraint measure_parent_fk foreign key (document_id, parent_id)
    references measure (document_id, id) on delete cascade`.execute(db);
  await db.schema.createIndex('measure_parent_idx').on('measure').columns(['parent_id']).execute();

  await db.schema
    .createTable('measure_dimension')
    .addColumn('measure_id', 'integer', (c) => c.notNull().references('measure.id').onDelete('cascade'))
    .addColumn('dimension_id', 'integer', (c) => c.notNull().references('work_dimension.id').onDelete('restrict'))
    .addPrimaryKeyConstraint('measure_dimension_pk', ['measure_id', 'dimension_id'])
    .execute();
  await db.schema.createIndex('measure_dimension_dimension_idx').on('measure_dimension').columns(['dimension_id', 'measure_id']).execute();

  // Topics are the activities' list (activity_topic), so that a measure and the activities that carry it out share them.
  await db.schema
    .createTable('measure_topic')
    .addColumn('measure_id', 'integer', (c) => c.notNull().references('measure.id').onDelete('cascade'))
    .addColumn('topic_id', 'integer', (c) => c.notNull().references('activity_topic.id').onDelete('restrict'))
    .addPrimaryKeyConstraint('measure_topic_pk', ['measure_id', 'topic_id'])
    .execute();
  await db.schema.createIndex('measure_topic_topic_idx').on('measure_topic').columns(['topic_id', 'measure_id']).execute();

  await db.schema
    .createTable('commitment')
    .addColumn('id', 'integer', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    // The measure's document, kept on the row so that lists and roll-ups by document need no join.
    .addColumn('document_id', 'integer', (c) => c.notNull())
    .addColumn('measure_id', 'integer', (c) => c.notNull())
    .addColumn('what_zh', 'text', (c) => c.notNull().check(sql`length(what_zh) between 1 and 2000`))
    .addColumn('what_en', 'text', (c) => c.notNull().defaultTo('').check(sql`length(what_en) <= 2000`))
    .addColumn('responsible_organization_id', 'integer', (c) => c.notNull().references('organization.id').onDelete('restrict'))
    // Null: ongoing, with no due date (never overdue).
    .addColumn('due_on', 'date')
    .addColumn('weight', 'numeric(9, 2)', (c) => c.notNull().defaultTo(1).check(sql`weight > 0`))
    // "overdue" is not stored: it is worked out from due_on and the day (see agreement.rules.ts).
    .addColumn('status', 'text', (c) =>
      c.notNull().defaultTo('not_started').check(sql`status in ('not_started', 'in_progress', 'done', 'dropped')`),
    )
    .addColumn('progress', 'smallint', (c) => c.notNull().defaultTo(0).check(sql`progress between 0 and 100`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint('commitment_done_check', sql`status <> 'done' or progress = 100`)
    .addCheckConstraint('commitment_not_started_check', sql`status <> 'not_started' or progress = 0`)
    .execute();
  await sql`alter table commitment add constraint commitment_measure_fk foreign key (document_id, measure_id)
    references measure (document_id, id) on delete cascade`.execute(db);
  // What lists, dashboards and roll-ups filter by: the document (its roll-up read from the index alone),
  // the measure, the responsible organization with due dates, the status with due dates, and what is
  // open and due (reminders and "overdue").
  await sql`create index commitment_document_idx on commitment (document_id, measure_id) include (status, weight, progress)`.execute(db);
  // Due date and status in the measure's and the organization's indexes: a measure subtree or a dimension
  // filtered by due range and status is answered from the index, without reading the rows it leaves out.
  await sql`create index commitment_measure_idx on commitment (measure_id, due_on) include (status)`.execute(db);
  await sql`create index commitment_responsible_idx on commitment (responsible_organization_id, due_on) include (status)`.execute(db);
  await db.schema.createIndex('commitment_status_idx').on('commitment').columns(['status', 'due_on']).execute();
  await sql`create index commitment_open_due_idx on commitment (due_on) where status in ('not_started', 'in_progress')`.execute(db);

  await db.schema
    .createTable('commitment_partner')
    .addColumn('commitment_id', 'integer', (c) => c.notNull().references('commitment.id').onDelete('cascade'))
    .addColumn('organization_id', 'integer', (c) => c.notNull().references('organization.id').onDelete('restrict'))
    .addPrimaryKeyConstraint('commitment_partner_pk', ['commitment_id', 'organization_id'])
    .execute();
  await db.schema.createIndex('commitment_partner_organization_idx').on('commitment_partner').columns(['organization_id', 'commitment_id']).execute();

  await db.schema
    .createTable('progress_update')
    .addColumn('id', 'integer', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('commitment_id', 'integer', (c) => c.notNull().references('commitment.id').onDelete('cascade'))
    .addColumn('reported_on', 'date', (c) => c.notNull())
    .addColumn('note_zh', 'text', (c) => c.notNull().defaultTo('').check(sql`length(note_zh) <= 4000`))
    .addColumn('note_en', 'text', (c) => c.notNull().defaultTo('').check(sql`length(note_en) <= 4000`))
    // What the update set the commitment to, when it set anything.
    .addColumn('progress', 'smallint', (c) => c.check(sql`progress between 0 and 100`))
    .addColumn('status', 'text', (c) => c.check(sql`status in ('not_started', 'in_progress', 'done', 'dropped')`))
    // Evidence: an activity, a published update of the portal, an image of the media library.
    .addColumn('activity_id', 'integer', (c) => c.references('activity.id').onDelete('set null'))
    .addColumn('article_id', 'integer', (c) => c.references('article.id').onDelete('set null'))
    .addColumn('media_id', 'integer', (c) => c.references('media.id').onDelete('set null'))
    .addColumn('created_by', 'integer', (c) => c.references('user_account.id').onDelete('set null'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint('progress_update_note_check', sql`note_zh <> '' or note_en <> ''`)
    .execute();
  await db.schema.createIndex('progress_update_commitment_idx').on('progress_update').columns(['commitment_id', 'reported_on', 'id']).execute();
  await sql`create index progress_update_activity_idx on progress_update (activity_id) where activity_id is not null`.execute(db);
  await sql`create index progress_update_article_idx on progress_update (article_id) where article_id is not null`.execute(db);
  await sql`create index progress_update_media_idx on progress_update (media_id) where media_id is not null`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    'progress_update',
    'commitment_partner',
    'commitment',
    'measure_topic',
    'measure_dimension',
    'measure',
    'document_attachment',
    'document_party',
    'document',
    'work_dimension',
  ]) {
    await db.schema.dropTable(table).execute();
  }
}
