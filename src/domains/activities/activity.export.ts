import type { Executor } from '../../db/database.ts';
import type { Actor } from '../../platform/access.ts';
import { localized, type Locale } from '../../platform/i18n.ts';
import { wallClockDate, type Cell, type Sheet } from '../../platform/spreadsheet.ts';
import * as organizationRepository from '../organizations/organization.repository.ts';
import { inLocale } from '../places/place.rules.ts';
import * as exportRepository from './activity-export.repository.ts';
import { activityStatusNames, activityTimeZone, attendanceStatusNames, attendeeRoleNames, organizerRoleNames, visibilityNames } from './activity.rules.ts';
import type { ActivityQuery } from './activity.schema.ts';
import * as activityService from './activity.service.ts';
import type { ActivityListItem } from './activity.service.ts';

/**
 * The activity list as spreadsheets: one row per activity (dates, kind, titles, status, visibility,
 * organizers, stops, topics, how many attendees, sessions and follow-ups), or one row per attendee
 * (the activity, the person, her organization and the title she held that day, role, attendance). Both
 * follow the list's filters and what the actor may read, a batch of activities at a time.
 */

/** The list's filters, without its page. */
export type ExportQuery = Omit<ActivityQuery, 'limit' | 'offset'>;

const batchSize = 500;

function both(locale: Locale, zh: string, en: string): string {
  return localized(locale, zh || en, en || zh);
}

/** The rows of a batch by the activity they belong to, in their order. */
function byActivity<T extends { activity_id: number }>(rows: readonly T[]): Map<number, T[]> {
  const groups = new Map<number, T[]>();
  for (const row of rows) {
    const group = groups.get(row.activity_id);
    if (group) group.push(row);
    else groups.set(row.activity_id, [row]);
  }
  return groups;
}

function joined(locale: Locale, parts: readonly string[]): string {
  return parts.join(localized(locale, '；', '; '));
}

/**
 * The batches of activities to write. The first is read before the sheet is handed out, so that a refusal
 * (404) or a bad filter answers before any byte of the file is sent.
 */
async function batchesOf(db: Executor, actor: Actor, query: ExportQuery): Promise<AsyncIterable<ActivityListItem[]>> {
  const batches = activityService.listActivitiesInBatches(db, actor, query, batchSize);
  const first = await batches.next();
  return (async function* () {
    if (first.done) return;
    yield first.value;
    yield* batches;
  })();
}

/** The sheet of activities, one row each, latest first. */
export async function activitiesSheet(db: Executor, actor: Actor, query: ExportQuery, locale: Locale): Promise<Sheet> {
  const batches = await batchesOf(db, actor, query);
  const l = (zh: string, en: string) => localized(locale, zh, en);
  const columns = [
    { header: 'ID', width: 8 },
    { header: l('开始（北京时间）', 'Starts (Beijing time)'), width: 17 },
    { header: l('结束（北京时间）', 'Ends (Beijing time)'), width: 17 },
    { header: l('类型', 'Kind'), width: 16 },
    { header: l('中文标题', 'Title in Chinese'), width: 40 },
    { header: l('英文标题', 'Title in English'), width: 40 },
    { header: l('状态', 'Status'), width: 10 },
    { header: l('可见范围', 'Visibility'), width: 10 },
    { header: l('主办单位', 'Organizers'), width: 40 },
    { header: l('行程', 'Stops'), width: 50 },
    { header: l('主题', 'Topics'), width: 40 },
    { header: l('参加人员数', 'Attendees'), width: 10 },
    { header: l('会议数', 'Sessions'), width: 10 },
    { header: l('后续事项数', 'Follow-ups'), width: 10 },
  ];
  async function* rows(): AsyncGenerator<Cell[][]> {
    for await (const batch of batches) {
      const ids = batch.map((activity) => activity.id);
      const [topics, stops, counts] = await Promise.all([
        exportRepository.listTopicsOfActivities(db, ids),
        exportRepository.listStopsOfActivities(db, ids),
        exportRepository.countPartsOfActivities(db, ids),
      ]);
      const countsOf = new Map(counts.map((count) => [count.id, count]));
      const stopsOf = byActivity(stops);
      const topicsOf = byActivity(topics);
      yield batch.map((activity) => {
        const count = countsOf.get(activity.id);
        const stopNames = (stopsOf.get(activity.id) ?? []).map((stop, index) => {
            const place = both(locale, stop.place_name_zh ?? '', stop.place_name_en ?? '');
            const facility = stop.facility_name_zh === null ? '' : both(locale, stop.facility_name_zh, stop.facility_name_en ?? '');
            return `${index + 1}. ${facility !== '' ? `${facility} (${place})` : place}`;
          });
        return [
          activity.id,
          wallClockDate(activity.startsAt, activityTimeZone),
          wallClockDate(activity.endsAt, activityTimeZone),
          both(locale, activity.kind.nameZh, activity.kind.nameEn),
          activity.titleZh,
          activity.titleEn,
          inLocale(locale, activityStatusNames[activity.status]),
          inLocale(locale, visibilityNames[activity.visibility]),
          joined(
            locale,
            activity.organizers.map((organizer) => `${both(locale, organizer.nameZh, organizer.nameEn)} (${inLocale(locale, organizerRoleNames[organizer.role])})`),
          ),
          joined(locale, stopNames),
          joined(locale, (topicsOf.get(activity.id) ?? []).map((topic) => both(locale, topic.name_zh, topic.name_en))),
          count?.attendees ?? 0,
          count?.sessions ?? 0,
          count?.followUps ?? 0,
        ];
      });
    }
  }
  return { name: l('活动', 'Activities'), columns, rows: rows() };
}

/** The sheet of attendees, one row each: activities latest first, each activity's attendees in their order. */
export async function attendeesSheet(db: Executor, actor: Actor, query: ExportQuery, locale: Locale): Promise<Sheet> {
  const [batches, tree] = await Promise.all([batchesOf(db, actor, query), organizationRepository.listOrganizationTree(db)]);
  const l = (zh: string, en: string) => localized(locale, zh, en);
  const byId = new Map(tree.map((row) => [row.id, row]));
  // "Beijing Women's Federation › Party Committee": units of different federations read apart.
  const organizationLabel = (id: number): string => {
    const names: string[] = [];
    for (let row = byId.get(id), depth = 0; row && depth < 20; row = row.parent_id === null ? undefined : byId.get(row.parent_id), depth += 1) {
      names.unshift(both(locale, row.name_zh, row.name_en));
    }
    return names.join(' › ') || `#${id}`;
  };
  const columns = [
    { header: l('活动 ID', 'Activity ID'), width: 10 },
    { header: l('活动开始（北京时间）', 'Activity starts (Beijing time)'), width: 17 },
    { header: l('活动', 'Activity'), width: 40 },
    { header: l('姓名', 'Person'), width: 20 },
    { header: l('所在组织', 'Organization'), width: 40 },
    { header: l('当日职务', 'Title on the day'), width: 40 },
    { header: l('角色', 'Role'), width: 14 },
    { header: l('出席情况', 'Attendance'), width: 12 },
  ];
  async function* rows(): AsyncGenerator<Cell[][]> {
    for await (const batch of batches) {
      const attendeesOf = byActivity(await exportRepository.listAttendeesOfActivities(db, batch.map((activity) => activity.id)));
      yield batch.flatMap((activity) =>
        (attendeesOf.get(activity.id) ?? []).map((attendee): Cell[] => [
            activity.id,
            wallClockDate(activity.startsAt, activityTimeZone),
            both(locale, activity.titleZh, activity.titleEn),
            attendee.person_name_zh === null ? '' : both(locale, attendee.person_name_zh, attendee.person_name_en ?? ''),
            organizationLabel(attendee.organization_id),
            both(locale, attendee.title_zh, attendee.title_en),
            inLocale(locale, attendeeRoleNames[attendee.role]),
            inLocale(locale, attendanceStatusNames[attendee.status]),
          ]),
      );
    }
  }
  return { name: l('参加人员', 'Attendees'), columns, rows: rows() };
}
