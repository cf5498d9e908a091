import { DomainError } from '../../platform/errors.ts';
import type { Bilingual } from '../places/place.rules.ts';
import type { StoredCommitmentStatus } from './commitment.table.ts';
import type { DocumentKind } from './document.table.ts';

export type { Bilingual };

/**
 * The statuses a commitment is shown with. "overdue" is never stored: a commitment that is not done or
 * dropped and whose due date has passed is overdue, worked out from the day at every read (in SQL for
 * filters, in effectiveStatus() for rows), so that it turns overdue at midnight without a job running
 * and turns back when the due date moves.
 */
export const commitmentStatuses = ['not_started', 'in_progress', 'overdue', 'done', 'dropped'] as const;
export type CommitmentStatus = (typeof commitmentStatuses)[number];

/** The status a commitment shows on `today` ("YYYY-MM-DD", the network's day). */
export function effectiveStatus(stored: StoredCommitmentStatus, dueOn: string | null, today: string): CommitmentStatus {
  if ((stored === 'not_started' || stored === 'in_progress') && dueOn !== null && dueOn < today) return 'overdue';
  return stored;
}

/** Weighted progress summed over commitments: Σ weight × progress and Σ weight. */
export interface ProgressSums {
  weighted: number;
  weight: number;
  /** Commitments counted (dropped ones are not). */
  count: number;
}

/** No commitments counted yet. */
export const noProgress: ProgressSums = { weighted: 0, weight: 0, count: 0 };

/** Adds two sums. */
export function addSums(a: ProgressSums, b: ProgressSums): ProgressSums {
  return { weighted: a.weighted + b.weighted, weight: a.weight + b.weight, count: a.count + b.count };
}

/** The weighted mean in percent, to one decimal; null when nothing counts (no commitment, or all dropped). */
export function progressOf(sums: ProgressSums): number | null {
  return sums.weight > 0 ? Math.round((sums.weighted / sums.weight) * 10) / 10 : null;
}

/**
 * Rolls progress up a document's measure tree by the weighted-children rule: a measure's progress is the
 * weighted mean of its children — its own commitments (by their weights) and its child measures (each
 * weighing what its commitments weigh together) — which is the weighted mean of every commitment below
 * it. Dropped commitments are left out before this (`direct` holds none). One pass, children first.
 * Returns each measure's sums including everything below it.
 */
export function rollUpMeasures(
  measures: readonly { id: number; parentId: number | null }[],
  direct: ReadonlyMap<number, ProgressSums>,
): Map<number, ProgressSums> {
  const children = new Map<number, number[]>();
  for (const measure of measures) {
    if (measure.parentId === null) continue;
    const siblings = children.get(measure.parentId) ?? [];
    siblings.push(measure.id);
    children.set(measure.parentId, siblings);
  }
  const total = new Map<number, ProgressSums>();
  // Depth first with an explicit stack: a measure is summed once all its children are.
  for (const root of measures) {
    if (total.has(root.id)) continue;
    const stack: { id: number; expanded: boolean }[] = [{ id: root.id, expanded: false }];
    const onPath = new Set<number>();
    while (stack.length > 0) {
      const top = stack[stack.length - 1];
      if (!top) break;
      if (!top.expanded) {
        top.expanded = true;
        onPath.add(top.id);
        for (const child of children.get(top.id) ?? []) {
          // A stored tree has no cycles (the service refuses them); a broken one must still end.
          if (!total.has(child) && !onPath.has(child)) stack.push({ id: child, expanded: false });
        }
        continue;
      }
      stack.pop();
      onPath.delete(top.id);
      let sums = direct.get(top.id) ?? noProgress;
      for (const child of children.get(top.id) ?? []) sums = addSums(sums, total.get(child) ?? noProgress);
      total.set(top.id, sums);
    }
  }
  return total;
}

/** Tells whether putting measure `id` under `parentId` would make it its own ancestor. */
export function makesCycle(measures: readonly { id: number; parentId: number | null }[], id: number, parentId: number | null): boolean {
  const parentOf = new Map(measures.map((measure) => [measure.id, measure.parentId]));
  let current = parentId;
  for (let depth = 0; current !== null && current !== undefined && depth <= measures.length; depth += 1) {
    if (current === id) return true;
    current = parentOf.get(current) ?? null;
  }
  return false;
}

/** A rule about agreements that a request broke, in both languages, with the form field it concerns. */
export class AgreementRuleError extends DomainError {
  constructor(
    status: number,
    code: string,
    readonly text: Bilingual,
    /** The form field the message belongs beside; `_form` for the form as a whole. */
    readonly field: string,
  ) {
    super(status, code, text.en);
  }
}

/** Refuses input with a message beside `field` (400). */
export function refuse(field: string, text: Bilingual, code = 'invalid'): AgreementRuleError {
  return new AgreementRuleError(400, code, text, field);
}

/** The names of the kinds of document. */
export const documentKindNames: Record<DocumentKind, Bilingual> = {
  agreement: { zh: '合作框架协议', en: 'Framework agreement' },
  circular: { zh: '通知', en: 'Circular' },
  plan: { zh: '工作方案', en: 'Plan' },
};

/** The names of the statuses. */
export const commitmentStatusNames: Record<CommitmentStatus, Bilingual> = {
  not_started: { zh: '未开始', en: 'Not started' },
  in_progress: { zh: '推进中', en: 'In progress' },
  overdue: { zh: '已逾期', en: 'Overdue' },
  done: { zh: '已完成', en: 'Done' },
  dropped: { zh: '已取消', en: 'Dropped' },
};

/** The messages of the rules, shared by the forms and the API. */
export const agreementMessages = {
  partiesNeeded: (): Bilingual => ({
    zh: '协议至少要有两个签约方。',
    en: 'An agreement needs at least two parties.',
  }),
  noIssuerForAgreement: (): Bilingual => ({
    zh: '协议由签约方订立，没有发文单位；请清空发文单位。',
    en: 'An agreement is made by its parties and has no issuer; leave the issuer empty.',
  }),
  issuerNeeded: (): Bilingual => ({
    zh: '通知和工作方案须有发文单位。',
    en: 'A circular or plan needs an issuer.',
  }),
  noPartiesForCircular: (): Bilingual => ({
    zh: '通知和工作方案只有发文单位，没有签约方；请清空签约方。',
    en: 'A circular or plan has an issuer, not parties; leave the parties empty.',
  }),
  termOrder: (): Bilingual => ({
    zh: '期限的终止日期早于起始日期。',
    en: 'The term ends before it starts.',
  }),
  unknownOrganization: (): Bilingual => ({
    zh: '请选择网络中的组织。',
    en: 'Choose an organization of the network.',
  }),
  keepOwnOrganization: (): Bilingual => ({
    zh: '发文单位或签约方中须保留至少一个您可以编辑的组织。',
    en: 'Keep at least one issuer or party whose records you may edit.',
  }),
  unknownMedia: (id: number): Bilingual => ({
    zh: `图片库中没有编号为 ${id} 的图片。`,
    en: `The media library has no image number ${id}.`,
  }),
  commitmentsBeforeDate: (count: number): Bilingual => ({
    zh: `有 ${count} 项承诺的完成期限早于此日期；请先修改这些承诺。`,
    en: `${count} commitment(s) fall due before this date; change them first.`,
  }),
  commitmentsOutsideParties: (count: number): Bilingual => ({
    zh: `有 ${count} 项承诺的责任单位将不再是签约方或其下属单位；请先修改或删除这些承诺。`,
    en: `${count} commitment(s) would have a responsible organization that is no longer a party or a unit below one; change or delete them first.`,
  }),
  numberTaken: (number: string): Bilingual => ({
    zh: `本文件已有编号为“${number}”的措施。`,
    en: `This document has a measure numbered "${number}" already.`,
  }),
  parentElsewhere: (): Bilingual => ({
    zh: '请选择本文件中的措施作为上级措施。',
    en: 'Choose a measure of this document as the parent.',
  }),
  cycle: (): Bilingual => ({
    zh: '措施不能放在它自己或它的下级措施之下。',
    en: 'A measure cannot be put under itself or a measure below it.',
  }),
  unknownDimension: (): Bilingual => ({
    zh: '请从列表中选择工作维度。',
    en: 'Choose work dimensions from the list.',
  }),
  unknownTopic: (): Bilingual => ({
    zh: '请从列表中选择主题。',
    en: 'Choose topics from the list.',
  }),
  dueBeforeDocument: (signedOn: string): Bilingual => ({
    zh: `完成期限不能早于文件日期（${signedOn}）。`,
    en: `The due date cannot come before the document's date (${signedOn}).`,
  }),
  notAParty: (): Bilingual => ({
    zh: '责任单位须是协议的签约方或签约方的下属单位。',
    en: "The responsible organization must be one of the agreement's parties or a unit below one.",
  }),
  partnerIsResponsible: (): Bilingual => ({
    zh: '责任单位不必再列为协作单位。',
    en: 'The responsible organization is not also a partner.',
  }),
  notYours: (): Bilingual => ({
    zh: '您只能为您可以编辑其记录的组织登记承诺。',
    en: 'You may record commitments only for organizations whose records you may edit.',
  }),
  measureElsewhere: (): Bilingual => ({
    zh: '承诺只能移到同一文件的措施下。',
    en: 'A commitment can move only to a measure of the same document.',
  }),
  doneIsFull: (): Bilingual => ({
    zh: '已完成的承诺进度为 100%。',
    en: 'A done commitment is 100% done.',
  }),
  notStartedIsZero: (): Bilingual => ({
    zh: '未开始的承诺进度为 0%；已有进展时请选择“推进中”。',
    en: "A commitment that has not started is at 0%; choose 'in progress' once it has.",
  }),
  unknownFollowUp: (id: number): Bilingual => ({
    zh: `没有编号为 ${id} 的后续事项。`,
    en: `There is no follow-up number ${id}.`,
  }),
  followUpCommitted: (): Bilingual => ({
    zh: '这项后续事项已经列为一项承诺。',
    en: 'This follow-up has already been made a commitment.',
  }),
  unknownActivity: (id: number): Bilingual => ({
    zh: `没有编号为 ${id} 的活动。`,
    en: `There is no activity number ${id}.`,
  }),
  unpublishedArticle: (id: number): Bilingual => ({
    zh: `编号为 ${id} 的稿件不存在或尚未发布；佐证只能是已发布的稿件。`,
    en: `Update number ${id} does not exist or is not published; evidence must be a published update.`,
  }),
  dimensionCodeTaken: (code: string): Bilingual => ({
    zh: `代码“${code}”已被使用。`,
    en: `The code "${code}" is taken already.`,
  }),
  dimensionInUse: (count: number): Bilingual => ({
    zh: `有 ${count} 项措施使用此工作维度；请先取消这些标记。`,
    en: `${count} measure(s) are tagged with this dimension; untag them first.`,
  }),
};

// Messages the schemas give in English, and their Chinese form.
const chineseOfFieldMessages: Record<string, string> = {
  'A weight is a positive number, such as 1 or 2.5.': '权重须为正数，如 1 或 2.5。',
  'Progress is a whole number from 0 to 100.': '进度须为 0 至 100 之间的整数。',
  'Give a date such as 2024-03-25.': '请填写日期，如 2024-03-25。',
  'Give the numbers of images, separated by commas.': '请填写图片编号，以逗号分隔。',
  'Write the note in Chinese or in English.': '请用中文或英文填写进展说明。',
  'Use 2–63 lower-case letters, digits and underscores, starting with a letter.': '请使用 2–63 个小写字母、数字或下划线，以字母开头。',
};

/** A schema's English message about a field, in both languages. */
export function fieldMessage(message: string): Bilingual {
  return { en: message, zh: chineseOfFieldMessages[message] ?? message };
}
