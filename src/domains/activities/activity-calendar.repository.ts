import { sql, type SqlBool } from 'kysely';
import type { Executor } from '../../db/database.ts';

/** Where a site's public calendar starts: the site's organization and the place it is located in (null: none). */
export async function findSiteScope(db: Executor, siteId: number) {
  return db
    .selectFrom('site')
    .innerJoin('organization', 'organization.id', 'site.organization_id')
    .select(['site.organization_id as organization_id', 'organization.place_id as place_id'])
    .where('site.id', '=', siteId)
    .executeTakeFirst();
}

/**
 * The first stop of each of these activities, with where it is: the facility's names and address, and
 * the place (the stop's own, or the facility's) with the place above it, for a calendar's location.
 */
export async function listFirstStops(db: Executor, activityIds: readonly number[]) {
  if (activityIds.length === 0) return [];
  return db
    .selectFrom('activity_stop as stop')
    .leftJoin('facility', 'facility.id', 'stop.facility_id')
    .innerJoin('place', (join) => join.on(sql<SqlBool>`place.id = coalesce(stop.place_id, facility.place_id)`))
    .leftJoin('place as parent', 'parent.id', 'place.parent_id')
    .select([
      'stop.activity_id',
      'facility.name_zh as facility_name_zh',
      'facility.name_en as facility_name_en',
      'facility.address_zh',
      'facility.address_en',
      'place.name_zh as place_name_zh',
      'place.name_en as place_name_en',
      'parent.name_zh as parent_name_zh',
      'parent.name_en as parent_name_en',
    ])
    .distinctOn('stop.activity_id')
    .where('stop.activity_id', 'in', activityIds)
    .orderBy('stop.activity_id')
    .orderBy('stop.position')
    .orderBy('stop.id')
    .execute();
}

/** A place's names, with those of the places directly under it, in name order: the portal's choice of place. */
export async function listPlaceAndChildren(db: Executor, placeId: number) {
  return db
    .selectFrom('place')
    .select(['id', 'name_zh', 'name_en', 'parent_id'])
    .where((eb) => eb.or([eb('id', '=', placeId), eb('parent_id', '=', placeId)]))
    .orderBy('name_zh')
    .orderBy('id')
    .execute();
}

/** Finds a place's names. */
export async function findPlaceNames(db: Executor, placeId: number) {
  return db.selectFrom('place').select(['id', 'name_zh', 'name_en', 'parent_id']).where('id', '=', placeId).executeTakeFirst();
}
