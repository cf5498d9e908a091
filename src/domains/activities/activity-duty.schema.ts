import { z } from 'zod';
import { activityStatuses, activityVisibilities, attendanceStatuses, attendeeRoles, followUpStatuses } from './activity.schema.ts';
import { involvements } from './activity-duty.service.ts';

const blankToUndefined = (value: unknown): unknown => (typeof value === 'string' && value.trim() === '' ? undefined : value);

/** The year of a duty record (this year in Asia/Shanghai when left out). */
export const dutyRecordQuery = z.object({
  year: z.preprocess(blankToUndefined, z.coerce.number().int().min(1949).max(2100).optional()),
});
export type DutyRecordQuery = z.infer<typeof dutyRecordQuery>;

/** The path parameters naming a person. */
export const dutyRecordParams = z.object({ id: z.coerce.number().int().positive().max(2_147_483_647) });

const names = { nameZh: z.string(), nameEn: z.string() };

const dutyEntryOutput = z.object({
  involvement: z.enum(involvements),
  activity: z.object({
    id: z.number().int(),
    titleZh: z.string(),
    titleEn: z.string(),
    kind: z.object(names),
    startsAt: z.string(),
    endsAt: z.string(),
    status: z.enum(activityStatuses),
    visibility: z.enum(activityVisibilities),
  }),
  role: z.enum(attendeeRoles).nullable().describe('her role on the attendee list, when she was on it'),
  attendance: z.enum(attendanceStatuses).nullable(),
  heldZh: z.string().describe('the title she held that day, as the attendee list records it'),
  heldEn: z.string(),
  detailZh: z.string().describe('what she spoke to, the follow-up she owns, or the facility she keeps'),
  detailEn: z.string(),
  dueOn: z.string().nullable(),
  followUpStatus: z.enum(followUpStatuses).nullable(),
});

/** A duty record as the API returns it. */
export const dutyRecordOutput = z.object({
  person: z.object({ id: z.number().int(), ...names }),
  year: z.number().int(),
  groups: z.array(z.object({ involvement: z.enum(involvements), entries: z.array(dutyEntryOutput) })),
  totals: z.record(z.enum(involvements), z.number().int()),
  activities: z.number().int().describe('different activities she was involved in'),
});
