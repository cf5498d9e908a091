import type { Executor } from '../database.ts';
import * as placeRepository from '../../domains/places/place.repository.ts';
import type { PlaceLevel } from '../../domains/places/place.table.ts';

/** A place of the demo gazetteer; `parentKey` names an earlier one. */
export interface DemoPlace {
  key: string;
  /** Only codes known to be the real national administrative division codes; none is made up. */
  code?: string;
  nameZh: string;
  nameEn: string;
  level: PlaceLevel;
  parentKey?: string;
  lat?: number;
  lon?: number;
}

/**
 * The seed's places and the federations' provinces. Beijing and Tianjin, province-level municipalities,
 * stand at level `province`; Shijiazhuang, a prefecture-level city, is a `municipality` under Hebei.
 * The codes of Guanyinsi Sub-district and Shouzuoyuyuan Erli Community are not known here: left empty.
 */
export const demoPlaces: DemoPlace[] = [
  { key: 'beijing', code: '110000', nameZh: '北京市', nameEn: 'Beijing', level: 'province', lat: 39.9042, lon: 116.4074 },
  { key: 'daxing', code: '110115', nameZh: '大兴区', nameEn: 'Daxing District', level: 'district', parentKey: 'beijing' },
  { key: 'guanyinsi', nameZh: '观音寺街道', nameEn: 'Guanyinsi Sub-district', level: 'subdistrict', parentKey: 'daxing' },
  {
    key: 'shouzuoyuyuan-erli',
    nameZh: '首座御园二里社区',
    nameEn: 'Shouzuoyuyuan Erli Residential Community',
    level: 'community',
    parentKey: 'guanyinsi',
  },
  { key: 'tianjin', code: '120000', nameZh: '天津市', nameEn: 'Tianjin', level: 'province' },
  { key: 'heping', code: '120101', nameZh: '和平区', nameEn: 'Heping District', level: 'district', parentKey: 'tianjin' },
  { key: 'hexi', code: '120103', nameZh: '河西区', nameEn: 'Hexi District', level: 'district', parentKey: 'tianjin' },
  { key: 'hebei', code: '130000', nameZh: '河北省', nameEn: 'Hebei Province', level: 'province' },
  { key: 'shijiazhuang', code: '130100', nameZh: '石家庄市', nameEn: 'Shijiazhuang', level: 'municipality', parentKey: 'hebei' },
];

/** Where the demo organizations are. */
export const demoOrganizationPlaces: { organizationSlug: string; placeKey: string }[] = [
  { organizationSlug: 'bwf', placeKey: 'beijing' },
  { organizationSlug: 'twf', placeKey: 'tianjin' },
  { organizationSlug: 'hebei-wf', placeKey: 'hebei' },
  { organizationSlug: 'daxing-wf', placeKey: 'daxing' },
  { organizationSlug: 'guanyinsi-wf', placeKey: 'guanyinsi' },
];

/**
 * Adds the demo places that are missing (found by code, or by parent and Chinese name when they have
 * none) and gives the demo organizations their place where they have none; returns how many places it
 * added and every demo place's id by its key.
 */
export async function ensureDemoPlaces(
  tx: Executor,
  organizationIds: ReadonlyMap<string, number>,
): Promise<{ added: number; ids: ReadonlyMap<string, number> }> {
  const ids = new Map<string, number>();
  let added = 0;
  for (const place of demoPlaces) {
    const parentId = place.parentKey === undefined ? null : ids.get(place.parentKey);
    if (parentId === undefined) throw new Error(`demo place ${place.key} names unknown parent ${place.parentKey ?? ''}`);
    const existing = place.code
      ? await placeRepository.findPlaceByCode(tx, place.code)
      : await placeRepository.findUncodedSibling(tx, parentId, place.nameZh);
    if (existing) {
      ids.set(place.key, existing.id);
      continue;
    }
    const row = await placeRepository.insertPlace(tx, {
      code: place.code ?? null,
      name_zh: place.nameZh,
      name_en: place.nameEn,
      level: place.level,
      parent_id: parentId,
      lat: place.lat ?? null,
      lon: place.lon ?? null,
    });
    ids.set(place.key, row.id);
    added += 1;
  }
  for (const link of demoOrganizationPlaces) {
    const organizationId = organizationIds.get(link.organizationSlug);
    const placeId = ids.get(link.placeKey);
    if (organizationId === undefined || placeId === undefined) throw new Error(`demo place of ${link.organizationSlug} names unknown records`);
    await tx.updateTable('organization').set({ place_id: placeId }).where('id', '=', organizationId).where('place_id', 'is', null).execute();
  }
  return { added, ids };
}
