import { Kysely, PostgresDialect, type Transaction } from 'kysely';
import pg from 'pg';
import type { OrganizationTable } from '../domains/organizations/organization.table.ts';
import type { SiteTable } from '../domains/articles/site.table.ts';
import type { SectionTable } from '../domains/articles/section.table.ts';
import type { ArticleTable, ArticleTranslationTable } from '../domains/articles/article.table.ts';
import type { ArticleEventTable, ArticleRevisionTable } from '../domains/articles/newsroom.table.ts';
import type { PersonTable } from '../domains/people/person.table.ts';
import type { PositionTable } from '../domains/people/position.table.ts';
import type { PlaceTable } from '../domains/places/place.table.ts';
import type {
  FacilityHoursExceptionTable,
  FacilityHoursTable,
  FacilityPhotoTable,
  FacilityServiceTable,
  FacilityTable,
  TaxonomyTable,
} from '../domains/places/facility.table.ts';
import type { FacilityExternalIdTable } from '../domains/places/facility-interchange.repository.ts';
import type { MediaRenditionTable, MediaTable } from '../domains/media/media.table.ts';
import type {
  ActivityAgendaItemTable,
  ActivityAttendeeTable,
  ActivityFollowUpTable,
  ActivityOrganizerTable,
  ActivityPhotoTable,
  ActivitySessionTable,
  ActivityStopHostTable,
  ActivityStopTable,
  ActivityTable,
  ActivityTopicLinkTable,
} from '../domains/activities/activity.table.ts';
import type { ActivityArticleTable } from '../domains/activities/activity-article.table.ts';
import type { ActivityMeasureTable } from '../domains/activities/activity-measure.table.ts';
import type { DocumentAttachmentTable, DocumentPartyTable, DocumentTable } from '../domains/agreements/document.table.ts';
import type { DocumentFileTable } from '../domains/agreements/document-file.table.ts';
import type { MeasureDimensionTable, MeasureTable, MeasureTopicTable } from '../domains/agreements/measure.table.ts';
import type { CommitmentPartnerTable, CommitmentTable, ProgressUpdateTable } from '../domains/agreements/commitment.table.ts';
import type {
  ApiTokenTable,
  MembershipTable,
  SessionTable,
  SignInFailureTable,
  UserAccountTable,
} from '../domains/accounts/account.table.ts';
import type { AuditEventTable } from '../platform/audit.table.ts';

/** Every table Halfsky keeps, by its SQL name. */
export interface Database {
  organization: OrganizationTable;
  site: SiteTable;
  section: SectionTable;
  article: ArticleTable;
  article_translation: ArticleTranslationTable;
  article_event: ArticleEventTable;
  article_revision: ArticleRevisionTable;
  person: PersonTable;
  position: PositionTable;
  place: PlaceTable;
  facility_kind: TaxonomyTable;
  service_type: TaxonomyTable;
  facility: FacilityTable;
  facility_service: FacilityServiceTable;
  facility_hours: FacilityHoursTable;
  facility_hours_exception: FacilityHoursExceptionTable;
  facility_photo: FacilityPhotoTable;
  facility_external_id: FacilityExternalIdTable;
  media: MediaTable;
  media_rendition: MediaRenditionTable;
  activity_kind: TaxonomyTable;
  activity_topic: TaxonomyTable;
  activity: ActivityTable;
  activity_topic_link: ActivityTopicLinkTable;
  activity_organizer: ActivityOrganizerTable;
  activity_stop: ActivityStopTable;
  activity_stop_host: ActivityStopHostTable;
  activity_session: ActivitySessionTable;
  activity_agenda_item: ActivityAgendaItemTable;
  activity_attendee: ActivityAttendeeTable;
  activity_follow_up: ActivityFollowUpTable;
  activity_photo: ActivityPhotoTable;
  activity_article: ActivityArticleTable;
  activity_measure: ActivityMeasureTable;
  work_dimension: TaxonomyTable;
  document: DocumentTable;
  document_party: DocumentPartyTable;
  document_attachment: DocumentAttachmentTable;
  document_file: DocumentFileTable;
  measure: MeasureTable;
  measure_dimension: MeasureDimensionTable;
  measure_topic: MeasureTopicTable;
  commitment: CommitmentTable;
  commitment_partner: CommitmentPartnerTable;
  progress_update: ProgressUpdateTable;
  user_account: UserAccountTable;
  membership: MembershipTable;
  session: SessionTable;
  sign_in_failure: SignInFailureTable;
  api_token: ApiTokenTable;
  audit_event: AuditEventTable;
}

/** What a repository runs its SQL on: the database or an open transaction. */
export type Executor = Kysely<Database> | Transaction<Database>;

const dateOid = 1082;

// A `date` is a calendar day, not an instant: pg's default turns it into a Date at local midnight,
// which shifts it a day wherever the process's zone is west or east of the reader's. Keep "2024-03-25".
const calendarDateTypes: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === dateOid && format !== 'binary' ? (value: string) => value : pg.types.getTypeParser(oid, format)) as pg.CustomTypesConfig['getTypeParser'],
};

/** Opens a pooled Kysely handle on the PostgreSQL server at `connectionString`; `date` columns come back as "YYYY-MM-DD". */
export function createDb(connectionString: string, options: { maxConnections?: number } = {}): Kysely<Database> {
  const pool = new pg.Pool({
    connectionString,
    max: options.maxConnections ?? 10,
    // A dead connection must not hang a request forever.
    connectionTimeoutMillis: 5000,
    types: calendarDateTypes,
  });
  // An idle client losing its server (restart, network) emits here; the pool replaces it on next use.
  pool.on('error', () => undefined);
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
}
