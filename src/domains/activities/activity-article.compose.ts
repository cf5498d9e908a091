/**
 * What an activity's record says, written as the first draft of a news update in Chinese and in
 * English: a headline, a summary and a Markdown body (the newsroom's editor renders and sanitizes it).
 * Pure: the record in, the texts out.
 */
import type { Locale } from '../../platform/i18n.ts';
import { formatDate } from '../../platform/time.ts';
import { activityTimeZone } from './activity.rules.ts';
import { groupAttendees, type ActivityDetail, type Attendee, type OrganizationRef, type Taxon } from './activity.service.ts';

/** A draft update in both languages: headline, summary, Markdown body. */
export interface ComposedArticle {
  titleZh: string;
  titleEn: string;
  summaryZh: string;
  summaryEn: string;
  bodyZh: string;
  bodyEn: string;
}

/** What the record alone does not say: the province code of each organizer's place ("110000"), where known. */
export interface ComposeContext {
  provinceCodes: ReadonlyMap<number, string>;
}

/** The newsroom's limits on a title and a summary. */
const limits = { title: 300, summary: 2000 } as const;

/** The usual one-character names of the province-level divisions, by the first two digits of their codes. */
const provinceAbbreviations: Record<string, string> = {
  '11': '京', '12': '津', '13': '冀', '14': '晋', '15': '蒙', '21': '辽', '22': '吉', '23': '黑', '31': '沪', '32': '苏',
  '33': '浙', '34': '皖', '35': '闽', '36': '赣', '37': '鲁', '41': '豫', '42': '鄂', '43': '湘', '44': '粤', '45': '桂',
  '46': '琼', '50': '渝', '51': '川', '52': '黔', '53': '滇', '54': '藏', '61': '陕', '62': '甘', '63': '青', '64': '宁',
  '65': '新', '71': '台', '81': '港', '82': '澳',
};

/** How a headline says that an activity of a known kind took place; other kinds are said with their names. */
const kindPhrases: Record<string, { zh: string; one: string; many: string }> = {
  exchange_visit: { zh: '开展交流学习活动', one: 'Holds Exchange Activity', many: 'Hold Exchange Activity' },
  field_investigation: { zh: '开展实地调研', one: 'Conducts Field Investigation', many: 'Conduct Field Investigation' },
  meeting: { zh: '召开座谈会', one: 'Holds Meeting', many: 'Hold Meeting' },
  training: { zh: '举办培训', one: 'Holds Training', many: 'Hold Training' },
  service_event: { zh: '开展服务活动', one: 'Holds Service Event', many: 'Hold Service Event' },
  publicity_campaign: { zh: '开展宣传活动', one: 'Launches Publicity Campaign', many: 'Launch Publicity Campaign' },
};

const monthNames = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

// ---------------------------------------------------------------------------------------------
// Text

/** The text in a language, the other language's where it is empty. */
function pick(locale: Locale, zh: string, en: string): string {
  return locale === 'zh' ? zh || en : en || zh;
}

function nameIn(locale: Locale, record: { nameZh: string; nameEn: string }): string {
  return pick(locale, record.nameZh, record.nameEn);
}

/** Text as it appears inside a line of Markdown: on one line, with the characters Markdown reads escaped. */
function inline(text: string): string {
  return text.replace(/\s+/g, ' ').trim().replace(/[\\`*_[\]<>|~]/g, '\\$&');
}

/** A paragraph of the record's own text: its lines joined, and nothing at its start taken for a heading or a list. */
function paragraph(text: string): string {
  return inline(text)
    .replace(/^(\d+)([.)])/, '$1\\$2')
    .replace(/^([#+=-])/, '\\$1');
}

/** The record's own paragraphs (blank lines apart), each as one Markdown paragraph. */
function paragraphs(text: string): string[] {
  return text
    .split(/\n\s*\n/)
    .map(paragraph)
    .filter((line) => line !== '');
}

/** A sentence with its closing stop, unless it has one. */
function sentence(locale: Locale, text: string): string {
  return /[.!?。！？]$/.test(text) ? text : `${text}${locale === 'zh' ? '。' : '.'}`;
}

/** "A", "A and B", "A, B and C"; in Chinese "A与B", "A、B与C". */
function listOf(locale: Locale, items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  const last = items.at(-1) ?? '';
  if (locale === 'zh') return `${items.slice(0, -1).join('、')}与${last}`;
  return items.length === 2 ? `${items[0]} and ${last}` : `${items.slice(0, -1).join(', ')} and ${last}`;
}

/** "2024年3月25日" / "25 March 2024". */
function dayText(locale: Locale, day: string): string {
  const [year, month, date] = day.split('-').map(Number) as [number, number, number];
  return locale === 'zh' ? `${year}年${month}月${date}日` : `${date} ${monthNames[month - 1] ?? ''} ${year}`;
}

/** The day an activity took place, or its first and last days. */
function datesOf(locale: Locale, activity: Pick<ActivityDetail, 'startsAt' | 'endsAt'>): string {
  const first = formatDate(activity.startsAt, activityTimeZone);
  const last = formatDate(activity.endsAt, activityTimeZone);
  if (first === last) return dayText(locale, first);
  return locale === 'zh' ? `${dayText(locale, first)}至${dayText(locale, last)}` : `${dayText(locale, first)} to ${dayText(locale, last)}`;
}

function truncated(text: string, limit: number): string {
  return text.length <= limit ? text : `${text.slice(0, limit - 1).trimEnd()}…`;
}

// ---------------------------------------------------------------------------------------------
// Headline

/** "北京市妇联": the usual short form of a federation's Chinese name. */
function shortNameZh(name: string): string {
  return name.replace('妇女联合会', '妇联');
}

const federationSuffix = /\s+Women['’]s Federation$/;

/**
 * A headline from who organized and what kind of activity it was, as the seed's portal writes them:
 * "京津两地妇联开展交流学习活动" (federations by their provinces' one-character names) and
 * "Beijing, Tianjin Women's Federations Hold Exchange Activity".
 */
export function headlineOf(
  kind: Taxon,
  organizers: readonly (OrganizationRef & { role: string })[],
  provinceCodes: ReadonlyMap<number, string>,
): { zh: string; en: string } {
  const heads = organizers.filter((organizer) => organizer.role !== 'host');
  const subjects = heads.length > 0 ? heads : organizers;
  const phrase = kindPhrases[kind.code];

  const abbreviations = subjects.map((organizer) =>
    organizer.kind === 'federation' ? provinceAbbreviations[(provinceCodes.get(organizer.id) ?? '').slice(0, 2)] : undefined,
  );
  const regional = subjects.length > 1 && abbreviations.every((abbreviation) => abbreviation !== undefined);
  const count = ['', '', '两', '三'][subjects.length] ?? '';
  const whoZh = regional ? `${abbreviations.join('')}${count ? `${count}地` : ''}妇联` : subjects.map((organizer) => shortNameZh(organizer.nameZh)).join('、');
  const whatZh = phrase?.zh ?? `开展${kind.nameZh}${kind.nameZh.endsWith('活动') ? '' : '活动'}`;

  const names = subjects.map((organizer) => organizer.nameEn || organizer.nameZh);
  const places = names.map((name) => (federationSuffix.test(name) ? name.replace(federationSuffix, '') : undefined));
  const whoEn =
    names.length > 1 && places.every((place) => place !== undefined) ? `${places.join(', ')} Women's Federations` : listOf('en', names);
  const many = subjects.length > 1;
  const kindWords = kind.nameEn.replace(/\b\p{Ll}/gu, (letter) => letter.toUpperCase());
  const whatEn = phrase ? (many ? phrase.many : phrase.one) : `${many ? 'Hold' : 'Holds'} ${kindWords}`;
  return { zh: `${whoZh}${whatZh}`, en: `${whoEn} ${whatEn}` };
}

// ---------------------------------------------------------------------------------------------
// Body

/** Those who came, as a report lists them: absentees left out. */
function present(attendees: readonly Attendee[]): Attendee[] {
  return attendees.filter((attendee) => attendee.status !== 'absent');
}

/** One attendee in a federation's line: "党组副书记、副主席Wei Jiang", "基层组织建设部负责同志" / "Wei Jiang, Vice-President", "Head, Party Committee". */
function attendeeText(locale: Locale, attendee: Attendee, federation: OrganizationRef): string {
  const name = attendee.person ? nameIn(locale, attendee.person) : '';
  const title = pick(locale, attendee.titleZh, attendee.titleEn);
  const unit = attendee.organization.id === federation.id ? '' : nameIn(locale, attendee.organization);
  if (locale === 'zh') return inline(`${unit}${title}${name}`);
  return [name, title, unit].filter(Boolean).map(inline).join(', ');
}

/** The opening paragraph: the date in bold, who organized which kind of activity, who hosted it, and who led the delegations. */
function lede(locale: Locale, activity: ActivityDetail): string {
  const heads = activity.organizers.filter((organizer) => organizer.role !== 'host');
  const hosts = activity.organizers.filter((organizer) => organizer.role === 'host');
  const who = listOf(locale, heads.map((organizer) => inline(nameIn(locale, organizer))));
  const hostNames = listOf(locale, hosts.map((organizer) => inline(nameIn(locale, organizer))));
  const leaders = present(activity.attendees).filter((attendee) => attendee.person && attendee.organization.id === attendee.federation.id);
  const date = `**${datesOf(locale, activity)}**`;
  if (locale === 'zh') {
    const phrase = kindPhrases[activity.kind.code]?.zh ?? `开展${activity.kind.nameZh}${activity.kind.nameZh.endsWith('活动') ? '' : '活动'}`;
    const opening = `${date}，${who}${heads.length > 1 ? '联合' : ''}${phrase}${hosts.length > 0 ? `，${hostNames}承办` : ''}。`;
    const people = leaders.map((attendee) => `${inline(nameIn('zh', attendee.federation))}${attendeeText('zh', attendee, attendee.federation)}`);
    return people.length > 0 ? `${opening}${people.join('，')}参加活动。` : opening;
  }
  const kind = activity.kind.nameEn.toLowerCase() || activity.kind.code.replace(/_/g, ' ');
  const article = /^[aeiou]/.test(kind) ? 'an' : 'a';
  const opening = `${date} — ${who} ${heads.length > 1 ? 'co-organized' : 'organized'} ${article} ${kind}${hosts.length > 0 ? `, hosted by ${hostNames}` : ''}.`;
  const people = leaders.map((attendee) => `${attendeeText('en', attendee, attendee.federation)} of ${inline(nameIn('en', attendee.federation))}`);
  if (people.length === 0) return opening;
  const last = people.at(-1) ?? '';
  return `${opening} ${people.length > 1 ? `${people.slice(0, -1).join(', ')}, and ${last}` : last}, attended.`;
}

const headings = {
  itinerary: { zh: '行程', en: 'Itinerary' },
  topics: { zh: '主题', en: 'Topics' },
  meeting: { zh: '会议', en: 'Meeting' },
  agreed: { zh: '商定事项', en: 'What was agreed' },
  attendees: { zh: '参加人员', en: 'Attendees' },
} as const;

/** The stops in order: where (the facility or place, and the place a facility is in), the topic investigated, the purpose and findings. */
function itinerary(locale: Locale, activity: ActivityDetail): string[] {
  if (activity.stops.length === 0) return [];
  const lines = activity.stops.map((stop, index) => {
    const where = stop.facility ?? stop.place;
    const name = where ? inline(nameIn(locale, where)) : '';
    const placeName = stop.facility && stop.place ? inline(nameIn(locale, stop.place)) : '';
    const place = placeName && !name.includes(placeName) ? (locale === 'zh' ? `（${placeName}）` : ` (${placeName})`) : '';
    const facts = [
      stop.topic ? [locale === 'zh' ? '调研主题' : 'Investigated', nameIn(locale, stop.topic)] : undefined,
      [locale === 'zh' ? '目的' : 'Purpose', pick(locale, stop.purposeZh, stop.purposeEn)],
      [locale === 'zh' ? '发现' : 'Findings', pick(locale, stop.findingsZh, stop.findingsEn)],
    ]
      .filter((fact): fact is [string, string] => fact !== undefined && fact[1] !== '')
      .map(([label, text]) => sentence(locale, `${label}${locale === 'zh' ? '：' : ': '}${inline(text)}`));
    const head = `${index + 1}. ${name ? `**${name}**` : ''}${place}`;
    if (facts.length === 0) return head;
    return locale === 'zh' ? `${head}——${facts.join('')}` : `${head} — ${facts.join(' ')}`;
  });
  return [`# ${headings.itinerary[locale]}`, lines.join('\n')];
}

/** The activity's topics, when no stop names one (a meeting without an itinerary). */
function topicsLine(locale: Locale, activity: ActivityDetail): string[] {
  if (activity.topics.length === 0 || activity.stops.some((stop) => stop.topic)) return [];
  const names = activity.topics.map((topic) => inline(nameIn(locale, topic)));
  return [`**${headings.topics[locale]}**${locale === 'zh' ? `：${names.join('、')}` : `: ${names.join('; ')}`}`];
}

/** Each session: its title as a heading, its agenda items with who spoke to them, and its minutes. */
function sessions(locale: Locale, activity: ActivityDetail): string[] {
  return activity.sessions.flatMap((session) => {
    const title = inline(pick(locale, session.titleZh, session.titleEn)) || headings.meeting[locale];
    const items = session.items.map((item, index) => {
      const subject = inline(pick(locale, item.subjectZh, item.subjectEn));
      const who = [item.speaker ? nameIn(locale, item.speaker) : '', item.speakerOrganization ? nameIn(locale, item.speakerOrganization) : '']
        .filter(Boolean)
        .map(inline);
      const by = who.length === 0 ? '' : locale === 'zh' ? `（发言：${who.join('，')}）` : ` (speaker: ${who.join(', ')})`;
      return `${index + 1}. ${subject}${by}`;
    });
    return [`# ${title}`, ...(items.length > 0 ? [items.join('\n')] : []), ...paragraphs(pick(locale, session.minutesZh, session.minutesEn))];
  });
}

/** What was agreed: the follow-ups not dropped, with who carries each out and by when. */
function agreed(locale: Locale, activity: ActivityDetail): string[] {
  const lines = activity.followUps
    .filter((followUp) => followUp.status !== 'dropped')
    .map((followUp) => {
      const action = inline(pick(locale, followUp.actionZh, followUp.actionEn));
      const owner = inline(nameIn(locale, followUp.ownerOrganization));
      if (locale === 'zh') return `- ${action}（负责：${owner}${followUp.dueOn ? `，${dayText('zh', followUp.dueOn)}前` : ''}）`;
      return `- ${action} (${owner}${followUp.dueOn ? `, by ${dayText('en', followUp.dueOn)}` : ''})`;
    });
  return lines.length > 0 ? [`# ${headings.agreed[locale]}`, lines.join('\n')] : [];
}

/** Those who came, a line per federation: its own people first, then its departments', with the posts they held that day. */
function attendees(locale: Locale, activity: ActivityDetail): string[] {
  const groups = groupAttendees(present(activity.attendees));
  if (groups.length === 0) return [];
  const lines = groups.map((group) => {
    const people = [...group.attendees, ...group.units.flatMap((unit) => unit.attendees)].map((attendee) =>
      attendeeText(locale, attendee, group.federation),
    );
    const federation = inline(nameIn(locale, group.federation));
    return locale === 'zh' ? `- **${federation}**：${people.join('；')}` : `- **${federation}**: ${people.join('; ')}`;
  });
  return [`# ${headings.attendees[locale]}`, lines.join('\n')];
}

function bodyOf(locale: Locale, activity: ActivityDetail): string {
  return [
    lede(locale, activity),
    ...paragraphs(locale === 'zh' ? activity.summaryZh : activity.summaryEn),
    ...topicsLine(locale, activity),
    ...itinerary(locale, activity),
    ...sessions(locale, activity),
    ...agreed(locale, activity),
    ...attendees(locale, activity),
  ].join('\n\n');
}

/** The summary: the activity's own in that language, else the opening paragraph as plain text. */
function summaryOf(locale: Locale, activity: ActivityDetail): string {
  const own = (locale === 'zh' ? activity.summaryZh : activity.summaryEn).replace(/\s+/g, ' ').trim();
  const text = own || lede(locale, activity).replace(/\*\*/g, '').replace(/\\(.)/g, '$1');
  return truncated(text, limits.summary);
}

/**
 * Writes an activity's record as a draft update in both languages. The headline is the activity's
 * own title in that language, else one made from its organizers and kind (headlineOf). The body opens
 * with the date, the organizers and the leaders who attended, then gives the summary, the itinerary
 * in order (place, topic, purpose, findings), each session's agenda with its speakers and its minutes,
 * what was agreed, and the attendees by federation with the posts they held that day. Text missing in
 * one language is taken from the other, so that no fact is lost before the editor translates it.
 */
export function composeArticleFromActivity(activity: ActivityDetail, context: ComposeContext): ComposedArticle {
  const headline = headlineOf(activity.kind, activity.organizers, context.provinceCodes);
  return {
    titleZh: truncated(activity.titleZh.trim() || headline.zh, limits.title),
    titleEn: truncated(activity.titleEn.trim() || headline.en, limits.title),
    summaryZh: summaryOf('zh', activity),
    summaryEn: summaryOf('en', activity),
    bodyZh: bodyOf('zh', activity),
    bodyEn: bodyOf('en', activity),
  };
}
