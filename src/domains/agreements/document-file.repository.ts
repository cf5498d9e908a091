import type { Executor } from '../../db/database.ts';
import type { NewDocumentFileRow } from './document-file.table.ts';

/** Lists a document's files, Chinese version first, oldest upload first within a language. */
export async function listDocumentFiles(db: Executor, documentId: number) {
  return db
    .selectFrom('document_file')
    .select(['id', 'document_id', 'locale', 'name', 'key', 'bytes', 'created_at'])
    .where('document_id', '=', documentId)
    .orderBy('locale', 'desc')
    .orderBy('id')
    .execute();
}

/** Finds a file of a document. */
export async function findDocumentFile(db: Executor, documentId: number, fileId: number) {
  return db
    .selectFrom('document_file')
    .select(['id', 'document_id', 'locale', 'name', 'key', 'bytes', 'created_at'])
    .where('document_id', '=', documentId)
    .where('id', '=', fileId)
    .executeTakeFirst();
}

/** Inserts a file's row and returns it. */
export async function insertDocumentFile(db: Executor, row: NewDocumentFileRow) {
  return db.insertInto('document_file').values(row).returning(['id', 'document_id', 'locale', 'name', 'key', 'bytes', 'created_at']).executeTakeFirstOrThrow();
}

/** Deletes a file's row. */
export async function deleteDocumentFile(db: Executor, fileId: number): Promise<void> {
  await db.deleteFrom('document_file').where('id', '=', fileId).execute();
}

/** Tells whether any file row still names the stored file. */
export async function isKeyInUse(db: Executor, key: string): Promise<boolean> {
  return (await db.selectFrom('document_file').select('id').where('key', '=', key).limit(1).executeTakeFirst()) !== undefined;
}
