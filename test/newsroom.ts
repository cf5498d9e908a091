import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { Kysely } from 'kysely';
import type { Database } from '../src/db/database.ts';
import { browserUserAgent } from './app.ts';

/** The id of a site's section, by the site's slug and the section's own slug ("updates"). */
export async function sectionIdOf(db: Kysely<Database>, siteSlug: string, sectionSlug: string): Promise<number> {
  const row = await db
    .selectFrom('section')
    .innerJoin('site', 'site.id', 'section.site_id')
    .where('site.slug', '=', siteSlug)
    .where('section.slug', '=', sectionSlug)
    .select('section.id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** The id of a site, by its slug. */
export async function siteIdOf(db: Kysely<Database>, siteSlug: string): Promise<number> {
  const row = await db.selectFrom('site').where('slug', '=', siteSlug).select('id').executeTakeFirstOrThrow();
  return row.id;
}

/** An update's fields as the newsroom form sends them: both languages written and reviewed unless overridden. */
export function articleFields(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    publishAt: '2024-03-26T09:30',
    tags: 'exchange, Beijing-Tianjin',
    titleZh: '京津妇联交流座谈',
    summaryZh: '两地妇联交流基层工作经验。',
    bodyZh: '两地妇联在**大兴区**座谈。\n\n- 观音寺街道\n- 首座御园二里社区',
    statusZh: 'reviewed',
    titleEn: 'Beijing and Tianjin federations meet',
    summaryEn: 'The two federations shared grassroots experience.',
    bodyEn: 'The federations met in **Daxing**.\n\n- Guanyinsi Sub-district\n- Shouzuoyuyuan Erli Community',
    statusEn: 'reviewed',
    ...overrides,
  };
}

/** Reads a portal page as a reader's browser would. */
export function readPortal(app: FastifyInstance, url: string): Promise<LightMyRequestResponse> {
  return app.inject({ url, headers: { 'user-agent': browserUserAgent } });
}

/** Asks again and again until `check` passes or `ms` have gone by (changes reach the cache through NOTIFY). */
export async function eventually<T>(probe: () => Promise<T>, check: (value: T) => boolean, ms = 5000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (check(value) || Date.now() > until) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
