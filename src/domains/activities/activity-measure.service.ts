/**
 * Activities and the agreements they carry out: the measures of agreements and circulars an activity
 * is held to implement, read from the activity's side and from the measure's. Linking and unlinking are
 * changes to the activity (its organizers' staff make them, audited on the activity).
 */
import type { Kysely } from 'kysely';
import type { Database, Executor } from '../../db/database.ts';
import { assertCanRead, type Actor } from '../../platform/access.ts';
import { notFound } from '../../platform/errors.ts';
import type { DocumentKind } from '../agreements/document.table.ts';
import * as documentRepository from '../agreements/document.repository.ts';
import { ActivityRuleError } from './activity.rules.ts';
import type { ActivityStatus } from './activity.table.ts';
import * as activityMeasureRepository from './activity-measure.repository.ts';
import * as activityService from './activity.service.ts';

/** A measure an activity carries out, with its document. */
export interface ImplementedMeasure {
  id: number;
  number: string;
  titleZh: string;
  titleEn: string;
  document: { id: number; kind: DocumentKind; titleZh: string; titleEn: string };
}

/** An activity carrying out a measure, as the measure's page lists it. */
export interface ImplementingActivity {
  id: number;
  titleZh: string;
  titleEn: string;
  startsAt: Date;
  status: ActivityStatus;
}

/** How many activities a measure's page lists: the newest ones. */
export const implementingActivitiesLimit = 100;

/** The measures an activity carries out, for a reader who may see the activity. */
export async function listMeasuresOfActivity(db: Executor, actor: Actor, activityId: number): Promise<ImplementedMeasure[]> {
  await activityService.getActivity(db, actor, activityId);
  const rows = await activityMeasureRepository.listMeasuresOfActivity(db, activityId);
  return rows.map((row) => ({
    id: row.id,
    number: row.number,
    titleZh: row.title_zh,
    titleEn: row.title_en,
    document: { id: row.document_id, kind: row.document_kind, titleZh: row.document_title_zh, titleEn: row.document_title_en },
  }));
}

/** The activities carrying out a measure that the reader may see, newest first. */
export async function listActivitiesOfMeasure(db: Executor, actor: Actor, measureId: number): Promise<ImplementingActivity[]> {
  await assertCanRead(db, actor);
  const rows = await activityMeasureRepository.listActivitiesOfMeasure(db, measureId, await activityService.readableOrganizations(db, actor), implementingActivitiesLimit);
  return rows.map((row) => ({ id: row.id, titleZh: row.title_zh, titleEn: row.title_en, startsAt: row.starts_at, status: row.status }));
}

const measureMessages = {
  unknown: (id: number) => ({ zh: `没有编号为 ${id} 的措施。`, en: `There is no measure number ${id}.` }),
  linked: () => ({ zh: '这项措施已在本活动落实的措施之列。', en: 'The activity already carries out this measure.' }),
};

/** Records that an activity carries out a measure of an agreement or circular; audited on the activity. */
export async function addMeasure(db: Kysely<Database>, actor: Actor, activityId: number, measureId: number): Promise<void> {
  await activityService.editActivity(db, actor, activityId, async ({ tx }) => {
    const measure = await documentRepository.findMeasureById(tx, measureId);
    if (!measure) throw new ActivityRuleError(400, 'unknown_measure', measureMessages.unknown(measureId), 'measureId');
    if (!(await activityMeasureRepository.insertActivityMeasure(tx, activityId, measureId))) {
      throw new ActivityRuleError(409, 'already_linked', measureMessages.linked(), 'measureId');
    }
    return { result: undefined, action: 'add_measure', after: { measureId, documentId: measure.document_id, number: measure.number } };
  });
}

/** Records that an activity no longer counts as carrying out a measure; audited on the activity. */
export async function removeMeasure(db: Kysely<Database>, actor: Actor, activityId: number, measureId: number): Promise<void> {
  await activityService.editActivity(db, actor, activityId, async ({ tx }) => {
    if (!(await activityMeasureRepository.deleteActivityMeasure(tx, activityId, measureId))) throw notFound();
    return { result: undefined, action: 'remove_measure', before: { measureId } };
  });
}
