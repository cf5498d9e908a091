import type { Generated, Insertable, Selectable } from 'kysely';
import type { Locale } from '../../platform/i18n.ts';

/** The document_file table: a PDF of a document's language version (the signed agreement, the circular as issued). */
export interface DocumentFileTable {
  id: Generated<number>;
  document_id: number;
  /** The language version it is the file of. */
  locale: Locale;
  /** The file's name as the uploader's computer had it, cleaned; shown and offered as the download's name. */
  name: string;
  /** The media store's key: `<sha256>-1.pdf`. */
  key: string;
  bytes: number;
  /** Null once the account is deleted. */
  uploaded_by: number | null;
  created_at: Generated<Date>;
}

export type DocumentFileRow = Selectable<DocumentFileTable>;
export type NewDocumentFileRow = Insertable<DocumentFileTable>;
