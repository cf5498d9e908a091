import { sql, type Kysely } from 'kysely';

/**
 * The files of agreements and circulars: the signed PDF of each language version, kept in the media
 * store under their content's key (`<sha256>-1.pdf`) and served only through the document's pages.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('document_file')
    .addColumn('id', 'integer', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('document_id', 'integer', (c) => c.notNull().references('document.id').onDelete('cascade'))
    .addColumn('locale', 'text', (c) => c.notNull().check(sql`locale in ('zh', 'en')`))
    .addColumn('name', 'text', (c) => c.notNull().check(sql`length(name) between 1 and 255`))
    .addColumn('key', 'text', (c) => c.notNull().check(sql`key ~ '^[0-9a-f]{64}-1\\.pdf$'`))
    .addColumn('bytes', 'integer', (c) => c.notNull().check(sql`bytes > 0`))
    .addColumn('uploaded_by', 'integer', (c) => c.references('user_account.id').onDelete('set null'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('document_file_document_idx').on('document_file').columns(['document_id', 'id']).execute();
  await db.schema.createIndex('document_file_key_idx').on('document_file').column('key').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('document_file').execute();
}
