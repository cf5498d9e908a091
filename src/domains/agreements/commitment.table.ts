import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

/** The statuses a person sets on a commitment; "overdue" is worked out, never stored (agreement.rules.ts). */
export const storedCommitmentStatuses = ['not_started', 'in_progress', 'done', 'dropped'] as const;
export type StoredCommitmentStatus = (typeof storedCommitmentStatuses)[number];

// Text a form may leave empty: '' when there is none.
type OptionalText = ColumnType<string, string | undefined, string>;
// numeric(9, 2) comes back as text so that no digit is lost; we write numbers.
type Weight = ColumnType<string, number | undefined, number>;

/** The commitment table: what one organization undertook under a measure, by when, and how far it is. */
export interface CommitmentTable {
  id: Generated<number>;
  /** The measure's document, kept on the row for lists and roll-ups by document. */
  document_id: number;
  measure_id: number;
  what_zh: string;
  what_en: OptionalText;
  responsible_organization_id: number;
  /** "YYYY-MM-DD"; null when ongoing (never overdue). */
  due_on: string | null;
  /** How much it counts in its measure's and document's progress; positive. */
  weight: Weight;
  status: ColumnType<StoredCommitmentStatus, StoredCommitmentStatus | undefined, StoredCommitmentStatus>;
  /** Percent done, 0–100. */
  progress: ColumnType<number, number | undefined, number>;
  /** The follow-up of an activity the commitment was made from; null when it was not (or the follow-up is gone). */
  follow_up_id: ColumnType<number | null, number | null | undefined, never>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

/** The commitment_partner table: organizations that carry a commitment out with the responsible one. */
export interface CommitmentPartnerTable {
  commitment_id: number;
  organization_id: number;
}

/** The progress_update table: a dated note on a commitment, what it set, and its evidence. */
export interface ProgressUpdateTable {
  id: Generated<number>;
  commitment_id: number;
  /** "YYYY-MM-DD". */
  reported_on: string;
  note_zh: OptionalText;
  note_en: OptionalText;
  /** The progress the update set the commitment to; null when it set none. */
  progress: number | null;
  /** The status the update set; null when it set none. */
  status: StoredCommitmentStatus | null;
  /** Evidence: an activity of the workspace. */
  activity_id: number | null;
  /** Evidence: a published update of the portal. */
  article_id: number | null;
  /** Evidence: an image of the media library. */
  media_id: number | null;
  created_by: number | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export type CommitmentRow = Selectable<CommitmentTable>;
export type NewCommitmentRow = Insertable<CommitmentTable>;
export type CommitmentRowUpdate = Updateable<CommitmentTable>;
export type ProgressUpdateRow = Selectable<ProgressUpdateTable>;
export type NewProgressUpdateRow = Insertable<ProgressUpdateTable>;
export type ProgressUpdateRowUpdate = Updateable<ProgressUpdateTable>;
