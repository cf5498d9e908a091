import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/database.ts';
import type { Actor } from '../../platform/access.ts';
import * as activityService from './activity.service.ts';

let database: TestDatabase;
let actor: Actor;
let twf: Actor;
beforeAll(async () => {
  database = await createTestDatabase();
  const db = database.db;
  const user = await db.selectFrom('user_account').selectAll().where('email', '=', 'editor@bwf.example.org').executeTakeFirstOrThrow();
  actor = { userId: user.id, email: user.email, displayName: user.display_name, isPlatformAdmin: false, ip: '' };
  const t = await db.selectFrom('user_account').selectAll().where('email', '=', 'editor@twf.example.org').executeTakeFirstOrThrow();
  twf = { userId: t.id, email: t.email, displayName: t.display_name, isPlatformAdmin: false, ip: '' };
  const started = Date.now();
  await sql`insert into activity (kind_id, title_zh, title_en, starts_at, ends_at, status, visibility)
    select (g % 6) + 1, '活动' || g, 'Activity ' || g, timestamp '2020-01-01' + (g || ' hours')::interval, timestamp '2020-01-01' + (g || ' hours')::interval + interval '2 hours',
      'held', (array['public','network','internal'])[(g % 3) + 1]
    from generate_series(1, 100000) g`.execute(db);
  await sql`insert into activity_organizer (activity_id, organization_id, role, position)
    select a.id, o.id, 'organizer', 1 from activity a join lateral (select id from organization where kind in ('federation','department') order by (a.id * 7 + id) % 13 limit 1) o on true where a.title_en like 'Activity %'`.execute(db);
  await sql`insert into activity_stop (activity_id, position, place_id)
    select a.id, 1, (select id from place order by (a.id + id) % 9 limit 1) from activity a where a.title_en like 'Activity %'`.execute(db);
  await sql`insert into person (name_zh, name_en, organization_id) select 'P' || g, 'P' || g, 1 from generate_series(1, 20000) g`.execute(db);
  await sql`insert into activity_attendee (activity_id, position, person_id, organization_id, title_zh, role, status)
    select a.id, k, p.id, 1, '职务', 'member', 'attended'
    from activity a cross join generate_series(1, 10) k
    join lateral (select ((a.id * 13 + k * 7919) % 20000) + 1 as n) x on true
    join person p on p.name_en = 'P' || x.n where a.title_en like 'Activity %'`.execute(db);
  await sql`analyze`.execute(db);
  console.log('seeded in', Date.now() - started, 'ms');
}, 600_000);
afterAll(async () => {
  await database.drop();
});

async function timed(label: string, run: () => Promise<unknown>) {
  await run();
  const start = performance.now();
  for (let i = 0; i < 5; i += 1) await run();
  console.log(label, ((performance.now() - start) / 5).toFixed(1), 'ms');
}

it('probes', async () => {
  const db = database.db;
  const count = await db.selectFrom('activity_attendee').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
  console.log('attendees', count.n);
  const place = await db.selectFrom('place').select('id').where('name_en', '=', 'Beijing').executeTakeFirstOrThrow();
  const bwf = await db.selectFrom('organization').select('id').where('slug', '=', 'bwf').executeTakeFirstOrThrow();
  const person = await db.selectFrom('person').select('id').where('name_en', '=', 'P77').executeTakeFirstOrThrow();
  await timed('list first page', () => activityService.listActivities(db, actor, { limit: 50, offset: 0 }));
  await timed('list first page (twf editor)', () => activityService.listActivities(db, twf, { limit: 50, offset: 0 }));
  await timed('list by organization', () => activityService.listActivities(db, actor, { organizationId: bwf.id, limit: 50, offset: 0 }));
  await timed('list by place (and below)', () => activityService.listActivities(db, actor, { placeId: place.id, limit: 50, offset: 0 }));
  await timed('list by person', () => activityService.listActivities(db, actor, { personId: person.id, limit: 50, offset: 0 }));
  await timed('list by kind + month', () => activityService.listActivities(db, actor, { kind: 'meeting', from: '2025-01-01', to: '2025-01-31', limit: 50, offset: 0 }));
  await timed('list by title part', () => activityService.listActivities(db, actor, { q: 'Activity 4242', limit: 50, offset: 0 }));
  await timed('detail (10 attendees)', () => activityService.getActivityDetail(db, actor, 4242));
  expect(true).toBe(true);
}, 600_000);
