import type { Kysely } from 'kysely';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Database } from '../../db/database.ts';
import type { Actor } from '../../platform/access.ts';
import { actorOf, requireApiActor } from '../../platform/auth.ts';
import { notFound } from '../../platform/errors.ts';
import { apiErrorResponses } from '../../platform/openapi.ts';
import { mediaSrcset } from '../media/media.picture.tsx';
import * as activityService from './activity.service.ts';
import { listActivityArticles, type ActivityArticles } from './activity-article.service.ts';
import {
  activityDetailOutput,
  activityInput,
  activityListOutput,
  activityParams,
  activityPatch,
  activityQuery,
  agendaItemInput,
  agendaItemOutput,
  agendaItemParams,
  attendeeInput,
  attendeeOutput,
  followUpInput,
  followUpOutput,
  partParams,
  sessionInput,
  sessionOutput,
  stopInput,
  stopOutput,
} from './activity.schema.ts';

const iso = (instant: Date | null): string | null => (instant === null ? null : instant.toISOString());

function names(record: { id: number; nameZh: string; nameEn: string }) {
  return { id: record.id, nameZh: record.nameZh, nameEn: record.nameEn };
}

function activityToOutput(activity: activityService.ActivityListItem) {
  return {
    id: activity.id,
    kind: activity.kind,
    titleZh: activity.titleZh,
    titleEn: activity.titleEn,
    summaryZh: activity.summaryZh,
    summaryEn: activity.summaryEn,
    startsAt: activity.startsAt.toISOString(),
    endsAt: activity.endsAt.toISOString(),
    status: activity.status,
    visibility: activity.visibility,
    organizers: activity.organizers.map((organizer) => ({ ...names(organizer), role: organizer.role })),
    createdAt: activity.createdAt.toISOString(),
    updatedAt: activity.updatedAt.toISOString(),
  };
}

function stopToOutput(stop: activityService.ActivityStop): z.infer<typeof stopOutput> {
  return {
    ...stop,
    facility: stop.facility ? { ...names(stop.facility), placeId: stop.facility.placeId } : null,
    place: stop.place ? names(stop.place) : null,
    startsAt: iso(stop.startsAt),
    endsAt: iso(stop.endsAt),
    hosts: stop.hosts.map(names),
  };
}

function agendaItemToOutput(item: activityService.AgendaItem): z.infer<typeof agendaItemOutput> {
  return { ...item, speaker: item.speaker ? names(item.speaker) : null, speakerOrganization: item.speakerOrganization ? names(item.speakerOrganization) : null };
}

function sessionToOutput(session: activityService.ActivitySession): z.infer<typeof sessionOutput> {
  return { ...session, startsAt: iso(session.startsAt), endsAt: iso(session.endsAt), items: session.items.map(agendaItemToOutput) };
}

function attendeeToOutput(attendee: activityService.Attendee): z.infer<typeof attendeeOutput> {
  return {
    ...attendee,
    person: attendee.person ? names(attendee.person) : null,
    organization: names(attendee.organization),
    federation: names(attendee.federation),
  };
}

function followUpToOutput(followUp: activityService.FollowUp): z.infer<typeof followUpOutput> {
  return { ...followUp, ownerOrganization: names(followUp.ownerOrganization), ownerPerson: followUp.ownerPerson ? names(followUp.ownerPerson) : null };
}

function detailToOutput(detail: activityService.ActivityDetail, reports: ActivityArticles): z.infer<typeof activityDetailOutput> {
  return {
    ...activityToOutput(detail),
    topics: detail.topics,
    stops: detail.stops.map(stopToOutput),
    sessions: detail.sessions.map(sessionToOutput),
    attendees: detail.attendees.map(attendeeToOutput),
    followUps: detail.followUps.map(followUpToOutput),
    photos: detail.photos.map((photo) => ({
      mediaId: photo.mediaId,
      position: photo.position,
      altZh: photo.media.alt.zh,
      altEn: photo.media.alt.en,
      url: mediaSrcset(photo.media).src,
    })),
    editable: detail.editable,
    articles: reports.articles.map((article) => ({
      articleId: article.articleId,
      siteId: article.siteId,
      siteSlug: article.siteSlug,
      status: article.status,
      publishAt: article.publishAt.toISOString(),
      titleZh: article.titleZh,
      titleEn: article.titleEn,
      portal: article.portal,
    })),
  };
}

/** An activity and the updates reporting on it, as the API reads it. */
async function readDetail(db: Kysely<Database>, actor: Actor, id: number): Promise<z.infer<typeof activityDetailOutput>> {
  const [detail, reports] = await Promise.all([activityService.getActivityDetail(db, actor, id), listActivityArticles(db, actor, id)]);
  return detailToOutput(detail, reports);
}

const tags = ['activities'];

/** A part of an activity the API adds (POST), replaces (PUT) and removes (DELETE) on its own address. */
interface PartRoutes<Input extends z.ZodType, Part extends { id: number }> {
  /** The collection's address under the activity, e.g. "stops". */
  path: string;
  part: activityService.ActivityPart;
  summary: string;
  description: string;
  input: Input;
  /** The part's output schema; toOutput's declared type matches it. */
  output: z.ZodType;
  save: (db: Kysely<Database>, actor: Actor, activityId: number, partId: number | undefined, input: z.output<Input>) => Promise<number>;
  pick: (detail: activityService.ActivityDetail) => readonly Part[];
  toOutput: (part: Part) => unknown;
}

/** JSON API of activities: list with filters, read whole, create, change, delete; their parts on addresses of their own. */
export const activityApi: FastifyPluginAsyncZod = async (app) => {
  app.addHook('preHandler', requireApiActor);

  app.get(
    '/api/v1/activities',
    {
      schema: {
        tags,
        summary: 'List activities',
        description:
          'Latest first. q matches part of a title; kind and topic are codes (see /api/v1/activity-kinds and /api/v1/activity-topics); ' +
          'organizationId includes the units below it; placeId matches stops at that place or below it, at a facility there or at the ' +
          'place itself; from and to (YYYY-MM-DD, Asia/Shanghai) keep activities going on within those days. Internal activities are ' +
          'listed only for staff of one of their organizers.',
        querystring: activityQuery,
        response: { 200: activityListOutput, ...apiErrorResponses },
      },
    },
    async (request) => {
      const page = await activityService.listActivities(app.db, actorOf(request), request.query);
      return { ...page, items: page.items.map(activityToOutput) };
    },
  );

  app.get(
    '/api/v1/activities/:id',
    {
      schema: {
        tags,
        summary: 'Read an activity with its organizers, topics, stops, sessions, attendees, follow-ups and photos',
        params: activityParams,
        response: { 200: activityDetailOutput, ...apiErrorResponses },
      },
    },
    async (request) => readDetail(app.db, actorOf(request), request.params.id),
  );

  app.post(
    '/api/v1/activities',
    {
      schema: {
        tags,
        summary: 'Create an activity',
        description:
          'startsAt and endsAt are "2024-03-25 09:30" on the Asia/Shanghai clock, or instants with an offset; the end may not come ' +
          'before the start. At least one organizer has the role "organizer", and the caller must have edit_records on one of them. ' +
          'photoIds are images of a media library the caller writes for.',
        body: activityInput,
        response: { 201: activityDetailOutput, ...apiErrorResponses },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const id = await activityService.createActivity(app.db, actor, request.body);
      return reply.code(201).send(await readDetail(app.db, actor, id));
    },
  );

  app.patch(
    '/api/v1/activities/:id',
    {
      schema: {
        tags,
        summary: 'Change an activity',
        description: 'Fields left out stay as they are; organizers, topics and photoIds, when given, replace those lists (in order).',
        params: activityParams,
        body: activityPatch,
        response: { 200: activityDetailOutput, ...apiErrorResponses },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      await activityService.updateActivity(app.db, actor, request.params.id, request.body);
      return readDetail(app.db, actor, request.params.id);
    },
  );

  app.delete(
    '/api/v1/activities/:id',
    {
      schema: { tags, summary: 'Delete an activity and all its parts', params: activityParams, response: { 204: z.null(), ...apiErrorResponses } },
    },
    async (request, reply) => {
      await activityService.deleteActivity(app.db, actorOf(request), request.params.id);
      return reply.code(204).send(null);
    },
  );

  for (const [path, summary, list] of [
    ['/api/v1/activity-kinds', 'List the kinds of activity', activityService.listKinds],
    ['/api/v1/activity-topics', 'List the topics of activities', activityService.listTopics],
  ] as const) {
    app.get(
      path,
      { schema: { tags, summary, response: { 200: z.array(z.object({ code: z.string(), nameZh: z.string(), nameEn: z.string() })), ...apiErrorResponses } } },
      async (request) => list(app.db, actorOf(request)),
    );
  }

  function partRoutes<Input extends z.ZodType, Part extends { id: number }>(routes: PartRoutes<Input, Part>): void {
    const collection = `/api/v1/activities/:id/${routes.path}`;
    const responses = { 201: routes.output, 200: routes.output, 204: z.null(), ...apiErrorResponses };
    async function answer(actor: Actor, activityId: number, partId: number) {
      const part = routes.pick(await activityService.getActivityDetail(app.db, actor, activityId)).find((entry) => entry.id === partId);
      if (!part) throw notFound();
      return routes.toOutput(part);
    }

    app.post(
      collection,
      {
        schema: {
          tags,
          summary: `Add ${routes.summary}`,
          description: `${routes.description} position (1 = first) places it; without it, it goes last.`,
          params: activityParams,
          body: routes.input,
          response: { 201: responses[201], ...apiErrorResponses },
        },
      },
      async (request, reply) => {
        const actor = actorOf(request);
        const partId = await routes.save(app.db, actor, request.params.id, undefined, request.body as z.output<Input>);
        return reply.code(201).send(await answer(actor, request.params.id, partId));
      },
    );

    app.put(
      `${collection}/:partId`,
      {
        schema: {
          tags,
          summary: `Replace ${routes.summary}`,
          description: `${routes.description} position (1 = first) moves it.`,
          params: partParams,
          body: routes.input,
          response: { 200: responses[200], ...apiErrorResponses },
        },
      },
      async (request) => {
        const actor = actorOf(request);
        await routes.save(app.db, actor, request.params.id, request.params.partId, request.body as z.output<Input>);
        return answer(actor, request.params.id, request.params.partId);
      },
    );

    app.delete(
      `${collection}/:partId`,
      { schema: { tags, summary: `Remove ${routes.summary}`, params: partParams, response: { 204: responses[204], ...apiErrorResponses } } },
      async (request, reply) => {
        await activityService.removePart(app.db, actorOf(request), request.params.id, { part: routes.part, id: request.params.partId });
        return reply.code(204).send(null);
      },
    );
  }

  partRoutes({
    path: 'stops',
    part: 'stop',
    summary: 'a stop of the itinerary',
    description: 'A stop is at a facility (facilityId) or, where there is none, at a place (placeId): one of the two. hostIds are organizations.',
    input: stopInput,
    output: stopOutput,
    save: activityService.saveStop,
    pick: (detail) => detail.stops,
    toOutput: stopToOutput,
  });
  partRoutes({
    path: 'sessions',
    part: 'session',
    summary: 'a session (a meeting within the activity, with its minutes)',
    description: 'A title in Chinese or English; its agenda items are at /sessions/{partId}/items.',
    input: sessionInput,
    output: sessionOutput,
    save: activityService.saveSession,
    pick: (detail) => detail.sessions,
    toOutput: sessionToOutput,
  });
  partRoutes({
    path: 'attendees',
    part: 'attendee',
    summary: 'an attendee',
    description:
      'A person is listed once. Her organizationId and title, left out, are taken from the posts she held on the day the activity ' +
      'begins and kept as they were. Without a person: an organization and a title ("Head"), for a post whose holder is not named.',
    input: attendeeInput,
    output: attendeeOutput,
    save: activityService.saveAttendee,
    pick: (detail) => detail.attendees,
    toOutput: attendeeToOutput,
  });
  partRoutes({
    path: 'follow-ups',
    part: 'followUp',
    summary: 'a follow-up (an action agreed)',
    description: 'Owned by an organization, optionally a person; due on a day; open, done or dropped.',
    input: followUpInput,
    output: followUpOutput,
    save: activityService.saveFollowUp,
    pick: (detail) => detail.followUps,
    toOutput: followUpToOutput,
  });

  const items = '/api/v1/activities/:id/sessions/:partId/items';
  async function agendaItemAnswer(actor: Actor, activityId: number, sessionId: number, itemId: number) {
    const detail = await activityService.getActivityDetail(app.db, actor, activityId);
    const item = detail.sessions.find((session) => session.id === sessionId)?.items.find((entry) => entry.id === itemId);
    if (!item) throw notFound();
    return agendaItemToOutput(item);
  }

  app.post(
    items,
    {
      schema: {
        tags,
        summary: 'Add an agenda item to a session',
        description: 'A subject in Chinese or English; the speaker (a person) and the organization she spoke for are optional.',
        params: partParams,
        body: agendaItemInput,
        response: { 201: agendaItemOutput, ...apiErrorResponses },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const { id, partId } = request.params;
      const itemId = await activityService.saveAgendaItem(app.db, actor, id, partId, undefined, request.body);
      return reply.code(201).send(await agendaItemAnswer(actor, id, partId, itemId));
    },
  );

  app.put(
    `${items}/:itemId`,
    {
      schema: { tags, summary: 'Replace an agenda item', params: agendaItemParams, body: agendaItemInput, response: { 200: agendaItemOutput, ...apiErrorResponses } },
    },
    async (request) => {
      const actor = actorOf(request);
      const { id, partId, itemId } = request.params;
      await activityService.saveAgendaItem(app.db, actor, id, partId, itemId, request.body);
      return agendaItemAnswer(actor, id, partId, itemId);
    },
  );

  app.delete(
    `${items}/:itemId`,
    { schema: { tags, summary: 'Remove an agenda item', params: agendaItemParams, response: { 204: z.null(), ...apiErrorResponses } } },
    async (request, reply) => {
      const { id, partId, itemId } = request.params;
      await activityService.removePart(app.db, actorOf(request), id, { part: 'agendaItem', sessionId: partId, id: itemId });
      return reply.code(204).send(null);
    },
  );
};
