import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf, requireApiActor } from '../../platform/auth.ts';
import { apiErrorResponses } from '../../platform/openapi.ts';
import {
  facilityDetailOutput,
  facilityInput,
  facilityListOutput,
  facilityOutput,
  facilityParams,
  facilityPatch,
  facilityQuery,
  taxonomyListOutput,
} from './facility.schema.ts';
import * as facilityService from './facility.service.ts';
import { formatWeeklyHours } from './opening-hours.ts';

function toOutput(facility: facilityService.Facility, kind: string, services: readonly string[]): z.infer<typeof facilityOutput> {
  return {
    id: facility.id,
    kind,
    nameZh: facility.nameZh,
    nameEn: facility.nameEn,
    placeId: facility.placeId,
    addressZh: facility.addressZh,
    addressEn: facility.addressEn,
    lat: facility.lat,
    lon: facility.lon,
    operatorOrganizationId: facility.operatorOrganizationId,
    hostOrganizationId: facility.hostOrganizationId,
    keeperPersonId: facility.keeperPersonId,
    descriptionZh: facility.descriptionZh,
    descriptionEn: facility.descriptionEn,
    phone: facility.phone,
    email: facility.email,
    website: facility.website,
    accessibilityZh: facility.accessibilityZh,
    accessibilityEn: facility.accessibilityEn,
    status: facility.status,
    verifiedOn: facility.verifiedOn,
    services: [...services],
    createdAt: facility.createdAt.toISOString(),
    updatedAt: facility.updatedAt.toISOString(),
  };
}

function itemToOutput(item: facilityService.FacilityListItem) {
  return toOutput(
    item,
    item.kind.code,
    item.services.map((service) => service.code),
  );
}

function detailToOutput(detail: facilityService.FacilityDetail): z.infer<typeof facilityDetailOutput> {
  const names = (entry: facilityService.Names | null) => (entry ? { id: entry.id, nameZh: entry.nameZh, nameEn: entry.nameEn } : null);
  return {
    ...itemToOutput(detail),
    kindName: { zh: detail.kind.nameZh, en: detail.kind.nameEn },
    places: detail.places.map((place) => ({ id: place.id, code: place.code, nameZh: place.nameZh, nameEn: place.nameEn })),
    operator: { id: detail.operator.id, nameZh: detail.operator.nameZh, nameEn: detail.operator.nameEn },
    host: names(detail.host),
    keeper: names(detail.keeper),
    hours: detail.hours,
    hoursText: formatWeeklyHours(detail.hours, 'code'),
    exceptions: detail.exceptions,
    photos: detail.photoIds,
  };
}

const tags = ['facilities'];
// Only digits name a facility, so that other addresses under /facilities stay free.
const byId = '/api/v1/facilities/:id(^\\d{1,9}$)';

/** JSON API for facilities: read for staff, changes for those with edit_records on the operator; the two lists to read. */
export const facilityApi: FastifyPluginAsyncZod = async (app) => {
  app.addHook('preHandler', requireApiActor);

  app.get(
    '/api/v1/facilities',
    {
      schema: {
        tags,
        summary: 'List facilities',
        description:
          'q matches part of the name or the address in either language; kind and service take codes (see /api/v1/facility-kinds ' +
          'and /api/v1/service-types); placeId keeps facilities in that place or below it; operatorId those operated by that ' +
          'organization or a unit below it; needsVerification=true the active or temporarily closed ones the caller may edit that ' +
          'were not verified for a year (or never), oldest first.',
        querystring: facilityQuery,
        response: { 200: facilityListOutput, ...apiErrorResponses },
      },
    },
    async (request) => {
      const page = await facilityService.listFacilities(app.db, actorOf(request), request.query);
      return { ...page, items: page.items.map(itemToOutput) };
    },
  );

  app.get(
    byId,
    {
      schema: {
        tags,
        summary: 'Read a facility',
        description: 'With its places (top first), operator, host, keeper, hours (as data and as text), exceptions and photo ids.',
        params: facilityParams,
        response: { 200: facilityDetailOutput, ...apiErrorResponses },
      },
    },
    async (request) => detailToOutput(await facilityService.getFacilityDetail(app.db, actorOf(request), request.params.id)),
  );

  const hoursNote =
    'hours: the text form ("Mo-Fr 09:00-12:00,13:30-17:30; Sa 09:00-12:00", Chinese day names too) or [{weekday (1 = Monday), opens, ' +
    'closes}]; exceptions: [{onDate, opens, closes, noteZh, noteEn}] (no times: closed that day) or lines "2027-02-06 closed 春节 / ' +
    'Spring Festival". Intervals that end before they start or overlap are refused (400, code hours or exceptions). Needs ' +
    'edit_records on the operator organization.';

  app.post(
    '/api/v1/facilities',
    {
      schema: {
        tags,
        summary: 'Add a facility',
        description: hoursNote,
        body: facilityInput,
        response: { 201: facilityDetailOutput, ...apiErrorResponses },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const created = await facilityService.createFacility(app.db, actor, request.body);
      return reply.code(201).send(detailToOutput(await facilityService.getFacilityDetail(app.db, actor, created.id)));
    },
  );

  app.patch(
    byId,
    {
      schema: {
        tags,
        summary: 'Change a facility',
        description: `Fields left out keep their value; lists given replace the stored ones. ${hoursNote}`,
        params: facilityParams,
        body: facilityPatch,
        response: { 200: facilityDetailOutput, ...apiErrorResponses },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      await facilityService.updateFacility(app.db, actor, request.params.id, request.body);
      return detailToOutput(await facilityService.getFacilityDetail(app.db, actor, request.params.id));
    },
  );

  app.delete(
    byId,
    {
      schema: { tags, summary: 'Delete a facility', params: facilityParams, response: { 204: z.null(), ...apiErrorResponses } },
    },
    async (request, reply) => {
      await facilityService.deleteFacility(app.db, actorOf(request), request.params.id);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/api/v1/facility-kinds',
    { schema: { tags, summary: 'List the kinds of facility, in order', response: { 200: taxonomyListOutput, ...apiErrorResponses } } },
    async (request) => ({ items: await facilityService.listTaxonomy(app.db, actorOf(request), 'kinds') }),
  );

  app.get(
    '/api/v1/service-types',
    { schema: { tags, summary: 'List the services facilities offer, in order', response: { 200: taxonomyListOutput, ...apiErrorResponses } } },
    async (request) => ({ items: await facilityService.listTaxonomy(app.db, actorOf(request), 'services') }),
  );
};
