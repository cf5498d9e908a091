import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';
import type { Locale } from '../../platform/i18n.ts';

/** What a document is: a framework agreement between parties, or a circular or plan of one issuer. */
export const documentKinds = ['agreement', 'circular', 'plan'] as const;
export type DocumentKind = (typeof documentKinds)[number];

// Text a form may leave empty: '' when there is none.
type OptionalText = ColumnType<string, string | undefined, string>;

/** The document table: an agreement, circular or plan whose measures are carried out and tracked. */
export interface DocumentTable {
  id: Generated<number>;
  kind: DocumentKind;
  title_zh: string;
  /** Empty when no English title is on record. */
  title_en: OptionalText;
  /** As printed (京妇发〔2024〕3号); empty when it has none or none is known. */
  doc_number: OptionalText;
  /** "YYYY-MM-DD": the day an agreement was signed, or a circular or plan issued. */
  signed_on: string;
  /** The term an agreement runs for; null ends are open. */
  starts_on: string | null;
  ends_on: string | null;
  /** The issuing organization of a circular or plan; null for an agreement (it has parties). */
  issuer_organization_id: number | null;
  /** The text as written, Markdown. */
  body_zh: OptionalText;
  body_en: OptionalText;
  /** The text as shown: sanitized HTML made from the Markdown; never stored unsanitized. */
  body_html_zh: OptionalText;
  body_html_en: OptionalText;
  /** Listed on the public transparency page. */
  is_public: ColumnType<boolean, boolean | undefined, boolean>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

/** The document_party table: the organizations that signed an agreement, in the order named. */
export interface DocumentPartyTable {
  document_id: number;
  organization_id: number;
  position: ColumnType<number, number | undefined, number>;
}

/** The document_attachment table: media library images attached to one language version of a document. */
export interface DocumentAttachmentTable {
  document_id: number;
  locale: Locale;
  media_id: number;
  position: ColumnType<number, number | undefined, number>;
}

export type DocumentRow = Selectable<DocumentTable>;
export type NewDocumentRow = Insertable<DocumentTable>;
export type DocumentRowUpdate = Updateable<DocumentTable>;
