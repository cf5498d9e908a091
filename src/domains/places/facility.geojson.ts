import type { Executor } from '../../db/database.ts';
import type { Actor } from '../../platform/access.ts';
import { loadExport } from './facility.import.ts';

/** A GeoJSON FeatureCollection (RFC 7946) of facilities, with how many were left out for want of coordinates. */
export interface FacilityFeatureCollection {
  type: 'FeatureCollection';
  features: {
    type: 'Feature';
    id: number;
    /** RFC 7946 order: longitude first. */
    geometry: { type: 'Point'; coordinates: [number, number] };
    properties: Record<string, string | number | null>;
  }[];
  /** A foreign member (RFC 7946 § 6.1): facilities not on the map because their coordinates are not known. */
  withoutCoordinates: number;
}

/**
 * The located facilities (all, or one operator's and its units') as points for a map or a GIS:
 * names, kind (code and names), status, address, the place as the CSV names it and as a path of names,
 * and the operator's slug. Facilities without coordinates are counted, not drawn.
 */
export async function exportFacilitiesGeoJson(db: Executor, actor: Actor, operatorSlug?: string): Promise<FacilityFeatureCollection> {
  const { context, facilities } = await loadExport(db, actor, operatorSlug);
  const located = facilities.filter((facility) => facility.content.lat !== null && facility.content.lon !== null);
  return {
    type: 'FeatureCollection',
    features: located.map(({ id, content }) => {
      const kind = context.kinds.get(content.kind);
      return {
        type: 'Feature',
        id,
        geometry: { type: 'Point', coordinates: [content.lon ?? 0, content.lat ?? 0] },
        properties: {
          id,
          nameZh: content.nameZh,
          nameEn: content.nameEn,
          kind: content.kind,
          kindNameZh: kind?.nameZh ?? '',
          kindNameEn: kind?.nameEn ?? '',
          status: content.status,
          addressZh: content.addressZh,
          addressEn: content.addressEn,
          place: context.placeReference(content.placeId),
          placePath: context
            .placeChain(content.placeId)
            .map((place) => place.nameZh)
            .join('/'),
          operator: context.organizations.get(content.operatorId)?.slug ?? null,
        },
      };
    }),
    withoutCoordinates: facilities.length - located.length,
  };
}
