import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { z } from 'zod';
import type { Actor } from '../../platform/access.ts';
import { actorOf, apiActor, loadSession, requireApiActor } from '../../platform/auth.ts';
import { locales } from '../../platform/i18n.ts';
import { apiErrorResponses } from '../../platform/openapi.ts';
import * as newsroomService from './newsroom.service.ts';
import {
  articleIdParams,
  articleInput,
  articleListOutput,
  articleOutput,
  articlePatch,
  articleQuery,
  transitionInput,
} from './newsroom.schema.ts';

type ArticleOutput = z.infer<typeof articleOutput>;

function toOutput(article: newsroomService.NewsroomArticle & { events?: newsroomService.ArticleEvent[] }): ArticleOutput {
  return {
    id: article.id,
    siteId: article.siteId,
    siteSlug: article.siteSlug,
    sectionId: article.sectionId,
    slug: article.slug,
    status: article.status,
    publishAt: article.publishAt.toISOString(),
    tags: article.tags,
    coverMediaId: article.coverMediaId,
    createdAt: article.createdAt.toISOString(),
    updatedAt: article.updatedAt.toISOString(),
    translations: locales.flatMap((locale) => {
      const version = article.versions[locale];
      return version
        ? [
            {
              locale,
              status: version.status,
              title: version.title,
              summary: version.summary,
              bodyHtml: version.bodyHtml,
              bodyMarkdown: version.bodyMarkdown,
            },
          ]
        : [];
    }),
    events: article.events?.map((event) => ({
      step: event.step,
      actorName: event.actorName,
      at: event.at.toISOString(),
      comment: event.comment,
    })),
  };
}

function toListItem(article: newsroomService.NewsroomArticle) {
  const { translations, events: _events, ...rest } = toOutput(article);
  return { ...rest, translations: translations.map(({ bodyHtml: _html, bodyMarkdown: _markdown, ...summary }) => summary) };
}

/** The caller when credentials came with the request (bad ones are a 401); anonymous readers are null. */
async function optionalActor(request: FastifyRequest): Promise<Actor | null> {
  if (request.headers.authorization !== undefined) return apiActor(request);
  const session = await loadSession(request);
  return session?.actor ?? null;
}

const tags = ['articles'];

/**
 * JSON API of the newsroom: anyone may read what the portal shows; staff of a site also read its
 * updates in every step; editors write, and the workflow moves through transitions.
 */
export const newsroomApi: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/api/v1/articles',
    {
      schema: {
        tags,
        summary: 'List updates',
        description:
          'Without credentials: published updates in their reviewed languages, newest first. Staff also get every step of ' +
          "their own sites' updates, most recently changed first.",
        security: [{}, { apiToken: [] }],
        querystring: articleQuery,
        response: { 200: articleListOutput, ...apiErrorResponses },
      },
    },
    async (request) => {
      const page = await newsroomService.listArticlesForApi(app.db, await optionalActor(request), request.query);
      return { ...page, items: page.items.map(toListItem) };
    },
  );

  app.get(
    '/api/v1/articles/:id',
    {
      schema: {
        tags,
        summary: 'Read an update',
        description: 'Readers get a published update in its reviewed languages; staff of its site get it whole, with its workflow history.',
        security: [{}, { apiToken: [] }],
        params: articleIdParams,
        response: { 200: articleOutput, ...apiErrorResponses },
      },
    },
    async (request) => toOutput(await newsroomService.getArticleForApi(app.db, await optionalActor(request), request.params.id)),
  );

  app.post(
    '/api/v1/articles',
    {
      preHandler: requireApiActor,
      schema: {
        tags,
        summary: 'Write a new update (a draft)',
        description: 'Bodies are Markdown; publishAt is the site\'s wall clock ("2024-03-25 14:33") or an instant with its offset.',
        body: articleInput,
        response: { 201: articleOutput, ...apiErrorResponses },
      },
    },
    async (request, reply) => {
      const created = await newsroomService.createArticle(app.db, actorOf(request), request.body);
      return reply.code(201).send(toOutput(created));
    },
  );

  app.patch(
    '/api/v1/articles/:id',
    {
      preHandler: requireApiActor,
      schema: {
        tags,
        summary: 'Change an update (a new revision)',
        description: 'Fields left out stay as they are; an empty title removes that language version.',
        params: articleIdParams,
        body: articlePatch,
        response: { 200: articleOutput, ...apiErrorResponses },
      },
    },
    async (request) => toOutput(await newsroomService.updateArticle(app.db, actorOf(request), request.params.id, request.body)),
  );

  app.post(
    '/api/v1/articles/:id/transitions',
    {
      preHandler: requireApiActor,
      schema: {
        tags,
        summary: 'Take a step of the workflow',
        description:
          'submit (editors), approve or send_back with a comment (reviewers), publish — scheduled when publishAt is in the ' +
          'future — unpublish, archive (publishers), reopen an archived update (editors). A step from the wrong place is a 409.',
        params: articleIdParams,
        body: transitionInput,
        response: { 200: articleOutput, ...apiErrorResponses },
      },
    },
    async (request) => toOutput(await newsroomService.transitionArticle(app.db, actorOf(request), request.params.id, request.body)),
  );
};
