import { DomainError } from '../../platform/errors.ts';
import type { Bilingual } from '../places/place.rules.ts';
import type { ActivityStatus, ActivityVisibility, AttendanceStatus, AttendeeRole, FollowUpStatus, OrganizerRole } from './activity.table.ts';

/** The zone in which activities are entered and shown, and in which their day turns over. */
export const activityTimeZone = 'Asia/Shanghai';

/** A rule about activities that a request broke, said in both languages, with the form field it concerns. */
export class ActivityRuleError extends DomainError {
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

/** The names of the statuses, the visibilities and the roles, as the workspace shows them. */
export const activityStatusNames: Record<ActivityStatus, Bilingual> = {
  planned: { zh: '计划中', en: 'Planned' },
  held: { zh: '已举行', en: 'Held' },
  cancelled: { zh: '已取消', en: 'Cancelled' },
};

export const visibilityNames: Record<ActivityVisibility, Bilingual> = {
  public: { zh: '公开', en: 'Public' },
  network: { zh: '网络内可见', en: 'Network' },
  internal: { zh: '仅主办方', en: 'Internal' },
};

export const organizerRoleNames: Record<OrganizerRole, Bilingual> = {
  organizer: { zh: '主办', en: 'Organizer' },
  co_organizer: { zh: '联办', en: 'Co-organizer' },
  host: { zh: '承办', en: 'Host' },
};

export const attendeeRoleNames: Record<AttendeeRole, Bilingual> = {
  head_of_delegation: { zh: '团长', en: 'Head of delegation' },
  member: { zh: '成员', en: 'Member' },
  host: { zh: '接待方', en: 'Host' },
  speaker: { zh: '发言人', en: 'Speaker' },
};

export const attendanceStatusNames: Record<AttendanceStatus, Bilingual> = {
  invited: { zh: '已邀请', en: 'Invited' },
  confirmed: { zh: '已确认', en: 'Confirmed' },
  attended: { zh: '已出席', en: 'Attended' },
  absent: { zh: '缺席', en: 'Absent' },
};

export const followUpStatusNames: Record<FollowUpStatus, Bilingual> = {
  open: { zh: '进行中', en: 'Open' },
  done: { zh: '已完成', en: 'Done' },
  dropped: { zh: '已放弃', en: 'Dropped' },
};

/** The messages of the rules, shared by the forms and the API. */
export const activityMessages = {
  endsBeforeStart: (): Bilingual => ({ zh: '结束时间早于开始时间。', en: 'The end comes before the start.' }),
  dateTime: (): Bilingual => ({ zh: '请填写日期和时间，如 2024-03-25 09:30。', en: 'Give a date and time such as 2024-03-25 09:30.' }),
  title: (): Bilingual => ({ zh: '请填写中文或英文标题。', en: 'Give a title in Chinese or in English.' }),
  text: (): Bilingual => ({ zh: '请填写中文或英文内容。', en: 'Write it in Chinese or in English.' }),
  unknownKind: (code: string): Bilingual => ({ zh: `没有“${code}”这种活动类型。`, en: `There is no activity kind "${code}".` }),
  unknownTopic: (code: string): Bilingual => ({ zh: `没有“${code}”这个主题。`, en: `There is no topic "${code}".` }),
  unknownOrganization: (): Bilingual => ({ zh: '找不到该组织。', en: 'No such organization.' }),
  organizerTwice: (): Bilingual => ({ zh: '同一组织只能列为一次主办方。', en: 'An organization is listed once among the organizers.' }),
  lastOrganizer: (): Bilingual => ({
    zh: '活动必须保留至少一个主办单位：请先添加另一个主办单位。',
    en: 'An activity keeps at least one organizer: make another organization an organizer first.',
  }),
  heldBeforeStart: (): Bilingual => ({
    zh: '活动尚未开始，不能标记为已举行。',
    en: 'An activity that has not begun cannot be marked as held.',
  }),
  unknownFacility: (): Bilingual => ({ zh: '找不到该服务阵地。', en: 'No such facility.' }),
  unknownPlace: (): Bilingual => ({ zh: '找不到该地点。', en: 'No such place.' }),
  stopWhere: (): Bilingual => ({ zh: '请选择服务阵地，或填写地点（二者选一）。', en: 'Choose a facility or give a place (one of the two).' }),
  unknownPerson: (): Bilingual => ({ zh: '找不到该人员。', en: 'No such person.' }),
  attendeeTwice: (name: string): Bilingual => ({ zh: `${name} 已在参加人员名单中。`, en: `${name} is on the list of attendees already.` }),
  attendeeWho: (): Bilingual => ({
    zh: '请选择人员；未记录姓名时，请填写所在组织和职务（如“负责同志”）。',
    en: 'Choose a person; where the record does not name one, give the organization and the post (e.g. "Head").',
  }),
  attendeeOrganization: (): Bilingual => ({
    zh: '该人员在活动当天没有职务记录：请选择其所在组织。',
    en: 'This person held no post on the day of the activity: choose the organization she came from.',
  }),
  unknownMedia: (): Bilingual => ({
    zh: '在您可使用的图片库中找不到该图片。',
    en: 'No image with this number is in a media library you use.',
  }),
  photoTwice: (): Bilingual => ({ zh: '该图片已在活动照片中。', en: 'This image is among the photos already.' }),
  raced: (): Bilingual => ({
    zh: '同时有人修改了该活动；请刷新后重试。',
    en: 'Someone else changed this activity at the same time; reload and try again.',
  }),
};

/**
 * The title of someone holding these posts, as a report writes it: the Chinese joined with "、"
 * ("党组副书记、副主席"), the English as a sentence does ("A and B", "A, B and C"); posts in the order given.
 */
export function titlesOfPosts(posts: readonly { titleZh: string; titleEn: string }[]): { titleZh: string; titleEn: string } {
  const english = posts.map((post) => post.titleEn);
  return {
    titleZh: posts.map((post) => post.titleZh).join('、'),
    titleEn: english.length <= 2 ? english.join(' and ') : `${english.slice(0, -1).join(', ')} and ${english.at(-1) ?? ''}`,
  };
}

/** The Chinese of the English messages the schemas give. */
const chineseOfFieldMessages: Record<string, string> = Object.fromEntries(
  [
    activityMessages.endsBeforeStart(),
    activityMessages.dateTime(),
    activityMessages.title(),
    activityMessages.text(),
    { en: 'Choose one of the listed values.', zh: '请从列出的选项中选择。' },
  ].map((text) => [text.en, text.zh]),
);

/** A schema's English message about an activity field, in both languages. */
export function fieldMessage(message: string): Bilingual {
  return { en: message, zh: chineseOfFieldMessages[message] ?? message };
}
