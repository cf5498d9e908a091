import type { Executor } from '../database.ts';
import { formatDate, instantFromWallClock } from '../../platform/time.ts';
import * as activityRepository from '../../domains/activities/activity.repository.ts';
import { activityTimeZone, titlesOfPosts } from '../../domains/activities/activity.rules.ts';
import type {
  ActivityStatus,
  ActivityVisibility,
  AttendanceStatus,
  AttendeeRole,
  FollowUpStatus,
  OrganizerRole,
} from '../../domains/activities/activity.table.ts';
import * as positionRepository from '../../domains/people/position.repository.ts';
import { demoPeople } from './demo-people.ts';

/** A text in both languages. */
interface Text {
  zh: string;
  en: string;
}

/** A stop of a demo itinerary: at a demo facility (by its Chinese name) or a demo place (by its key). */
interface DemoStop {
  facility?: string;
  placeKey?: string;
  topic?: string;
  /** "HH:mm" on the activity's first day. */
  from?: string;
  to?: string;
  hostSlugs?: string[];
  purpose?: Text;
  observations?: Text;
  findings?: Text;
}

interface DemoSession {
  title: Text;
  from?: string;
  to?: string;
  minutes?: Text;
  items: { subject: Text; speakerKey?: string; speakerSlug?: string }[];
}

/** A person of demo-people.ts (her title is taken from the posts she held that day), or a post whose holder the record does not name. */
type DemoAttendee =
  | { personKey: string; organizationSlug: string; role: AttendeeRole; status: AttendanceStatus }
  | { organizationSlug: string; title: Text; role: AttendeeRole; status: AttendanceStatus };

/** An activity of the demo world; organizations by slug, people by their demo keys. */
export interface DemoActivity {
  kind: string;
  title: Text;
  summary: Text;
  /** "YYYY-MM-DD", or a number of days after the day the demo is loaded (a planned activity stays ahead). */
  day: string | number;
  /** Days after `day` on which it ends (0: the same day). */
  lastDay?: number;
  from: string;
  to: string;
  status: ActivityStatus;
  visibility: ActivityVisibility;
  topics: string[];
  organizers: { slug: string; role: OrganizerRole }[];
  stops?: DemoStop[];
  sessions?: DemoSession[];
  attendees?: DemoAttendee[];
  followUps?: { action: Text; ownerSlug: string; dueOn?: string; status: FollowUpStatus }[];
}

const head: Text = { zh: '负责同志', en: 'Head' };

/** The seed's exchange visit: BWF and TWF, 25 March 2024, three stops, a meeting, and what they agreed. */
export const seedActivity: DemoActivity = {
  kind: 'exchange_visit',
  title: { zh: '京津妇联开展交流学习活动', en: `Beijing, Tianjin Women's Federations Hold Exchange Activity` },
  summary: {
    zh: '北京市妇联与天津市妇联在京联合开展交流学习活动，实地调研三处点位并座谈交流，落实以高质量党建服务保障京津冀协同发展若干措施的通知要求。',
    en: `The Beijing and Tianjin women's federations held a joint study-and-exchange activity in Beijing: three site visits and a meeting, as part of carrying out the circular of measures on Party-building serving the coordinated development of Beijing, Tianjin and Hebei.`,
  },
  day: '2024-03-25',
  from: '08:30',
  to: '12:30',
  status: 'held',
  visibility: 'public',
  topics: ['grassroots_governance', 'executive_members', 'service_facilities', 'party_building', 'coordinated_development'],
  organizers: [
    { slug: 'bwf', role: 'organizer' },
    { slug: 'twf', role: 'co_organizer' },
  ],
  stops: [
    {
      facility: '首座御园二里社区公共服务街区',
      topic: 'grassroots_governance',
      from: '09:00',
      to: '09:45',
      hostSlugs: ['guanyinsi-wf'],
      purpose: { zh: '调研妇女组织参与基层社会治理', en: `How women's organizations take part in grassroots social governance` },
      observations: {
        zh: '参观社区公共服务街区，了解居民议事、妇女儿童活动和志愿服务的开展情况。',
        en: 'The community public service block: residents’ consultation, activities for women and children, volunteering.',
      },
      findings: {
        zh: '公共服务街区为妇女组织参与社区治理提供了阵地。',
        en: `The service block gives women's organizations a place from which to take part in running the community.`,
      },
    },
    {
      facility: '北京市妇联执委 Liu Yumei 工作室',
      topic: 'executive_members',
      from: '10:00',
      to: '10:40',
      hostSlugs: ['daxing-wf'],
      purpose: { zh: '调研基层妇联执委作用发挥', en: `How grassroots executive committee members of the federation play their part` },
      observations: {
        zh: '了解执委工作室联系服务妇女群众、反映诉求、组织志愿服务的做法。',
        en: 'How an executive committee member’s office keeps in touch with women of the area, passes on what they need and organizes volunteers.',
      },
      findings: {
        zh: '执委工作室是执委联系妇女群众的固定阵地。',
        en: 'The office gives an executive committee member a fixed place to meet the women she serves.',
      },
    },
    {
      facility: '同仁堂知嘛健康女性服务中心',
      topic: 'service_facilities',
      from: '10:55',
      to: '11:30',
      hostSlugs: ['tongrentang-zhima-health', 'daxing-wf'],
      purpose: { zh: '调研妇女服务阵地及相关场所运行情况', en: `How women's service facilities and related venues are run` },
      observations: {
        zh: '参观企业承办的女性服务中心，了解健康讲座、健康咨询与心理疏导等服务。',
        en: 'A women’s service centre hosted by a company: health talks, health advice and counselling.',
      },
      findings: {
        zh: '企业参与为妇女服务阵地建设提供了新路径。',
        en: 'A company hosting a centre is another way to open service venues for women.',
      },
    },
  ],
  sessions: [
    {
      title: { zh: '座谈交流', en: 'Meeting and talks' },
      from: '11:40',
      to: '12:30',
      minutes: {
        zh: '北京市妇联介绍了推进基层组织建设、加强党建工作的主要做法和成效，双方就共同关心的问题深入交换了意见。双方表示，将持续推动京津冀妇女协同发展合作框架协议落地见效，进一步加强党建工作协作，推动两地妇联在党的政治建设、思想建设、组织建设、纪律建设、作风建设和制度建设等方面融合发展。',
        en: `BWF explained what it has done to strengthen grassroots organizations and Party-building, and what that has achieved; the two sides discussed questions of common concern. Both undertook to keep carrying out the framework agreement on coordinated development and cooperation between women across Beijing, Tianjin and Hebei, to work more closely on Party-building, and to integrate the two federations' work in political, ideological, organizational, discipline, working-style and institutional building.`,
      },
      items: [
        {
          subject: {
            zh: '北京市妇联介绍推进基层组织建设和党建工作的做法与成效',
            en: 'BWF presented its efforts and progress on grassroots organization development and Party-building',
          },
          speakerSlug: 'bwf',
        },
        { subject: { zh: '双方就共同关心的问题交流座谈', en: 'Talks between the two federations on issues of common concern' } },
      ],
    },
  ],
  attendees: [
    { personKey: 'wei-jiang', organizationSlug: 'bwf', role: 'host', status: 'attended' },
    { personKey: 'wang-dongmei', organizationSlug: 'twf', role: 'head_of_delegation', status: 'attended' },
    { organizationSlug: 'bwf-grassroots-department', title: head, role: 'member', status: 'attended' },
    { organizationSlug: 'bwf-party-committee', title: head, role: 'member', status: 'attended' },
    { organizationSlug: 'twf-party-committee', title: head, role: 'member', status: 'attended' },
    { organizationSlug: 'twf-organization-department', title: head, role: 'member', status: 'attended' },
  ],
  followUps: [
    {
      action: {
        zh: '持续推动京津冀妇女协同发展合作框架协议落地见效',
        en: 'Continuously follow the implementation of the framework agreement on coordinated development and cooperation between women across the Beijing-Tianjin-Hebei region',
      },
      ownerSlug: 'bwf',
      status: 'open',
    },
  ],
};

/** A year of the three federations' other activities around the seed's, and a few planned ahead. */
export const otherDemoActivities: DemoActivity[] = [
  {
    kind: 'meeting',
    title: { zh: '北京市妇联纪念“三八”国际妇女节114周年活动', en: `BWF Marks International Women's Day with a Citywide Gathering` },
    summary: { zh: '全市各级妇联代表齐聚一堂，纪念“三八”国际妇女节。', en: `Representatives of the federations across the city gathered to mark International Women's Day.` },
    day: '2024-03-08',
    from: '09:30',
    to: '11:30',
    status: 'held',
    visibility: 'public',
    topics: [],
    organizers: [{ slug: 'bwf', role: 'organizer' }],
  },
  {
    kind: 'meeting',
    title: { zh: '市妇联召开新就业形态女性座谈会', en: 'Seminar with Women in New Forms of Employment' },
    summary: { zh: '听取外卖、网约车、直播等新就业形态女性的诉求。', en: 'Women working in delivery, ride-hailing and live-streaming spoke of what they need.' },
    day: '2024-03-21',
    from: '14:00',
    to: '16:30',
    status: 'held',
    visibility: 'public',
    topics: ['employment', 'rights_protection'],
    organizers: [
      { slug: 'bwf', role: 'organizer' },
      { slug: 'bwf-rights-department', role: 'host' },
    ],
    sessions: [
      {
        title: { zh: '座谈', en: 'Talks' },
        items: [{ subject: { zh: '新就业形态女性代表发言', en: 'Women in new forms of employment described their work' } }],
      },
    ],
    followUps: [
      {
        action: { zh: '梳理座谈中反映的诉求，提出服务举措', en: 'Sort the needs raised and propose services to meet them' },
        ownerSlug: 'bwf-rights-department',
        dueOn: '2024-04-30',
        status: 'done',
      },
    ],
  },
  {
    kind: 'service_event',
    title: { zh: '女性健康知识巡讲首场活动', en: `Women's Health Lecture Tour: the First Lecture` },
    summary: { zh: '巡讲首场走进同仁堂知嘛健康女性服务中心。', en: 'The lecture tour began at the Tongrentang Zhima Health women’s service centre.' },
    day: '2024-03-28',
    from: '09:30',
    to: '11:00',
    status: 'held',
    visibility: 'public',
    topics: ['womens_health'],
    organizers: [
      { slug: 'bwf', role: 'organizer' },
      { slug: 'daxing-wf', role: 'host' },
    ],
    stops: [{ facility: '同仁堂知嘛健康女性服务中心', topic: 'womens_health', hostSlugs: ['tongrentang-zhima-health'] }],
  },
  {
    kind: 'service_event',
    title: { zh: '春日巾帼志愿者扮靓社区绿地', en: 'Spring Volunteers Bring Colour Back to Community Green Spaces' },
    summary: { zh: '社区妇联组织巾帼志愿者补种花草、清理绿地。', en: 'The community women’s federation brought volunteers to replant flowers and tidy the green spaces.' },
    day: '2024-04-07',
    from: '09:00',
    to: '11:30',
    status: 'held',
    visibility: 'network',
    topics: ['volunteer_service'],
    organizers: [{ slug: 'guanyinsi-wf', role: 'organizer' }],
    stops: [{ placeKey: 'shouzuoyuyuan-erli', topic: 'volunteer_service' }],
  },
  {
    kind: 'service_event',
    title: { zh: '农村妇女手工艺品集中展示', en: `Rural Women's Handicrafts on Show in Shijiazhuang` },
    summary: { zh: '展示农村妇女手工艺品，对接销售渠道。', en: 'Handicrafts made by rural women were shown and put in touch with buyers.' },
    day: '2024-04-16',
    from: '09:00',
    to: '16:00',
    status: 'held',
    visibility: 'public',
    topics: ['employment', 'rural_revitalization'],
    organizers: [{ slug: 'hebei-wf', role: 'organizer' }],
    stops: [{ placeKey: 'shijiazhuang', topic: 'rural_revitalization' }],
  },
  {
    kind: 'field_investigation',
    title: { zh: '和平区妇女之家运行情况调研', en: `Investigation of the Heping District Women's Home` },
    summary: { zh: '调研妇女之家维权服务和婚姻家庭纠纷调解开展情况。', en: 'How the women’s home handles rights protection and family mediation.' },
    day: '2024-04-23',
    from: '14:00',
    to: '16:00',
    status: 'held',
    visibility: 'internal',
    topics: ['service_facilities', 'rights_protection'],
    organizers: [
      { slug: 'twf', role: 'organizer' },
      { slug: 'twf-rights-department', role: 'host' },
    ],
    stops: [
      {
        facility: '和平区妇女之家',
        topic: 'service_facilities',
        from: '14:10',
        to: '15:30',
        purpose: { zh: '了解妇女之家服务运行情况', en: 'How the women’s home runs its services' },
        findings: { zh: '调解服务需求较大，志愿律师力量有待加强。', en: 'Mediation is much in demand; more volunteer lawyers are needed.' },
      },
    ],
    attendees: [
      { personKey: 'wang-dongmei', organizationSlug: 'twf', role: 'head_of_delegation', status: 'attended' },
      { organizationSlug: 'twf-rights-department', title: head, role: 'member', status: 'attended' },
    ],
    followUps: [
      {
        action: { zh: '为和平区妇女之家对接志愿律师', en: 'Find volunteer lawyers for the Heping District women’s home' },
        ownerSlug: 'twf-rights-department',
        dueOn: '2024-06-30',
        status: 'done',
      },
    ],
  },
  {
    kind: 'service_event',
    title: { zh: '“国际家庭日”里话家风', en: 'Families Share Household Traditions on the International Day of Families' },
    summary: { zh: '家庭代表讲述家训家规的传承故事。', en: 'Families told how their household rules have been handed down.' },
    day: '2024-05-15',
    from: '14:30',
    to: '16:30',
    status: 'held',
    visibility: 'public',
    topics: ['family_education'],
    organizers: [
      { slug: 'bwf', role: 'organizer' },
      { slug: 'bwf-family-department', role: 'host' },
    ],
    stops: [{ facility: '北京市妇联家庭教育指导服务站', topic: 'family_education' }],
  },
  {
    kind: 'field_investigation',
    title: { zh: '走进社区“妇女之家”', en: `Visit to a Community Women's Home` },
    summary: { zh: '调研社区妇女之家服务群众的做法。', en: 'How a community women’s home serves the women around it.' },
    day: '2024-05-22',
    from: '09:30',
    to: '11:30',
    status: 'held',
    visibility: 'network',
    topics: ['service_facilities'],
    organizers: [
      { slug: 'bwf', role: 'organizer' },
      { slug: 'daxing-wf', role: 'host' },
    ],
    stops: [{ facility: '首座御园二里社区妇女之家', topic: 'service_facilities', hostSlugs: ['guanyinsi-wf'] }],
    followUps: [
      {
        action: { zh: '总结妇女之家服务经验并在全市推广', en: 'Write up what works at the women’s home and share it across the city' },
        ownerSlug: 'bwf-grassroots-department',
        dueOn: '2024-07-31',
        status: 'done',
      },
    ],
  },
  {
    kind: 'meeting',
    title: { zh: '执委履职工作推进会', en: 'Meeting on the Work of Executive Committee Members' },
    summary: { zh: '交流执委联系服务妇女群众的做法，部署下一阶段履职工作。', en: 'Executive committee members compared how they serve women, and planned the next months.' },
    day: '2024-06-12',
    from: '14:00',
    to: '16:00',
    status: 'held',
    visibility: 'internal',
    topics: ['executive_members'],
    organizers: [
      { slug: 'bwf', role: 'organizer' },
      { slug: 'bwf-grassroots-department', role: 'host' },
    ],
    sessions: [
      {
        title: { zh: '推进会', en: 'Meeting' },
        items: [
          { subject: { zh: '执委工作室联系服务妇女群众的做法', en: 'How an executive member’s office keeps in touch with women' }, speakerKey: 'liu-yumei' },
          { subject: { zh: '部署下一阶段执委履职工作', en: 'The work of executive members in the coming months' }, speakerKey: 'wei-jiang', speakerSlug: 'bwf' },
        ],
      },
    ],
    attendees: [
      { personKey: 'wei-jiang', organizationSlug: 'bwf', role: 'speaker', status: 'attended' },
      { personKey: 'liu-yumei', organizationSlug: 'bwf', role: 'speaker', status: 'attended' },
      { organizationSlug: 'bwf-grassroots-department', title: head, role: 'host', status: 'attended' },
    ],
    followUps: [
      {
        action: { zh: '制定执委履职清单', en: 'Draw up the list of executive members’ duties' },
        ownerSlug: 'bwf-grassroots-department',
        dueOn: '2024-09-30',
        status: 'done',
      },
    ],
  },
  {
    kind: 'service_event',
    title: { zh: '市妇联举办女性专场招聘会', en: 'Job Fair for Women in Tianjin' },
    summary: { zh: '组织用人单位与求职女性面对面交流。', en: 'Employers and women looking for work met face to face.' },
    day: '2024-06-18',
    from: '09:00',
    to: '15:00',
    status: 'held',
    visibility: 'public',
    topics: ['employment'],
    organizers: [{ slug: 'twf', role: 'organizer' }],
    stops: [{ placeKey: 'hexi', topic: 'employment' }],
  },
  {
    kind: 'service_event',
    title: { zh: '社区暑期爱心托管班开班', en: 'Summer Care Classes Open for Children of Working Parents' },
    summary: { zh: '社区妇联为双职工家庭子女开办暑期托管班。', en: 'Community women’s federations opened holiday classes for children of working parents.' },
    day: '2024-07-16',
    from: '08:30',
    to: '11:30',
    status: 'held',
    visibility: 'network',
    topics: ['children_care', 'family_education'],
    organizers: [{ slug: 'twf', role: 'organizer' }],
    stops: [{ placeKey: 'heping', topic: 'children_care' }],
  },
  {
    kind: 'meeting',
    title: { zh: '京津冀妇联协同发展联席会议', en: `Joint Meeting of the Beijing, Tianjin and Hebei Women's Federations` },
    summary: { zh: '三地妇联交流落实京津冀妇女协同发展合作框架协议的进展。', en: 'The three federations compared their progress under the framework agreement on coordinated development.' },
    day: '2024-07-25',
    from: '09:30',
    to: '12:00',
    status: 'held',
    visibility: 'network',
    topics: ['coordinated_development', 'party_building'],
    organizers: [
      { slug: 'twf', role: 'organizer' },
      { slug: 'bwf', role: 'co_organizer' },
      { slug: 'hebei-wf', role: 'co_organizer' },
    ],
    sessions: [
      {
        title: { zh: '联席会议', en: 'Joint meeting' },
        items: [
          { subject: { zh: '北京市妇联通报协议落实进展', en: 'BWF reported its progress under the agreement' }, speakerSlug: 'bwf' },
          { subject: { zh: '天津市妇联通报协议落实进展', en: 'TWF reported its progress under the agreement' }, speakerSlug: 'twf' },
          { subject: { zh: '河北省妇联通报协议落实进展', en: 'The Hebei federation reported its progress under the agreement' }, speakerSlug: 'hebei-wf' },
        ],
      },
    ],
    attendees: [
      { personKey: 'wang-dongmei', organizationSlug: 'twf', role: 'host', status: 'attended' },
      { personKey: 'wei-jiang', organizationSlug: 'bwf', role: 'head_of_delegation', status: 'attended' },
      { organizationSlug: 'hebei-wf', title: head, role: 'head_of_delegation', status: 'attended' },
    ],
    followUps: [
      {
        action: { zh: '建立三地妇联党建工作季度交流机制', en: 'Set up a quarterly exchange on Party-building between the three federations' },
        ownerSlug: 'twf',
        dueOn: '2024-12-31',
        status: 'done',
      },
    ],
  },
  {
    kind: 'meeting',
    title: { zh: '宣传工作例会', en: 'Publicity Work Meeting' },
    summary: { zh: '研究下半年宣传工作安排。', en: 'Planning of the publicity work for the second half of the year.' },
    day: '2024-08-20',
    from: '15:00',
    to: '16:30',
    status: 'held',
    visibility: 'internal',
    topics: [],
    organizers: [{ slug: 'hebei-wf-publicity-department', role: 'organizer' }],
  },
  {
    kind: 'exchange_visit',
    title: { zh: '京冀妇联赴石家庄交流学习', en: 'Exchange Visit to Shijiazhuang' },
    summary: { zh: '因日程调整取消。', en: 'Called off when the schedules changed.' },
    day: '2024-09-10',
    from: '09:00',
    to: '16:00',
    status: 'cancelled',
    visibility: 'network',
    topics: ['coordinated_development', 'service_facilities'],
    organizers: [
      { slug: 'hebei-wf', role: 'organizer' },
      { slug: 'bwf', role: 'co_organizer' },
    ],
    stops: [{ facility: '石家庄市妇女儿童服务中心', topic: 'service_facilities' }],
  },
  {
    kind: 'meeting',
    title: { zh: '市妇联举办“巾帼助力乡村振兴”交流活动', en: `Exchange on Women's Role in Rural Revitalization` },
    summary: { zh: '农村致富带头人交流经验。', en: 'Women who lead rural businesses compared their experience.' },
    day: '2024-09-20',
    from: '09:30',
    to: '12:00',
    status: 'held',
    visibility: 'public',
    topics: ['rural_revitalization', 'employment'],
    organizers: [{ slug: 'bwf', role: 'organizer' }],
    stops: [{ placeKey: 'daxing', topic: 'rural_revitalization' }],
  },
  {
    kind: 'training',
    title: { zh: '社区妇联主席培训班', en: `Training Course for Community Women's Federation Chairs` },
    summary: { zh: '两天培训：基层治理、执委作用发挥、妇女之家运行。', en: 'Two days on grassroots governance, the work of executive members and running a women’s home.' },
    day: '2024-10-15',
    lastDay: 1,
    from: '09:00',
    to: '16:30',
    status: 'held',
    visibility: 'network',
    topics: ['grassroots_governance', 'executive_members'],
    organizers: [
      { slug: 'bwf', role: 'organizer' },
      { slug: 'bwf-grassroots-department', role: 'host' },
    ],
    sessions: [
      {
        title: { zh: '第一天：基层治理', en: 'Day one: grassroots governance' },
        items: [{ subject: { zh: '妇女组织参与基层社会治理', en: `Women's organizations in grassroots governance` }, speakerSlug: 'bwf-grassroots-department' }],
      },
      {
        title: { zh: '第二天：阵地运行', en: 'Day two: running the venues' },
        items: [{ subject: { zh: '妇女之家的日常运行', en: 'Running a women’s home day to day' }, speakerSlug: 'guanyinsi-wf' }],
      },
    ],
  },
  {
    kind: 'publicity_campaign',
    title: { zh: '法律宣讲进村入户', en: 'Legal Lectures Reach Villages Across Hebei' },
    summary: { zh: '志愿律师进村宣讲妇女权益保障法律知识。', en: 'Volunteer lawyers visited villages to explain the laws that protect women’s rights.' },
    day: '2024-10-29',
    from: '09:00',
    to: '17:00',
    status: 'held',
    visibility: 'public',
    topics: ['rights_protection'],
    organizers: [
      { slug: 'hebei-wf', role: 'organizer' },
      { slug: 'hebei-wf-rights-department', role: 'host' },
    ],
    stops: [{ placeKey: 'shijiazhuang', topic: 'rights_protection' }],
  },
  {
    kind: 'publicity_campaign',
    title: { zh: '全市妇联开展反家庭暴力法宣传活动', en: 'Campaign Spreads Awareness of the Anti-Domestic Violence Law' },
    summary: { zh: '在区妇女儿童服务中心开展咨询和宣传。', en: 'Advice and leaflets at the district women and children’s service centre.' },
    day: '2024-11-25',
    from: '09:30',
    to: '12:00',
    status: 'held',
    visibility: 'public',
    topics: ['rights_protection'],
    organizers: [
      { slug: 'bwf', role: 'organizer' },
      { slug: 'bwf-rights-department', role: 'host' },
    ],
    stops: [{ facility: '大兴区妇女儿童服务中心', topic: 'rights_protection', hostSlugs: ['daxing-wf'] }],
  },
  {
    kind: 'meeting',
    title: { zh: '机关党建工作座谈会', en: 'Party-building Meeting of the Federation’s Offices' },
    summary: { zh: '总结全年机关党建工作。', en: 'A look back at the year’s Party-building in the federation’s offices.' },
    day: '2024-12-05',
    from: '14:30',
    to: '16:30',
    status: 'held',
    visibility: 'internal',
    topics: ['party_building'],
    organizers: [{ slug: 'twf-party-committee', role: 'organizer' }],
  },
  {
    kind: 'field_investigation',
    title: { zh: '执委工作室运行情况调研', en: `Investigation of Executive Members' Offices` },
    summary: { zh: '回访执委工作室，了解履职清单落实情况。', en: 'A return visit to see how the list of executive members’ duties is carried out.' },
    day: 12,
    from: '14:00',
    to: '16:00',
    status: 'planned',
    visibility: 'internal',
    topics: ['executive_members'],
    organizers: [{ slug: 'bwf-grassroots-department', role: 'organizer' }],
    stops: [{ facility: '北京市妇联执委 Liu Yumei 工作室', topic: 'executive_members', hostSlugs: ['daxing-wf'] }],
    attendees: [{ organizationSlug: 'bwf-grassroots-department', title: head, role: 'head_of_delegation', status: 'confirmed' }],
  },
  {
    kind: 'exchange_visit',
    title: { zh: '京冀妇联交流学习活动', en: 'Beijing–Hebei Exchange Visit' },
    summary: { zh: '北京市妇联一行赴石家庄调研妇女儿童服务阵地。', en: 'A BWF delegation visits Shijiazhuang to see its women and children’s services.' },
    day: 30,
    from: '09:00',
    to: '16:00',
    status: 'planned',
    visibility: 'network',
    topics: ['coordinated_development', 'service_facilities'],
    organizers: [
      { slug: 'hebei-wf', role: 'organizer' },
      { slug: 'bwf', role: 'co_organizer' },
    ],
    stops: [{ facility: '石家庄市妇女儿童服务中心', topic: 'service_facilities', hostSlugs: ['hebei-wf'] }],
    attendees: [{ personKey: 'wei-jiang', organizationSlug: 'bwf', role: 'head_of_delegation', status: 'invited' }],
  },
  {
    kind: 'training',
    title: { zh: '家庭教育指导者培训', en: 'Training for Family Education Instructors' },
    summary: { zh: '面向社区家庭教育指导服务站工作人员。', en: 'For the staff of community family education guidance stations.' },
    day: 45,
    from: '09:00',
    to: '16:00',
    status: 'planned',
    visibility: 'public',
    topics: ['family_education'],
    organizers: [{ slug: 'twf', role: 'organizer' }],
  },
];

/** Every demo activity: the seed's visit first. */
export const demoActivities: DemoActivity[] = [seedActivity, ...otherDemoActivities];

function shiftDay(day: string, days: number): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

/**
 * Adds the demo activities that are missing (found by Chinese title) with their organizers, topics,
 * stops, sessions, attendees (titles from the posts held that day) and follow-ups; returns how many it added.
 */
export async function ensureDemoActivities(
  tx: Executor,
  organizationIds: ReadonlyMap<string, number>,
  placeIds: ReadonlyMap<string, number>,
  now = new Date(),
): Promise<number> {
  const taxa = async (table: 'activity_kind' | 'activity_topic') =>
    new Map((await activityRepository.listTaxonomy(tx, table)).map((row) => [row.code, row.id]));
  const [kinds, topics] = await Promise.all([taxa('activity_kind'), taxa('activity_topic')]);
  const facilities = new Map((await tx.selectFrom('facility').select(['id', 'name_zh']).execute()).map((row) => [row.name_zh, row.id]));
  const known = <T>(map: ReadonlyMap<string, T>, key: string, what: string): T => {
    const value = map.get(key);
    if (value === undefined) throw new Error(`demo activity names unknown ${what} ${key}`);
    return value;
  };
  const organization = (slug: string) => known(organizationIds, slug, 'organization');
  const personIds = new Map<string, number>();
  for (const person of demoPeople) {
    const row = await tx
      .selectFrom('person')
      .select('id')
      .where('name_en', '=', person.nameEn)
      .where('organization_id', '=', organization(person.organizationSlug))
      .executeTakeFirst();
    if (row) personIds.set(person.key, row.id);
  }
  const today = formatDate(now, activityTimeZone);
  let added = 0;
  for (const activity of demoActivities) {
    if (await tx.selectFrom('activity').select('id').where('title_zh', '=', activity.title.zh).executeTakeFirst()) continue;
    const day = typeof activity.day === 'number' ? shiftDay(today, activity.day) : activity.day;
    const at = (time: string, onDay = day) => instantFromWallClock(`${onDay} ${time}:00`, activityTimeZone);
    const id = await activityRepository.insertActivity(tx, {
      kind_id: known(kinds, activity.kind, 'kind'),
      title_zh: activity.title.zh,
      title_en: activity.title.en,
      summary_zh: activity.summary.zh,
      summary_en: activity.summary.en,
      starts_at: at(activity.from),
      ends_at: at(activity.to, shiftDay(day, activity.lastDay ?? 0)),
      status: activity.status,
      visibility: activity.visibility,
    });
    added += 1;
    await activityRepository.replaceTopics(tx, id, activity.topics.map((code) => known(topics, code, 'topic')));
    const organizers = activity.organizers.map((organizer) => ({ organizationId: organization(organizer.slug), role: organizer.role }));
    await activityRepository.replaceOrganizers(tx, id, organizers);
    for (const [index, stop] of (activity.stops ?? []).entries()) {
      const row = await activityRepository.insertStop(tx, {
        activity_id: id,
        position: index + 1,
        facility_id: stop.facility ? known(facilities, stop.facility, 'facility') : null,
        place_id: stop.placeKey ? known(placeIds, stop.placeKey, 'place') : null,
        topic_id: stop.topic ? known(topics, stop.topic, 'topic') : null,
        starts_at: stop.from ? at(stop.from) : null,
        ends_at: stop.to ? at(stop.to) : null,
        purpose_zh: stop.purpose?.zh,
        purpose_en: stop.purpose?.en,
        observations_zh: stop.observations?.zh,
        observations_en: stop.observations?.en,
        findings_zh: stop.findings?.zh,
        findings_en: stop.findings?.en,
      });
      await activityRepository.replaceStopHosts(tx, row.id, (stop.hostSlugs ?? []).map(organization));
    }
    for (const [index, session] of (activity.sessions ?? []).entries()) {
      const row = await activityRepository.insertSession(tx, {
        activity_id: id,
        position: index + 1,
        title_zh: session.title.zh,
        title_en: session.title.en,
        starts_at: session.from ? at(session.from) : null,
        ends_at: session.to ? at(session.to) : null,
        minutes_zh: session.minutes?.zh,
        minutes_en: session.minutes?.en,
      });
      for (const [itemIndex, item] of session.items.entries()) {
        await activityRepository.insertAgendaItem(tx, {
          session_id: row.id,
          position: itemIndex + 1,
          subject_zh: item.subject.zh,
          subject_en: item.subject.en,
          speaker_person_id: item.speakerKey ? known(personIds, item.speakerKey, 'person') : null,
          speaker_organization_id: item.speakerSlug ? organization(item.speakerSlug) : null,
        });
      }
    }
    for (const [index, attendee] of (activity.attendees ?? []).entries()) {
      let personId: number | null = null;
      let title: { titleZh: string; titleEn: string };
      if ('personKey' in attendee) {
        personId = known(personIds, attendee.personKey, 'person');
        const posts = (await positionRepository.listPostsHeldBy(tx, [personId], day)).sort((a, b) => a.id - b.id);
        title = titlesOfPosts(posts.map((post) => ({ titleZh: post.title_zh, titleEn: post.title_en })));
      } else {
        title = { titleZh: attendee.title.zh, titleEn: attendee.title.en };
      }
      await activityRepository.insertAttendee(tx, {
        activity_id: id,
        position: index + 1,
        person_id: personId,
        organization_id: organization(attendee.organizationSlug),
        title_zh: title.titleZh,
        title_en: title.titleEn,
        role: attendee.role,
        status: attendee.status,
      });
    }
    for (const [index, followUp] of (activity.followUps ?? []).entries()) {
      await activityRepository.insertFollowUp(tx, {
        activity_id: id,
        position: index + 1,
        action_zh: followUp.action.zh,
        action_en: followUp.action.en,
        owner_organization_id: organization(followUp.ownerSlug),
        owner_person_id: null,
        due_on: followUp.dueOn ?? null,
        status: followUp.status,
      });
    }
  }
  return added;
}
