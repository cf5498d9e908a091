import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/database.ts';
import type { Actor } from '../../platform/access.ts';
import { DomainError } from '../../platform/errors.ts';
import { updatePosition } from '../people/person.service.ts';
import { seedActivity } from '../../db/demo/demo-activities.ts';
import { ActivityRuleError } from './activity.rules.ts';
import type { ActivityInput, AttendeeInput, StopInput } from './activity.schema.ts';
import * as activityService from './activity.service.ts';

let database: TestDatabase;
const actors: Record<string, Actor> = {};
const ids: Record<string, number> = {};

function id(key: string): number {
  const value = ids[key];
  if (value === undefined) throw new Error(`no id for ${key}`);
  return value;
}

function actor(email: string): Actor {
  const found = actors[email];
  if (!found) throw new Error(`no actor ${email}`);
  // A fresh actor per call: the roles an actor holds are read once and kept, as in one request.
  return { ...found, scopes: undefined };
}

const bwfEditor = () => actor('editor@bwf.example.org');
const twfEditor = () => actor('editor@twf.example.org');
const reviewer = () => actor('reviewer@bwf.example.org');

/** What a call is refused with: the status, the code and (for a rule) the field. */
async function refusal(call: Promise<unknown>): Promise<{ status: number; code: string; field?: string }> {
  try {
    await call;
  } catch (error) {
    if (error instanceof ActivityRuleError) return { status: error.status, code: error.code, field: error.field };
    if (error instanceof DomainError) return { status: error.status, code: error.code };
    throw error;
  }
  throw new Error('the call was not refused');
}

function activityInput(overrides: Partial<ActivityInput> = {}): ActivityInput {
  return {
    kind: 'meeting',
    titleZh: '测试活动',
    titleEn: 'Test activity',
    summaryZh: '',
    summaryEn: '',
    startsAt: '2024-05-10 09:00',
    endsAt: '2024-05-10 11:00',
    status: 'held',
    visibility: 'network',
    topics: [],
    organizers: [{ organizationId: id('bwf'), role: 'organizer' }],
    ...overrides,
  };
}

const stop = (overrides: Partial<StopInput>): StopInput => ({
  facilityId: null,
  placeId: null,
  topic: null,
  startsAt: null,
  endsAt: null,
  hostIds: [],
  purposeZh: '',
  purposeEn: '',
  observationsZh: '',
  observationsEn: '',
  findingsZh: '',
  findingsEn: '',
  position: undefined,
  ...overrides,
});

const attendee = (overrides: Partial<AttendeeInput>): AttendeeInput => ({
  personId: null,
  organizationId: null,
  titleZh: '',
  titleEn: '',
  role: 'member',
  status: 'invited',
  position: undefined,
  ...overrides,
});

beforeAll(async () => {
  database = await createTestDatabase();
  const db = database.db;
  for (const row of await db.selectFrom('user_account').selectAll().execute()) {
    actors[row.email] = { userId: row.id, email: row.email, displayName: row.display_name, isPlatformAdmin: row.is_platform_admin, ip: '127.0.0.1' };
  }
  for (const row of await db.selectFrom('organization').select(['id', 'slug']).execute()) ids[row.slug] = row.id;
  for (const row of await db.selectFrom('person').select(['id', 'name_en']).execute()) ids[row.name_en] = row.id;
  for (const row of await db.selectFrom('place').select(['id', 'name_en']).execute()) ids[row.name_en] = row.id;
  ids.seed = (await db.selectFrom('activity').select('id').where('title_zh', '=', seedActivity.title.zh).executeTakeFirstOrThrow()).id;
});
afterAll(async () => {
  await database.drop();
});

describe('who may read and change an activity', () => {
  it('lets the BWF editor and the TWF editor change the BWF–TWF visit, and the reviewer only read it', async () => {
    await activityService.updateActivity(database.db, bwfEditor(), id('seed'), { summaryEn: 'Changed by BWF.' });
    await activityService.updateActivity(database.db, twfEditor(), id('seed'), { summaryZh: '天津市妇联修改。' });
    const read = await activityService.getActivityDetail(database.db, reviewer(), id('seed'));
    expect(read).toMatchObject({ summaryEn: 'Changed by BWF.', summaryZh: '天津市妇联修改。', editable: false });
    expect(await refusal(activityService.updateActivity(database.db, reviewer(), id('seed'), { summaryEn: 'No.' }))).toMatchObject({ status: 404 });
    expect(await refusal(activityService.saveStop(database.db, reviewer(), id('seed'), undefined, stop({ placeId: id('Daxing District') })))).toMatchObject({
      status: 404,
    });
    expect((await activityService.getActivityDetail(database.db, twfEditor(), id('seed'))).editable).toBe(true);
  });

  it('hides an internal BWF activity from the TWF editor: not found, and not listed', async () => {
    const internal = await activityService.createActivity(database.db, bwfEditor(), activityInput({ visibility: 'internal', titleEn: 'Internal BWF meeting' }));
    expect((await activityService.getActivity(database.db, reviewer(), internal)).titleEn).toBe('Internal BWF meeting');
    expect(await refusal(activityService.getActivityDetail(database.db, twfEditor(), internal))).toMatchObject({ status: 404 });
    expect(await refusal(activityService.updateActivity(database.db, twfEditor(), internal, { titleEn: 'Taken' }))).toMatchObject({ status: 404 });
    const listed = await activityService.listActivities(database.db, twfEditor(), { limit: 200, offset: 0 });
    expect(listed.items.map((item) => item.id)).not.toContain(internal);
    expect(listed.items.every((item) => item.visibility !== 'internal' || item.organizers.some((organizer) => organizer.id === id('twf') || organizer.id === id('twf-party-committee')))).toBe(true);
    const own = await activityService.listActivities(database.db, bwfEditor(), { visibility: 'internal', limit: 200, offset: 0 });
    expect(own.items.map((item) => item.id)).toContain(internal);
  });

  it('refuses to create an activity for organizers the actor may not edit', async () => {
    const input = activityInput({ organizers: [{ organizationId: id('hebei-wf'), role: 'organizer' }] });
    expect(await refusal(activityService.createActivity(database.db, twfEditor(), input))).toMatchObject({ status: 404 });
  });
});

describe('the rules', () => {
  it('refuses an end before the start, and a title in neither language', async () => {
    expect(await refusal(activityService.updateActivity(database.db, bwfEditor(), id('seed'), { endsAt: '2024-03-24 12:00' }))).toEqual({
      status: 400,
      code: 'times',
      field: 'endsAt',
    });
    expect(await refusal(activityService.updateActivity(database.db, bwfEditor(), id('seed'), { titleZh: '', titleEn: '' }))).toMatchObject({ field: 'titleZh' });
  });

  it('refuses to mark as held an activity that has not begun, and an unknown kind or topic', async () => {
    expect(await refusal(activityService.createActivity(database.db, bwfEditor(), activityInput({ startsAt: '2099-01-01 09:00', endsAt: '2099-01-01 10:00' })))).toMatchObject({
      code: 'held_before_start',
      field: 'status',
    });
    expect(await refusal(activityService.createActivity(database.db, bwfEditor(), activityInput({ kind: 'picnic' })))).toMatchObject({ code: 'unknown_kind', field: 'kind' });
    expect(await refusal(activityService.createActivity(database.db, bwfEditor(), activityInput({ topics: ['gardening'] })))).toMatchObject({
      code: 'unknown_topic',
      field: 'topics',
    });
  });

  it('refuses a stop at a facility that does not exist, at both a facility and a place, or at neither', async () => {
    const save = (input: StopInput) => activityService.saveStop(database.db, bwfEditor(), id('seed'), undefined, input);
    expect(await refusal(save(stop({ facilityId: 999_999 })))).toEqual({ status: 400, code: 'unknown_facility', field: 'facilityId' });
    expect(await refusal(save(stop({ placeId: 999_999 })))).toEqual({ status: 400, code: 'unknown_place', field: 'placeId' });
    expect(await refusal(save(stop({})))).toMatchObject({ code: 'stop_where' });
    const facility = await database.db.selectFrom('facility').select('id').executeTakeFirstOrThrow();
    expect(await refusal(save(stop({ facilityId: facility.id, placeId: id('Daxing District') })))).toMatchObject({ code: 'stop_where' });
  });

  it('refuses a person listed twice among the attendees', async () => {
    expect(await refusal(activityService.saveAttendee(database.db, bwfEditor(), id('seed'), undefined, attendee({ personId: id('Wang Dongmei') })))).toEqual({
      status: 409,
      code: 'attendee_twice',
      field: 'personId',
    });
  });

  it('keeps at least one organizer: neither an editor nor a co-organizer removes or demotes the last one', async () => {
    expect(await refusal(activityService.removeOrganizer(database.db, bwfEditor(), id('seed'), id('bwf')))).toMatchObject({ status: 409, code: 'last_organizer' });
    expect(await refusal(activityService.removeOrganizer(database.db, twfEditor(), id('seed'), id('bwf')))).toMatchObject({ status: 409, code: 'last_organizer' });
    expect(await refusal(activityService.setOrganizer(database.db, twfEditor(), id('seed'), { organizationId: id('bwf'), role: 'co_organizer' }))).toMatchObject({
      status: 409,
    });
    expect(await refusal(activityService.updateActivity(database.db, twfEditor(), id('seed'), { organizers: [] }))).toMatchObject({ status: 409 });
    // With another organizer in place, the co-organizer may step back.
    const created = await activityService.createActivity(
      database.db,
      bwfEditor(),
      activityInput({ organizers: [{ organizationId: id('bwf'), role: 'organizer' }, { organizationId: id('twf'), role: 'co_organizer' }] }),
    );
    await activityService.removeOrganizer(database.db, twfEditor(), created, id('twf'));
    expect((await activityService.getActivity(database.db, bwfEditor(), created)).organizers.map((organizer) => organizer.id)).toEqual([id('bwf')]);
  });
});

describe('attendees’ titles', () => {
  it('takes the title from the posts held that day and keeps it when the post changes later', async () => {
    const created = await activityService.createActivity(database.db, twfEditor(), activityInput({ organizers: [{ organizationId: id('twf'), role: 'organizer' }] }));
    await activityService.saveAttendee(database.db, twfEditor(), created, undefined, attendee({ personId: id('Wang Dongmei'), role: 'head_of_delegation' }));
    const before = (await activityService.getActivityDetail(database.db, twfEditor(), created)).attendees[0];
    expect(before).toMatchObject({
      organization: { id: id('twf') },
      federation: { id: id('twf') },
      titleZh: '党组成员、副主席',
      titleEn: "Member of the Leading Party Members' Group and Vice-President",
    });
    const post = await database.db.selectFrom('position').selectAll().where('person_id', '=', id('Wang Dongmei')).where('title_en', '=', 'Vice-President').executeTakeFirstOrThrow();
    await updatePosition(database.db, twfEditor(), post.id, { titleZh: '主席', titleEn: 'President' });
    const after = (await activityService.getActivityDetail(database.db, twfEditor(), created)).attendees[0];
    expect(after?.titleEn).toBe("Member of the Leading Party Members' Group and Vice-President");
    expect(after?.titleZh).toBe('党组成员、副主席');
  });

  it('asks for an organization when the person held no post that day, and for a post when no person is named', async () => {
    const person = await database.db
      .insertInto('person')
      .values({ name_zh: '测试人员', name_en: 'Test Person', organization_id: id('bwf') })
      .returning('id')
      .executeTakeFirstOrThrow();
    expect(await refusal(activityService.saveAttendee(database.db, bwfEditor(), id('seed'), undefined, attendee({ personId: person.id })))).toMatchObject({
      code: 'attendee_organization',
      field: 'organizationId',
    });
    expect(await refusal(activityService.saveAttendee(database.db, bwfEditor(), id('seed'), undefined, attendee({ organizationId: id('bwf') })))).toMatchObject({
      code: 'attendee_who',
      field: 'titleZh',
    });
  });
});

describe('ordering and the audit log', () => {
  it('inserts, moves and removes parts in order, and records each change as an audit event of the activity', async () => {
    const created = await activityService.createActivity(database.db, bwfEditor(), activityInput({ titleEn: 'Ordered' }));
    const save = (name: string, position?: number) =>
      activityService.saveStop(database.db, bwfEditor(), created, undefined, stop({ placeId: id(name), position }));
    await save('Daxing District');
    await save('Guanyinsi Sub-district');
    await save('Beijing', 1);
    const names = async () => (await activityService.getActivityDetail(database.db, bwfEditor(), created)).stops.map((entry) => entry.place?.nameEn);
    expect(await names()).toEqual(['Beijing', 'Daxing District', 'Guanyinsi Sub-district']);
    const [first, second] = (await activityService.getActivityDetail(database.db, bwfEditor(), created)).stops;
    await activityService.movePart(database.db, bwfEditor(), created, { part: 'stop', id: first?.id ?? 0 }, 'down');
    expect(await names()).toEqual(['Daxing District', 'Beijing', 'Guanyinsi Sub-district']);
    await activityService.removePart(database.db, bwfEditor(), created, { part: 'stop', id: second?.id ?? 0 });
    const stops = (await activityService.getActivityDetail(database.db, bwfEditor(), created)).stops;
    expect(stops.map((entry) => [entry.position, entry.place?.nameEn])).toEqual([
      [1, 'Beijing'],
      [2, 'Guanyinsi Sub-district'],
    ]);
    const events = await database.db
      .selectFrom('audit_event')
      .select(['action', 'actor_user_id'])
      .where('entity_type', '=', 'activity')
      .where('entity_id', '=', String(created))
      .orderBy('id')
      .execute();
    expect(events.map((event) => event.action)).toEqual(['create', 'add_stop', 'add_stop', 'add_stop', 'move_stop', 'remove_stop']);
    expect(events.every((event) => event.actor_user_id === bwfEditor().userId)).toBe(true);
  });

  it('records a refused change nowhere', async () => {
    const count = async () =>
      Number(
        (
          await database.db
            .selectFrom('audit_event')
            .select((eb) => eb.fn.countAll<string>().as('count'))
            .where('entity_id', '=', String(id('seed')))
            .executeTakeFirstOrThrow()
        ).count,
      );
    const before = await count();
    await refusal(activityService.removeOrganizer(database.db, bwfEditor(), id('seed'), id('bwf')));
    expect(await count()).toBe(before);
  });

  it('deletes an activity with its parts, keeping what it was in the audit log', async () => {
    const created = await activityService.createActivity(database.db, bwfEditor(), activityInput({ titleEn: 'Short-lived' }));
    await activityService.saveStop(database.db, bwfEditor(), created, undefined, stop({ placeId: id('Beijing'), purposeEn: 'Look' }));
    await activityService.deleteActivity(database.db, bwfEditor(), created);
    expect(await database.db.selectFrom('activity_stop').select('id').where('activity_id', '=', created).execute()).toEqual([]);
    const event = await database.db.selectFrom('audit_event').selectAll().where('entity_id', '=', String(created)).where('action', '=', 'delete').executeTakeFirstOrThrow();
    expect(event.before).toMatchObject({ titleEn: 'Short-lived', stops: [{ purposeEn: 'Look' }] });
  });
});
