import type { Kysely } from 'kysely';
import type { Database, Executor } from '../../db/database.ts';
import { assertCanRead, organizationsWhere, type Actor } from '../../platform/access.ts';
import { recordAudit } from '../../platform/audit.ts';
import { notFound } from '../../platform/errors.ts';
import type { OrganizationKind } from '../organizations/organization.table.ts';
import * as placeRepository from './place.repository.ts';
import {
  formatPlaceReference,
  levelFitsUnder,
  levelsUnder,
  PlaceRuleError,
  placeMessages,
  resolvePlaceReference,
  type PlaceLookup,
} from './place.rules.ts';
import type { PlaceInput, PlacePatch, PlaceQuery } from './place.schema.ts';
import type { PlaceLevel, PlaceRow } from './place.table.ts';

/** A place of the gazetteer: an administrative division, from a province down to a community or village. */
export interface Place {
  id: number;
  /** The national administrative division code; null when not known. */
  code: string | null;
  nameZh: string;
  /** Empty when no English name is on record. */
  nameEn: string;
  level: PlaceLevel;
  parentId: number | null;
  lat: number | null;
  lon: number | null;
  createdAt: Date;
  updatedAt: Date;
}

/** Who a place is, for breadcrumbs and lists. */
export interface PlaceSummary {
  id: number;
  code: string | null;
  nameZh: string;
  nameEn: string;
  level: PlaceLevel;
}

/** A place in a list: with its parent and how many places stand directly under it. */
export interface PlaceListItem extends Place {
  parent: PlaceSummary | null;
  childCount: number;
}

/** An organization located in a place. */
export interface LocatedOrganization {
  id: number;
  nameZh: string;
  nameEn: string;
  kind: OrganizationKind;
}

/** A place with what its page shows around it. */
export interface PlaceDetail extends Place {
  /** From the top (a province) down to the direct parent. */
  ancestors: PlaceSummary[];
  /** The places directly under it, the first `childLimit` of them. */
  children: PlaceSummary[];
  childCount: number;
  organizations: LocatedOrganization[];
  /** How its parent is named in a form or a CSV file (its code, or a path of names). */
  parentReference: string;
  /** How it is named in a form or a CSV file. */
  reference: string;
  /** Whether the actor may change it, delete it and add places below it: it lies within her territory. */
  editable: boolean;
}

/** How many children a place page lists before pointing to the full list. */
export const childLimit = 500;

function coordinate(value: string | number | null): number | null {
  return value === null ? null : Number(value);
}

/** Maps a stored row to the domain type. */
export function placeRowToPlace(row: PlaceRow): Place {
  return {
    id: row.id,
    code: row.code,
    nameZh: row.name_zh,
    nameEn: row.name_en,
    level: row.level,
    parentId: row.parent_id,
    lat: coordinate(row.lat),
    lon: coordinate(row.lon),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function summaryOf(place: { id: number; code: string | null; nameZh: string; nameEn: string; level: PlaceLevel }): PlaceSummary {
  return { id: place.id, code: place.code, nameZh: place.nameZh, nameEn: place.nameEn, level: place.level };
}

/**
 * The places an actor may change: every place ("all") for a platform administrator; otherwise the ids
 * of the places at the top of her territory, each of which covers itself and every place below it.
 */
export type PlaceTerritory = 'all' | ReadonlySet<number>;

/**
 * Works out the actor's territory, once per call. An organization covers its own place and every place
 * below it; one without a place covers what its nearest ancestor with a place covers (a department of
 * the Beijing federation covers Beijing). The actor's territory is what the organizations where she has
 * `edit_records` cover.
 */
export async function placeTerritory(db: Executor, actor: Actor): Promise<PlaceTerritory> {
  const editable = await organizationsWhere(db, actor, 'edit_records');
  if (editable === 'all') return 'all';
  return new Set(await placeRepository.listPlacesOfOrganizations(db, [...editable]));
}

/** Tells whether a territory holds any place at all. */
function holdsAnyPlace(territory: PlaceTerritory): boolean {
  return territory === 'all' || territory.size > 0;
}

/** Tells whether a place lies within a territory, given the place and its ancestors (in any order). */
export function territoryCovers(territory: PlaceTerritory, chain: readonly { id: number }[]): boolean {
  return territory === 'all' || chain.some((place) => territory.has(place.id));
}

/** Tells whether the place lies within the territory, walking up its ancestors; false when there is no such place. */
async function coversPlace(db: Executor, territory: PlaceTerritory, id: number): Promise<boolean> {
  if (!holdsAnyPlace(territory)) return false;
  const chain = await placeRepository.listPlaceAndAncestors(db, id);
  return chain.length > 0 && territoryCovers(territory, chain);
}

/**
 * Tells whether the actor may change some place: a platform administrator, or anyone who may edit the
 * records of an organization that covers a place. Which places, placeTerritory() says.
 */
export async function mayEditPlaces(db: Executor, actor: Actor): Promise<boolean> {
  return holdsAnyPlace(await placeTerritory(db, actor));
}

/** Refuses, as "not found", an actor who may change no place at all. */
export async function assertMayEditPlaces(db: Executor, actor: Actor): Promise<void> {
  if (!(await mayEditPlaces(db, actor))) throw notFound();
}

/** Tells whether the actor may change this place (and add places below it): it lies within her territory. */
export async function mayChangePlace(db: Executor, actor: Actor, id: number): Promise<boolean> {
  return coversPlace(db, await placeTerritory(db, actor), id);
}

/** Refuses, as "not found", a place the actor may not change (or that does not exist). */
export async function assertMayChangePlace(db: Executor, actor: Actor, id: number): Promise<void> {
  if (!(await mayChangePlace(db, actor, id))) throw notFound();
}

/** Lists a page of places for any member of the network. */
export async function listPlaces(db: Executor, actor: Actor, query: PlaceQuery) {
  await assertCanRead(db, actor);
  const filter = {
    q: query.q || undefined,
    level: query.level,
    parentId: query.parentId,
    within: query.within,
    topLevel: query.topLevel === 'true',
  };
  const [rows, total] = await Promise.all([placeRepository.listPlaces(db, filter, query), placeRepository.countPlaces(db, filter)]);
  const items: PlaceListItem[] = rows.map((row) => ({
    ...placeRowToPlace(row),
    parent:
      row.parent_id !== null && row.parent_name_zh !== null && row.parent_level !== null
        ? { id: row.parent_id, code: row.parent_code, nameZh: row.parent_name_zh, nameEn: row.parent_name_en ?? '', level: row.parent_level }
        : null,
    childCount: Number(row.child_count ?? 0),
  }));
  return { items, total, limit: query.limit, offset: query.offset };
}

/** Reads one place. */
export async function getPlace(db: Executor, actor: Actor, id: number): Promise<Place> {
  await assertCanRead(db, actor);
  const row = await placeRepository.findPlaceById(db, id);
  if (!row) throw notFound();
  return placeRowToPlace(row);
}

/** Reads one place with its ancestors, the places under it and the organizations located in it. */
export async function getPlaceDetail(db: Executor, actor: Actor, id: number): Promise<PlaceDetail> {
  await assertCanRead(db, actor);
  const chain = (await placeRepository.listPlaceAndAncestors(db, id)).map(placeRowToPlace).reverse();
  const place = chain.at(-1);
  if (!place || place.id !== id) throw notFound();
  const [children, levels, organizations, territory] = await Promise.all([
    placeRepository.listChildPlaces(db, id, childLimit),
    placeRepository.listChildLevels(db, id),
    placeRepository.listOrganizationsAt(db, id),
    placeTerritory(db, actor),
  ]);
  return {
    ...place,
    ancestors: chain.slice(0, -1).map(summaryOf),
    children: children.map((row) => summaryOf(placeRowToPlace(row))),
    childCount: levels.reduce((sum, entry) => sum + entry.count, 0),
    organizations: organizations.map((row) => ({ id: row.id, nameZh: row.name_zh, nameEn: row.name_en, kind: row.kind })),
    parentReference: chain.length > 1 ? formatPlaceReference(chain.slice(0, -1)) : '',
    reference: formatPlaceReference(chain),
    editable: territoryCovers(territory, chain),
  };
}

/** The place an organization is located in, with its ancestors (top first); undefined when none is recorded. */
export async function getOrganizationPlace(db: Executor, actor: Actor, organizationId: number): Promise<PlaceSummary[] | undefined> {
  await assertCanRead(db, actor);
  const organization = await db.selectFrom('organization').select('place_id').where('id', '=', organizationId).executeTakeFirst();
  if (!organization?.place_id) return undefined;
  const chain = await placeRepository.listPlaceAndAncestors(db, organization.place_id);
  return chain.map((row) => summaryOf(placeRowToPlace(row))).reverse();
}

/** Looks places up in the database while resolving a reference. */
function databaseLookup(db: Executor): PlaceLookup<PlaceRow> {
  return {
    byCode: (code) => placeRepository.findPlaceByCode(db, code),
    childrenNamed: (parent, nameZh) => placeRepository.listChildrenNamed(db, parent?.id ?? null, nameZh),
  };
}

/**
 * Finds the place a form names as a parent: by code, or by a path of Chinese names down from the
 * nearest code ("110115/观音寺街道"). Empty means the top level.
 */
export async function resolveParentReference(db: Executor, actor: Actor, reference: string): Promise<number | null> {
  await assertCanRead(db, actor);
  if (reference.trim() === '') return null;
  const found = await resolvePlaceReference(databaseLookup(db), reference.trim());
  if (!found.ok) throw new PlaceRuleError(400, 'parent', found.problem, 'parent');
  return found.place.id;
}

/** How a place is named in a form or a CSV file. */
export async function referenceOfPlace(db: Executor, actor: Actor, id: number): Promise<string> {
  await assertCanRead(db, actor);
  const chain = (await placeRepository.listPlaceAndAncestors(db, id)).map(placeRowToPlace).reverse();
  if (chain.length === 0) throw notFound();
  return formatPlaceReference(chain);
}

/** The content a place will have, checked against the rules before it is written. */
interface PlaceContent {
  code: string | null;
  nameZh: string;
  level: PlaceLevel;
  parentId: number | null;
  lat: number | null;
  lon: number | null;
}

/** Who writes, for the rules: her territory, and whether the parent is new (a created place, or a move). */
interface Writing {
  territory: PlaceTerritory;
  newParent: boolean;
}

async function assertPlaceFits(tx: Executor, content: PlaceContent, writing: Writing, id?: number): Promise<void> {
  if ((content.lat === null) !== (content.lon === null)) {
    throw new PlaceRuleError(400, 'coordinates', placeMessages.coordinatesPair(), content.lat === null ? 'lat' : 'lon');
  }
  if (content.parentId === null && writing.newParent && writing.territory !== 'all') {
    throw new PlaceRuleError(403, 'outside_territory', placeMessages.topLevelNeedsAdministrator(), 'parent');
  }
  if (content.parentId !== null) {
    const chain = await placeRepository.listPlaceAndAncestors(tx, content.parentId);
    const parent = chain[0];
    if (!parent) throw new PlaceRuleError(400, 'parent', placeMessages.parentMissing(`#${content.parentId}`), 'parent');
    if (writing.newParent && !territoryCovers(writing.territory, chain)) {
      throw new PlaceRuleError(403, 'outside_territory', placeMessages.parentOutsideTerritory(placeRowToPlace(parent)), 'parent');
    }
    if (id !== undefined && chain.some((place) => place.id === id)) {
      throw new PlaceRuleError(400, 'cycle', placeMessages.cycle(), 'parent');
    }
    if (!levelFitsUnder(content.level, parent.level)) {
      throw new PlaceRuleError(400, 'level', placeMessages.levelUnderParent(content.level, placeRowToPlace(parent)), 'level');
    }
  }
  if (id !== undefined) {
    const misfit = await placeRepository.findChildOutsideLevels(tx, id, levelsUnder(content.level));
    if (misfit) throw new PlaceRuleError(400, 'level', placeMessages.levelAboveChild(content.level, placeRowToPlace(misfit)), 'level');
  }
  if (content.code !== null) {
    const holder = await placeRepository.findPlaceByCode(tx, content.code);
    if (holder && holder.id !== id) throw new PlaceRuleError(409, 'conflict', placeMessages.codeTaken(content.code, placeRowToPlace(holder)), 'code');
  } else if (await placeRepository.findUncodedSibling(tx, content.parentId, content.nameZh, id)) {
    throw new PlaceRuleError(409, 'conflict', placeMessages.uncodedNameTaken(content.nameZh), 'nameZh');
  }
}

/** Turns a unique-index violation (another writer won a race for a code or a name) into a refusal. */
function refusingRaces(error: unknown): never {
  if (typeof error === 'object' && error !== null && 'code' in error && error.code === '23505') {
    throw new PlaceRuleError(409, 'conflict', placeMessages.raced(), '_form');
  }
  throw error;
}

/** Adds a place to the gazetteer, under a parent within the actor's territory (at the top: platform administrators only). */
export async function createPlace(db: Kysely<Database>, actor: Actor, input: PlaceInput): Promise<Place> {
  const territory = await placeTerritory(db, actor);
  if (!holdsAnyPlace(territory)) throw notFound();
  return db.transaction().execute(async (tx) => {
    await assertPlaceFits(tx, input, { territory, newParent: true });
    const row = await placeRepository.insertPlace(tx, {
      code: input.code,
      name_zh: input.nameZh,
      name_en: input.nameEn,
      level: input.level,
      parent_id: input.parentId,
      lat: input.lat,
      lon: input.lon,
    });
    const place = placeRowToPlace(row);
    await recordAudit(tx, actor, { action: 'create', entityType: 'place', entityId: row.id, after: place });
    return place;
  }).catch(refusingRaces);
}

/**
 * Changes a place within the actor's territory: its names, code, level, parent (no cycles, levels in
 * order, a new parent within the territory too) or coordinates. A place outside answers "not found".
 */
export async function updatePlace(db: Kysely<Database>, actor: Actor, id: number, changes: PlacePatch): Promise<Place> {
  const territory = await placeTerritory(db, actor);
  if (!holdsAnyPlace(territory)) throw notFound();
  return db.transaction().execute(async (tx) => {
    const chain = await placeRepository.listPlaceAndAncestors(tx, id);
    const beforeRow = chain[0];
    if (!beforeRow || !territoryCovers(territory, chain)) throw notFound();
    const before = placeRowToPlace(beforeRow);
    const content: PlaceContent = {
      code: changes.code === undefined ? before.code : changes.code,
      nameZh: changes.nameZh ?? before.nameZh,
      level: changes.level ?? before.level,
      parentId: changes.parentId === undefined ? before.parentId : changes.parentId,
      lat: changes.lat === undefined ? before.lat : changes.lat,
      lon: changes.lon === undefined ? before.lon : changes.lon,
    };
    await assertPlaceFits(tx, content, { territory, newParent: content.parentId !== before.parentId }, id);
    const row = await placeRepository.updatePlace(tx, id, {
      code: content.code,
      name_zh: content.nameZh,
      name_en: changes.nameEn ?? before.nameEn,
      level: content.level,
      parent_id: content.parentId,
      lat: content.lat,
      lon: content.lon,
    });
    const place = placeRowToPlace(row);
    await recordAudit(tx, actor, { action: 'update', entityType: 'place', entityId: id, before, after: place });
    return place;
  }).catch(refusingRaces);
}

/**
 * Deletes a place within the actor's territory that nothing refers to: no place under it, no
 * organization or facility located in it. A place outside answers "not found".
 */
export async function deletePlace(db: Kysely<Database>, actor: Actor, id: number): Promise<void> {
  const territory = await placeTerritory(db, actor);
  if (!holdsAnyPlace(territory)) throw notFound();
  await db.transaction().execute(async (tx) => {
    const chain = await placeRepository.listPlaceAndAncestors(tx, id);
    const before = chain[0];
    if (!before || !territoryCovers(territory, chain)) throw notFound();
    const dependents = await placeRepository.countPlaceDependents(tx, id);
    if (dependents.children > 0 || dependents.organizations > 0) {
      throw new PlaceRuleError(409, 'conflict', placeMessages.stillReferred(dependents.children, dependents.organizations), '_form');
    }
    if (dependents.facilities > 0) {
      const text = {
        zh: `仍有 ${dependents.facilities} 个服务阵地位于该地点；请先移走或删除它们。`,
        en: `${dependents.facilities} facility(ies) are still located in this place; move or delete them first.`,
      };
      throw new PlaceRuleError(409, 'conflict', text, '_form');
    }
    await placeRepository.deletePlace(tx, id);
    await recordAudit(tx, actor, { action: 'delete', entityType: 'place', entityId: id, before: placeRowToPlace(before) });
  });
}
