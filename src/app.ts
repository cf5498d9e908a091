import Fastify, {
  LogController,
  type FastifyBaseLogger,
  type FastifyError,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
  type FastifyServerOptions,
} from 'fastify';
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { sql, type Kysely } from 'kysely';
import type { Config } from './config.ts';
import type { Database } from './db/database.ts';
import { accountPages } from './domains/accounts/account.pages.tsx';
import { accountAdminPages } from './domains/accounts/account-admin.pages.tsx';
import { auditApi } from './domains/audit/audit.api.ts';
import { auditPages } from './domains/audit/audit.pages.tsx';
import { organizationApi } from './domains/organizations/organization.api.ts';
import { organizationPages } from './domains/organizations/organization.pages.tsx';
import { personApi } from './domains/people/person.api.ts';
import { personPages } from './domains/people/person.pages.tsx';
import { placeApi } from './domains/places/place.api.ts';
import { placePages } from './domains/places/place.pages.tsx';
import { activityApi } from './domains/activities/activity.api.ts';
import { activityPages } from './domains/activities/activity.pages.tsx';
import { activityPartPages } from './domains/activities/activity-parts.pages.tsx';
import { activityArticleApi } from './domains/activities/activity-article.api.ts';
import { activityMeasureApi } from './domains/activities/activity-measure.api.ts';
import { activityMeasurePages } from './domains/activities/activity-measure.pages.tsx';
import { activityArticlePages } from './domains/activities/activity-article.pages.tsx';
import { activityPortalPages } from './domains/activities/activity-portal.pages.tsx';
import { activityCalendarPages } from './domains/activities/activity-calendar.pages.tsx';
import { activityDutyPages } from './domains/activities/activity-duty.pages.tsx';
import { activityExportPages } from './domains/activities/activity-export.pages.ts';
import { activityFeedApi, activityReportsApi } from './domains/activities/activity-reports.api.ts';
import { agreementApi } from './domains/agreements/agreement.api.ts';
import { agreementPages } from './domains/agreements/agreement.pages.tsx';
import { documentFileApi } from './domains/agreements/document-file.api.ts';
import { documentFilePages } from './domains/agreements/document-file.pages.tsx';
import { commitmentPages } from './domains/agreements/commitment.pages.tsx';
import { agreementDashboardPages } from './domains/agreements/agreement-dashboard.pages.tsx';
import { transparencyPages } from './domains/agreements/agreement-transparency.pages.tsx';
import { agreementImportApi } from './domains/agreements/agreement-import.api.ts';
import { agreementImportPages } from './domains/agreements/agreement-import.pages.tsx';
import { facilityApi } from './domains/places/facility.api.ts';
import { facilityPages } from './domains/places/facility.pages.tsx';
import { facilityInterchangeApi } from './domains/places/facility-interchange.api.ts';
import { facilityInterchangePages } from './domains/places/facility-interchange.pages.tsx';
import { facilityStatisticsApi } from './domains/places/facility-statistics.api.ts';
import { facilityStatisticsPages } from './domains/places/facility-statistics.pages.tsx';
import { facilityDirectoryPages } from './domains/places/facility-directory.pages.tsx';
import { searchPages } from './domains/articles/article-search.pages.tsx';
import { portalPages, renderPortalError } from './domains/articles/article.pages.tsx';
import { feedPages, robotsTxt } from './domains/articles/feed.pages.ts';
import { sitePages } from './domains/articles/site.pages.tsx';
import { ArticleScheduler } from './domains/articles/article-scheduler.ts';
import { newsroomApi } from './domains/articles/newsroom.api.ts';
import { newsroomPages } from './domains/articles/newsroom.pages.tsx';
import { mediaApi } from './domains/media/media.api.ts';
import { mediaPages } from './domains/media/media.pages.tsx';
import { mediaFiles } from './domains/media/media.serve.ts';
import { openMediaStore, type MediaStore } from './domains/media/media.store.ts';
import { SiteDirectory } from './domains/articles/site.service.ts';
import { ViewCounter } from './domains/articles/view-counter.ts';
import { assetRoutes } from './platform/assets.ts';
import { ChangeListener } from './platform/changes.ts';
import { registerOpenApi } from './platform/openapi.ts';
import { DomainError, notFound } from './platform/errors.ts';
import { errorLocale, plainErrorPage } from './platform/error-page.tsx';
import { PageCache } from './platform/page-cache.ts';
import { sendWorkspacePage, workspaceErrorPage } from './platform/workspace-layout.tsx';

declare module 'fastify' {
  interface FastifyInstance {
    db: Kysely<Database>;
    sites: SiteDirectory;
    pageCache: PageCache;
    viewCounter: ViewCounter;
    articleScheduler: ArticleScheduler;
    mediaStore: MediaStore;
  }
}

/** What an app needs from outside: its settings and an open database. */
export interface AppOptions {
  /** Without dataDir (and without mediaStore), uploaded media go to a temporary folder removed on close. */
  config: Pick<Config, 'viewFlushMs' | 'logLevel'> & Partial<Pick<Config, 'trustProxy' | 'dataDir' | 'map'>>;
  db: Kysely<Database>;
  /** The same database as `db`, for the connection that listens to change announcements. */
  connectionString: string;
  /** A logger to use (the server's); none means the level in config, to stdout. */
  logger?: FastifyBaseLogger;
  /** Where uploaded media are kept; none means files under `${config.dataDir}/media`. */
  mediaStore?: MediaStore;
}

function loggerOptions(options: AppOptions): Pick<FastifyServerOptions, 'logger' | 'loggerInstance'> {
  if (options.logger) return { loggerInstance: options.logger };
  return { logger: options.config.logLevel === 'silent' ? false : { level: options.config.logLevel } };
}

/** Turns a thrown value into the DomainError a user may see; anything unknown becomes a plain 500. */
function toDomainError(error: FastifyError | DomainError): DomainError {
  if (error instanceof DomainError) return error;
  if (error.validation) {
    const first = error.validation[0];
    const where = first?.instancePath ? first.instancePath.replace(/^\//, '') : error.validationContext;
    return new DomainError(400, 'invalid_request', `${where ?? 'request'}: ${first?.message ?? 'invalid value'}`);
  }
  // A delete that other records still point to (a foreign key "restrict"): the user's step, not our fault.
  // A number or date from the request that PostgreSQL cannot hold (an id beyond its integer range):
  // it names nothing we keep.
  if (['22003', '22008', '22P02', '22007'].includes(String((error as { code?: unknown }).code))) {
    return new DomainError(400, 'invalid_request', 'A value in the request is out of range.');
  }
  if ((error as { code?: unknown }).code === '23503' && /delete/i.test(error.message)) {
    return new DomainError(409, 'in_use', 'Other records still refer to this one; remove those references first.');
  }
  if (typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500) {
    return new DomainError(error.statusCode, error.code?.toLowerCase() ?? 'bad_request', error.message);
  }
  return new DomainError(500, 'internal', 'Internal server error');
}

/** A request's address as the log keeps it: a token in it (a calendar feed's) is a secret, and left out. */
export function loggedUrl(url: string): string {
  return url.replace(/([?&]token=)[^&#]*/gi, '$1[hidden]');
}

/** Logs each request at debug level: portal hits are many and alike; failures reach the error handler's log. */
class QuietRequestLog extends LogController {
  override incomingRequest(request: FastifyRequest): void {
    request.log.debug({ method: request.method, url: loggedUrl(request.url) }, 'request');
  }

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    if (error) reply.log.error({ err: error, status: reply.statusCode }, 'request failed');
    else reply.log.debug({ status: reply.statusCode, ms: reply.elapsedTime }, 'request completed');
  }
}

/** Builds the Halfsky application: plugins first, then the domains. It never listens; the caller does. */
export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    ...loggerOptions(options),
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 300 },
    trustProxy: options.config.trustProxy ?? false,
    logController: new QuietRequestLog(),
  });
  await app.register(cookie);
  await app.register(formbody);
  app.decorateRequest('session', undefined);
  app.decorateRequest('actor', undefined);
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  const viewCounter = new ViewCounter(options.db, {
    flushMs: options.config.viewFlushMs,
    onError: (error) => app.log.error({ err: error }, 'writing view counts failed; will retry'),
  });
  app.decorate('db', options.db);
  app.decorate('sites', new SiteDirectory(options.db));
  app.decorate('pageCache', new PageCache());
  app.decorate('viewCounter', viewCounter);
  const articleScheduler = new ArticleScheduler(options.db, {
    onError: (error) => app.log.error({ err: error }, 'publishing scheduled updates failed; will retry'),
  });
  app.decorate('articleScheduler', articleScheduler);
  const media = await openMediaStore({ mediaStore: options.mediaStore, dataDir: options.config.dataDir });
  app.decorate('mediaStore', media.store);

  const changes = new ChangeListener(
    options.connectionString,
    (topic) => {
      app.sites.invalidate();
      app.pageCache.invalidate(topic);
    },
    (error) => app.log.warn({ err: error }, 'change listener lost its connection'),
  );
  app.addHook('onReady', async () => {
    await changes.start();
    viewCounter.start();
    articleScheduler.start();
  });
  // Fastify runs onClose hooks in reverse order of registration after the routes stop taking requests.
  app.addHook('onClose', async () => {
    await changes.stop();
    await viewCounter.stop();
    await articleScheduler.stop();
    await media.dispose();
  });

  app.setErrorHandler(async (error: FastifyError | DomainError, request, reply) => {
    const domainError = toDomainError(error);
    if (domainError.status >= 500) request.log.error({ err: error }, 'request failed');
    const wantsJson = request.url.startsWith('/api/') || request.url === '/healthz';
    if (request.url.startsWith('/workspace')) {
      return sendWorkspacePage(reply, workspaceErrorPage(request, domainError.status), domainError.status);
    }
    if (!wantsJson) {
      const html =
        (await renderPortalError(request, domainError)) ??
        plainErrorPage(errorLocale(request.url, request.headers['accept-language']), domainError.status);
      return reply.code(domainError.status).type('text/html; charset=utf-8').send(html);
    }
    return reply.code(domainError.status).send({ error: { code: domainError.code, message: domainError.message } });
  });
  app.setNotFoundHandler(async () => {
    throw notFound('No page has this address.');
  });

  app.get('/healthz', async (_request, reply) => {
    try {
      await sql`select 1`.execute(options.db);
      return { status: 'ok' };
    } catch {
      return reply.code(503).send({ error: { code: 'unavailable', message: 'The database does not answer.' } });
    }
  });

  await registerOpenApi(app);
  await app.register(assetRoutes);
  await app.register(accountPages);
  await app.register(accountAdminPages);
  await app.register(auditPages);
  await app.register(auditApi);
  await app.register(organizationPages);
  await app.register(organizationApi);
  await app.register(personPages);
  await app.register(personApi);
  await app.register(placePages);
  await app.register(placeApi);
  await app.register(activityPages);
  await app.register(activityPartPages);
  await app.register(activityApi);
  await app.register(activityArticlePages);
  await app.register(activityArticleApi);
  await app.register(activityMeasurePages);
  await app.register(activityMeasureApi);
  await app.register(activityCalendarPages);
  await app.register(activityExportPages);
  await app.register(activityDutyPages);
  await app.register(activityFeedApi);
  await app.register(activityReportsApi);
  await app.register(agreementPages);
  await app.register(documentFilePages);
  await app.register(documentFileApi);
  await app.register(commitmentPages);
  await app.register(agreementDashboardPages);
  await app.register(agreementApi);
  await app.register(agreementImportPages);
  await app.register(agreementImportApi);
  await app.register(facilityPages);
  await app.register(facilityApi);
  await app.register(facilityInterchangePages);
  await app.register(facilityInterchangeApi);
  await app.register(facilityStatisticsPages);
  await app.register(facilityStatisticsApi);
  await app.register(sitePages);
  await app.register(newsroomPages);
  await app.register(newsroomApi);
  await app.register(mediaPages);
  await app.register(mediaApi);
  await app.register(mediaFiles);
  await app.register(portalPages);
  await app.register(portalPages, { prefix: '/sites/:site' });
  await app.register(feedPages);
  await app.register(feedPages, { prefix: '/sites/:site' });
  await app.register(robotsTxt);
  await app.register(searchPages);
  await app.register(searchPages, { prefix: '/sites/:site' });
  await app.register(facilityDirectoryPages, { map: options.config.map });
  await app.register(facilityDirectoryPages, { prefix: '/sites/:site', map: options.config.map });
  await app.register(activityPortalPages);
  await app.register(activityPortalPages, { prefix: '/sites/:site' });
  await app.register(transparencyPages);
  await app.register(transparencyPages, { prefix: '/sites/:site' });
  return app;
}
