import { Migrator, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import type { Database } from './database.ts';
import * as portal from './migrations/2026_11_24_0001_portal.ts';
import * as workspace from './migrations/2026_11_24_0002_workspace.ts';
import * as workspaceIndexes from './migrations/2026_11_24_0003_workspace_indexes.ts';
import * as places from './migrations/2026_11_24_0004_places.ts';
import * as newsroom from './migrations/2026_11_24_0005_newsroom.ts';
import * as search from './migrations/2026_11_24_0006_search.ts';
import * as media from './migrations/2026_11_24_0007_media.ts';
import * as articleCover from './migrations/2026_11_24_0008_article_cover.ts';
import * as facilities from './migrations/2026_11_24_0009_facilities.ts';
import * as activities from './migrations/2026_11_24_0010_activities.ts';
import * as facilityInterchange from './migrations/2026_11_24_0011_facility_interchange.ts';
import * as facilityStatistics from './migrations/2026_11_24_0012_facility_statistics.ts';
import * as agreements from './migrations/2026_11_24_0013_agreements.ts';
import * as activityIndexes from './migrations/2026_11_24_0014_activity_indexes.ts';
import * as activityArticles from './migrations/2026_11_24_0015_activity_articles.ts';
import * as facilityDirectoryIndexes from './migrations/2026_11_24_0016_facility_directory_indexes.ts';
import * as activityMeasures from './migrations/2026_11_24_0017_activity_measures.ts';
import * as calendarTokens from './migrations/2026_11_24_0018_calendar_tokens.ts';
import * as documentFiles from './migrations/2026_11_24_0019_document_files.ts';

// Listed by hand rather than read from the folder, so that the order is reviewed and bundling cannot lose one.
const migrations: Record<string, Migration> = {
  '2026_11_24_0001_portal': portal,
  '2026_11_24_0002_workspace': workspace,
  '2026_11_24_0003_workspace_indexes': workspaceIndexes,
  '2026_11_24_0004_places': places,
  '2026_11_24_0005_newsroom': newsroom,
  '2026_11_24_0006_search': search,
  '2026_11_24_0007_media': media,
  '2026_11_24_0008_article_cover': articleCover,
  '2026_11_24_0009_facilities': facilities,
  '2026_11_24_0010_activities': activities,
  '2026_11_24_0011_facility_interchange': facilityInterchange,
  '2026_11_24_0012_facility_statistics': facilityStatistics,
  '2026_11_24_0013_agreements': agreements,
  '2026_11_24_0014_activity_indexes': activityIndexes,
  '2026_11_24_0015_activity_articles': activityArticles,
  '2026_11_24_0016_facility_directory_indexes': facilityDirectoryIndexes,
  '2026_11_24_0017_activity_measures': activityMeasures,
  '2026_11_24_0018_calendar_tokens': calendarTokens,
  '2026_11_24_0019_document_files': documentFiles,
};

const provider: MigrationProvider = { getMigrations: async () => migrations };

/** Brings the schema up to the newest migration; returns the names it applied. */
export async function migrateToLatest(db: Kysely<Database>): Promise<string[]> {
  // Numbers are handed out ahead of the work, so a database may have run a later one (0006) before an
  // earlier one (0005) lands; they touch different things, and each still runs exactly once.
  const migrator = new Migrator({ db, provider, allowUnorderedMigrations: true });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((result) => result.status === 'Error')?.migrationName;
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`migration ${failed ?? ''} failed: ${reason}`.replace(/\s+/g, ' '));
  }
  return (results ?? []).filter((result) => result.status === 'Success').map((result) => result.migrationName);
}
