import { sql } from 'kysely';
import type { Executor } from '../database.ts';
import { renderArticleMarkdown } from '../../domains/articles/article-markdown.ts';
import type { StoredCommitmentStatus } from '../../domains/agreements/commitment.table.ts';
import type { DocumentKind } from '../../domains/agreements/document.table.ts';
import { seedArticleSlug } from './demo-content.ts';

/** A progress update of the demo; `seedEvidence` links the seed's exchange visit and its published update. */
interface DemoProgressUpdate {
  reportedOn: string;
  noteZh: string;
  noteEn: string;
  progress?: number;
  status?: StoredCommitmentStatus;
  seedEvidence?: boolean;
}

/** A commitment of the demo; organizations are named by their slugs. */
interface DemoCommitment {
  whatZh: string;
  whatEn: string;
  responsible: string;
  partners?: string[];
  dueOn: string | null;
  weight: number;
  status: StoredCommitmentStatus;
  progress: number;
  updates?: DemoProgressUpdate[];
}

/** A measure of the demo; dimensions and topics are named by their codes. */
interface DemoMeasure {
  number: string;
  titleZh: string;
  titleEn: string;
  bodyZh: string;
  bodyEn: string;
  dimensions: string[];
  topics?: string[];
  commitments: DemoCommitment[];
  children?: DemoMeasure[];
  /** The seed's exchange visit carries this measure out. */
  carriedOutBySeedVisit?: boolean;
}

/** A document of the demo. Its number is left empty: the demo never makes up a real one. */
interface DemoDocument {
  kind: DocumentKind;
  titleZh: string;
  titleEn: string;
  signedOn: string;
  startsOn?: string;
  endsOn?: string;
  issuer?: string;
  parties?: string[];
  bodyZh: string;
  bodyEn: string;
  isPublic: boolean;
  measures: DemoMeasure[];
}

const demoNoteZh = '（演示数据：本文为演示而撰写，并非文件原文。）';
const demoNoteEn = '*(Demo data: written for the demonstration; not the text of the actual document.)*';

/**
 * The two documents the seed names: the Beijing-Tianjin-Hebei framework agreement on the coordinated
 * development and cooperation between women (signed by the three federations), and the circular of
 * several measures on serving the region's coordinated development through high-quality Party-building,
 * which the seed's exchange visit of 2024-03-25 carried out. Dates, texts and progress are plausible
 * demo values, not records of the real documents.
 */
export const demoDocuments: DemoDocument[] = [
  {
    kind: 'agreement',
    titleZh: '京津冀妇女协同发展合作框架协议',
    titleEn: 'Framework Agreement on the Coordinated Development and Cooperation between Women across the Beijing-Tianjin-Hebei Region',
    signedOn: '2023-06-16',
    startsOn: '2023-06-16',
    endsOn: '2027-12-31',
    parties: ['bwf', 'twf', 'hebei-wf'],
    isPublic: true,
    bodyZh: [
      demoNoteZh,
      '',
      '为深入推进京津冀协同发展，北京市妇联、天津市妇联、河北省妇联本着优势互补、资源共享、协同联动的原则，就加强三地妇女工作合作达成如下框架协议。',
      '',
      '## 合作原则',
      '',
      '- 坚持党建引领，推动三地妇联在党的政治建设、思想建设、组织建设、纪律建设、作风建设和制度建设等方面融合发展；',
      '- 坚持需求导向，聚焦基层组织建设、妇女服务阵地和妇女人才培养；',
      '- 坚持务实合作，各方按年度落实承诺事项，定期通报进展。',
    ].join('\n'),
    bodyEn: [
      demoNoteEn,
      '',
      "To take the coordinated development of Beijing, Tianjin and Hebei further, the Beijing, Tianjin and Hebei women's federations agree to work together, each bringing its strengths, sharing resources and acting in concert.",
      '',
      '## Principles',
      '',
      "- Party-building leads: the three federations integrate their work in the Party's political, ideological, organizational, discipline, working style and institutional building;",
      "- the work starts from what is needed: grassroots organizations, women's service facilities and women cadres;",
      '- cooperation is practical: each party carries out its commitments year by year and reports on them regularly.',
    ].join('\n'),
    measures: [
      {
        number: '1',
        titleZh: '建立三地妇联联席会议机制',
        titleEn: 'A joint meeting of the three federations',
        bodyZh: '三地妇联每年轮流召开一次联席会议，通报协议落实情况，研究确定下一年度合作事项。',
        bodyEn: 'The three federations meet once a year, taking turns to host, to report on the agreement and agree on the next year’s work.',
        dimensions: ['institutional'],
        topics: ['coordinated_development'],
        commitments: [
          {
            whatZh: '承办 2023 年度联席会议',
            whatEn: 'Host the joint meeting of 2023',
            responsible: 'bwf',
            partners: ['twf', 'hebei-wf'],
            dueOn: '2023-12-31',
            weight: 1,
            status: 'done',
            progress: 100,
            updates: [
              {
                reportedOn: '2023-11-20',
                noteZh: '首次联席会议在京召开，三方确定 2024 年度合作清单。',
                noteEn: 'The first joint meeting was held in Beijing; the three parties agreed the list of joint work for 2024.',
                status: 'done',
                progress: 100,
              },
            ],
          },
          {
            whatZh: '承办 2024 年度联席会议',
            whatEn: 'Host the joint meeting of 2024',
            responsible: 'twf',
            partners: ['bwf', 'hebei-wf'],
            dueOn: '2024-12-31',
            weight: 1,
            status: 'done',
            progress: 100,
          },
          {
            whatZh: '承办 2026 年度联席会议',
            whatEn: 'Host the joint meeting of 2026',
            responsible: 'hebei-wf',
            partners: ['bwf', 'twf'],
            dueOn: '2026-12-31',
            weight: 1,
            status: 'in_progress',
            progress: 50,
          },
        ],
      },
      {
        number: '2',
        titleZh: '基层组织建设交流互鉴',
        titleEn: 'Learning from each other in building grassroots organizations',
        bodyZh: '围绕妇女组织参与基层社会治理、基层妇联执委作用发挥等开展互访交流。',
        bodyEn: 'Visits in both directions on how women’s organizations take part in grassroots governance and how grassroots executive members play their part.',
        dimensions: ['organizational'],
        topics: ['grassroots_governance', 'executive_members'],
        carriedOutBySeedVisit: true,
        commitments: [
          {
            whatZh: '接待天津市妇联来京交流学习，介绍基层组织建设做法',
            whatEn: "Receive a TWF delegation in Beijing and present BWF's work on grassroots organizations",
            responsible: 'bwf-grassroots-department',
            partners: ['twf'],
            dueOn: '2024-06-30',
            weight: 2,
            status: 'done',
            progress: 100,
            updates: [
              {
                reportedOn: '2024-03-25',
                noteZh: '天津市妇联一行来京，实地调研大兴区观音寺街道三处点位并座谈交流。',
                noteEn: 'A TWF delegation visited three sites in Guanyinsi Sub-district, Daxing, followed by talks.',
                status: 'done',
                progress: 100,
                seedEvidence: true,
              },
            ],
          },
          {
            whatZh: '组织基层妇联干部赴京津学习',
            whatEn: 'Send grassroots federation officers to learn in Beijing and Tianjin',
            responsible: 'hebei-wf',
            dueOn: '2025-09-30',
            weight: 1,
            status: 'in_progress',
            progress: 30,
          },
        ],
      },
      {
        number: '3',
        titleZh: '妇女儿童服务阵地共建共享',
        titleEn: "Sharing women's and children's service facilities",
        bodyZh: '各方向其他两地妇联开放示范性妇女儿童服务阵地，交流运行管理经验。',
        bodyEn: "Each party opens its model women's and children's facilities to the other two federations and shares how it runs them.",
        dimensions: ['working_style'],
        topics: ['service_facilities'],
        commitments: [
          {
            whatZh: '向津冀妇联开放大兴区示范性服务阵地',
            whatEn: 'Open model facilities in Daxing to the Tianjin and Hebei federations',
            responsible: 'daxing-wf',
            dueOn: '2027-06-30',
            weight: 1,
            status: 'in_progress',
            progress: 60,
          },
          {
            whatZh: '编印天津市妇女服务阵地运行指引并与京冀共享',
            whatEn: "Write a guide to running Tianjin's women's service facilities and share it with Beijing and Hebei",
            responsible: 'twf',
            dueOn: '2027-06-30',
            weight: 1,
            status: 'in_progress',
            progress: 40,
          },
          {
            whatZh: '建设河北省示范性妇女之家',
            whatEn: "Build model women's homes in Hebei",
            responsible: 'hebei-wf',
            dueOn: '2027-12-31',
            weight: 1,
            status: 'not_started',
            progress: 0,
          },
        ],
      },
      {
        number: '4',
        titleZh: '妇女干部人才交流培训',
        titleEn: 'Training and exchange of women cadres',
        bodyZh: '联合举办妇女干部培训班，探索干部交流挂职。',
        bodyEn: 'Joint training courses for women cadres; secondments between the federations to be explored.',
        dimensions: ['ideological', 'discipline'],
        commitments: [
          {
            whatZh: '每年联合举办一期妇女干部培训班',
            whatEn: 'Hold a joint training course for women cadres every year',
            responsible: 'bwf',
            partners: ['twf', 'hebei-wf'],
            dueOn: '2027-12-31',
            weight: 2,
            status: 'in_progress',
            progress: 50,
          },
          {
            whatZh: '互派干部挂职锻炼',
            whatEn: 'Second cadres to each other',
            responsible: 'twf',
            dueOn: '2025-12-31',
            weight: 1,
            status: 'dropped',
            progress: 0,
            updates: [
              {
                reportedOn: '2025-03-10',
                noteZh: '经三方商定，改为以联合培训方式开展交流，本项不再单独推进。',
                noteEn: 'The three parties agreed to exchange through the joint training instead; this item is not pursued on its own.',
                status: 'dropped',
              },
            ],
          },
          {
            whatZh: '选派妇女干部参加联合培训',
            whatEn: 'Send women cadres to the joint training',
            responsible: 'hebei-wf',
            dueOn: '2027-12-31',
            weight: 1,
            status: 'in_progress',
            progress: 20,
          },
        ],
      },
    ],
  },
  {
    kind: 'circular',
    titleZh: '关于以高质量党建服务保障京津冀协同发展的若干措施',
    titleEn: 'Several Measures on Promoting the Coordinated Development of the Beijing-Tianjin-Hebei Region via High-Quality Party-Building Services',
    signedOn: '2024-01-18',
    issuer: 'bwf',
    isPublic: false,
    bodyZh: [
      demoNoteZh,
      '',
      '为深入贯彻京津冀协同发展战略，以高质量党建引领和保障妇联工作协同发展，现提出以下若干措施，请结合实际认真抓好落实。',
    ].join('\n'),
    bodyEn: [
      demoNoteEn,
      '',
      "To carry out the strategy for the coordinated development of Beijing, Tianjin and Hebei, with high-quality Party-building leading and supporting the federations' joint work, the following measures are set out, to be carried out as local conditions allow.",
    ].join('\n'),
    measures: [
      {
        number: '1',
        titleZh: '强化政治引领',
        titleEn: 'Strengthen political guidance',
        bodyZh: '三地妇联党组定期开展联合理论学习，共同学习贯彻党的创新理论。',
        bodyEn: "The federations' Leading Party Members' Groups study the Party's theory together at regular joint sessions.",
        dimensions: ['political'],
        topics: ['party_building'],
        commitments: [
          {
            whatZh: '牵头组织联合理论学习研讨',
            whatEn: 'Organize the joint theory study sessions',
            responsible: 'bwf-party-group',
            partners: ['twf', 'hebei-wf'],
            dueOn: '2024-12-31',
            weight: 1,
            status: 'done',
            progress: 100,
          },
          {
            whatZh: '承办一次联合理论学习研讨',
            whatEn: 'Host one joint study session',
            responsible: 'twf-party-group',
            dueOn: '2024-12-31',
            weight: 1,
            status: 'done',
            progress: 100,
          },
          {
            whatZh: '承办一次联合理论学习研讨',
            whatEn: 'Host one joint study session',
            responsible: 'hebei-wf-party-group',
            dueOn: '2025-06-30',
            weight: 1,
            status: 'in_progress',
            progress: 50,
          },
        ],
      },
      {
        number: '2',
        titleZh: '深化思想引领',
        titleEn: 'Deepen ideological guidance',
        bodyZh: '联合开展面向妇女群众的宣传宣讲，共享宣传产品。',
        bodyEn: 'Joint publicity and talks for women; publicity products shared between the federations.',
        dimensions: ['ideological'],
        commitments: [
          {
            whatZh: '组建京津冀巾帼宣讲团，开展联合宣讲',
            whatEn: 'Form a Beijing-Tianjin-Hebei speakers’ group and give joint talks',
            responsible: 'bwf-publicity-department',
            partners: ['hebei-wf-publicity-department'],
            dueOn: '2025-12-31',
            weight: 1,
            status: 'in_progress',
            progress: 70,
          },
          {
            whatZh: '共享河北妇女工作宣传产品',
            whatEn: "Share Hebei's publicity products on women's work",
            responsible: 'hebei-wf-publicity-department',
            dueOn: '2027-06-30',
            weight: 1,
            status: 'in_progress',
            progress: 30,
          },
        ],
      },
      {
        number: '3',
        titleZh: '夯实基层组织建设',
        titleEn: 'Strengthen grassroots organizations',
        bodyZh: '推动两地妇联在基层组织建设方面互学互鉴。',
        bodyEn: 'The federations learn from each other in building grassroots organizations.',
        dimensions: ['organizational'],
        commitments: [],
        children: [
          {
            number: '3.1',
            titleZh: '推动妇女组织参与基层社会治理',
            titleEn: "Women's organizations in grassroots social governance",
            carriedOutBySeedVisit: true,
            bodyZh: '围绕妇女组织参与基层社会治理开展交流学习和实地调研。',
            bodyEn: "Exchange visits and field investigations on how women's organizations take part in grassroots governance.",
            dimensions: ['organizational'],
            topics: ['grassroots_governance'],
            commitments: [
              {
                whatZh: '组织京津妇联交流学习活动，实地调研基层治理点位',
                whatEn: 'Hold a BWF–TWF exchange with field visits to grassroots governance sites',
                responsible: 'bwf-grassroots-department',
                partners: ['twf-organization-department'],
                dueOn: '2024-06-30',
                weight: 2,
                status: 'done',
                progress: 100,
                updates: [
                  {
                    reportedOn: '2024-02-26',
                    noteZh: '与天津市妇联商定交流学习方案和调研点位。',
                    noteEn: 'Agreed the plan and the sites of the exchange with TWF.',
                    status: 'in_progress',
                    progress: 30,
                  },
                  {
                    reportedOn: '2024-03-25',
                    noteZh: '京津妇联在京开展交流学习活动：调研首座御园二里社区公共服务街区、执委 Liu Yumei 工作室和同仁堂知嘛健康女性服务中心，并座谈交流。',
                    noteEn:
                      "BWF and TWF held their exchange in Beijing: visits to the Shouzuoyuyuan Erli public service block, executive member Liu Yumei's office and the Tongrentang Zhima Health women's service centre, then talks.",
                    status: 'done',
                    progress: 100,
                    seedEvidence: true,
                  },
                ],
              },
              {
                whatZh: '在津组织回访交流',
                whatEn: 'Hold a return visit in Tianjin',
                responsible: 'twf-organization-department',
                partners: ['bwf-grassroots-department'],
                dueOn: '2026-12-31',
                weight: 1,
                status: 'in_progress',
                progress: 60,
                updates: [
                  {
                    reportedOn: '2025-05-12',
                    noteZh: '回访方案已报党组审定，调研点位初步确定。',
                    noteEn: "The return visit's plan went to the Party group for approval; the sites are chosen provisionally.",
                    progress: 60,
                  },
                ],
              },
            ],
          },
          {
            number: '3.2',
            titleZh: '发挥基层妇联执委作用',
            titleEn: 'Let grassroots executive members play their part',
            carriedOutBySeedVisit: true,
            bodyZh: '交流执委工作室建设经验，推动执委联系服务妇女群众。',
            bodyEn: "Share experience of executive members' offices, so that executive members stay close to the women they serve.",
            dimensions: ['organizational', 'working_style'],
            topics: ['executive_members'],
            commitments: [
              {
                whatZh: '总结推广执委工作室建设经验',
                whatEn: "Write up and share the experience of executive members' offices",
                responsible: 'daxing-wf',
                dueOn: '2025-12-31',
                weight: 1,
                status: 'done',
                progress: 100,
              },
              {
                whatZh: '开展执委工作室建设试点',
                whatEn: "Pilot executive members' offices",
                responsible: 'hebei-wf',
                dueOn: '2027-12-31',
                weight: 1,
                status: 'not_started',
                progress: 0,
              },
            ],
          },
        ],
      },
      {
        number: '4',
        titleZh: '严明纪律规矩',
        titleEn: 'Enforce discipline and rules',
        bodyZh: '联合开展警示教育，共享廉政教育资源。',
        bodyEn: 'Joint cautionary education; resources for integrity education shared.',
        dimensions: ['discipline'],
        commitments: [
          {
            whatZh: '开展一次警示教育活动',
            whatEn: 'Hold a cautionary education session',
            responsible: 'bwf-party-committee',
            dueOn: '2024-12-31',
            weight: 1,
            status: 'done',
            progress: 100,
          },
          {
            whatZh: '联合开展纪律教育现场教学',
            whatEn: 'Joint on-site discipline education',
            responsible: 'hebei-wf',
            dueOn: '2024-12-31',
            weight: 1,
            status: 'dropped',
            progress: 0,
          },
        ],
      },
      {
        number: '5',
        titleZh: '改进工作作风',
        titleEn: 'Improve the working style',
        bodyZh: '深入基层联合调研，共同研究妇女服务阵地运行中的问题。',
        bodyEn: "Joint investigations at the grassroots into how women's service facilities run.",
        dimensions: ['working_style'],
        topics: ['service_facilities'],
        commitments: [
          {
            whatZh: '联合开展妇女服务阵地运行情况调研',
            whatEn: "Investigate, jointly, how women's service facilities are run",
            responsible: 'bwf',
            partners: ['twf'],
            dueOn: '2025-10-31',
            weight: 1,
            status: 'in_progress',
            progress: 40,
          },
          {
            whatZh: '形成天津市妇女服务阵地调研报告',
            whatEn: "Report on Tianjin's women's service facilities",
            responsible: 'twf',
            dueOn: '2026-12-31',
            weight: 1,
            status: 'in_progress',
            progress: 50,
          },
        ],
      },
      {
        number: '6',
        titleZh: '健全协同工作机制',
        titleEn: 'Build mechanisms for working together',
        bodyZh: '建立党建工作联席会议制度，定期通报落实情况。',
        bodyEn: 'A joint meeting on Party-building work, with regular reports on how the measures are carried out.',
        dimensions: ['institutional'],
        commitments: [
          {
            whatZh: '建立京津冀妇联党建工作联席会议制度',
            whatEn: "Set up the federations' joint meeting on Party-building work",
            responsible: 'bwf-party-committee',
            partners: ['twf-party-committee', 'hebei-wf'],
            dueOn: '2024-09-30',
            weight: 1,
            status: 'done',
            progress: 100,
          },
        ],
      },
    ],
  },
];

/** The seed's published update and its exchange visit (when the activities' demo has it), for evidence. */
async function seedEvidence(tx: Executor): Promise<{ articleId: number | null; activityId: number | null }> {
  const article = await tx
    .selectFrom('article')
    .innerJoin('site', 'site.id', 'article.site_id')
    .select('article.id')
    .where('site.slug', '=', 'bwf')
    .where('article.slug', '=', seedArticleSlug)
    .executeTakeFirst();
  // The exchange visit of 2024-03-25 in Beijing, found by its day and its title.
  const activity = await tx
    .selectFrom('activity')
    .select('id')
    .where(sql<boolean>`(starts_at at time zone 'Asia/Shanghai')::date = '2024-03-25'`)
    .where((eb) => eb.or([eb('title_zh', 'like', '%津%'), eb('title_en', 'ilike', '%Tianjin%')]))
    .orderBy('id')
    .executeTakeFirst();
  return { articleId: article?.id ?? null, activityId: activity?.id ?? null };
}

/**
 * Adds the demo's documents that are missing (known by their Chinese title), with their measures,
 * commitments and progress updates; returns how many documents it added.
 */
export async function ensureDemoAgreements(tx: Executor, organizationIds: ReadonlyMap<string, number>): Promise<number> {
  const organization = (slug: string): number => {
    const id = organizationIds.get(slug);
    if (id === undefined) throw new Error(`demo agreements name unknown organization ${slug}`);
    return id;
  };
  const dimensions = new Map((await tx.selectFrom('work_dimension').select(['id', 'code']).execute()).map((row) => [row.code, row.id]));
  const topics = new Map((await tx.selectFrom('activity_topic').select(['id', 'code']).execute()).map((row) => [row.code, row.id]));
  const evidence = await seedEvidence(tx);
  let added = 0;

  const addMeasure = async (documentId: number, measure: DemoMeasure, parentId: number | null, position: number): Promise<void> => {
    const { id } = await tx
      .insertInto('measure')
      .values({
        document_id: documentId,
        parent_id: parentId,
        number: measure.number,
        position,
        title_zh: measure.titleZh,
        title_en: measure.titleEn,
        body_zh: measure.bodyZh,
        body_en: measure.bodyEn,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await tx
      .insertInto('measure_dimension')
      .values(measure.dimensions.map((code) => ({ measure_id: id, dimension_id: dimensions.get(code) ?? 0 })))
      .execute();
    // Topics are a list a deployment may change: a code it no longer has is left out.
    const topicIds = (measure.topics ?? []).flatMap((code) => topics.get(code) ?? []);
    if (topicIds.length > 0) await tx.insertInto('measure_topic').values(topicIds.map((topicId) => ({ measure_id: id, topic_id: topicId }))).execute();
    for (const commitment of measure.commitments) {
      const { id: commitmentId } = await tx
        .insertInto('commitment')
        .values({
          document_id: documentId,
          measure_id: id,
          what_zh: commitment.whatZh,
          what_en: commitment.whatEn,
          responsible_organization_id: organization(commitment.responsible),
          due_on: commitment.dueOn,
          weight: commitment.weight,
          status: commitment.status,
          progress: commitment.progress,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      if (commitment.partners?.length) {
        await tx
          .insertInto('commitment_partner')
          .values(commitment.partners.map((slug) => ({ commitment_id: commitmentId, organization_id: organization(slug) })))
          .execute();
      }
      for (const update of commitment.updates ?? []) {
        await tx
          .insertInto('progress_update')
          .values({
            commitment_id: commitmentId,
            reported_on: update.reportedOn,
            note_zh: update.noteZh,
            note_en: update.noteEn,
            progress: update.progress ?? null,
            status: update.status ?? null,
            activity_id: update.seedEvidence ? evidence.activityId : null,
            article_id: update.seedEvidence ? evidence.articleId : null,
            media_id: null,
            created_by: null,
          })
          .execute();
      }
    }
    if (measure.carriedOutBySeedVisit && evidence.activityId !== null) {
      await tx.insertInto('activity_measure').values({ activity_id: evidence.activityId, measure_id: id }).execute();
    }
    for (const [index, child] of (measure.children ?? []).entries()) await addMeasure(documentId, child, id, (index + 1) * 10);
  };

  for (const document of demoDocuments) {
    const existing = await tx.selectFrom('document').select('id').where('title_zh', '=', document.titleZh).executeTakeFirst();
    if (existing) continue;
    const { id } = await tx
      .insertInto('document')
      .values({
        kind: document.kind,
        title_zh: document.titleZh,
        title_en: document.titleEn,
        doc_number: '',
        signed_on: document.signedOn,
        starts_on: document.startsOn ?? null,
        ends_on: document.endsOn ?? null,
        issuer_organization_id: document.issuer ? organization(document.issuer) : null,
        body_zh: document.bodyZh,
        body_en: document.bodyEn,
        body_html_zh: renderArticleMarkdown(document.bodyZh),
        body_html_en: renderArticleMarkdown(document.bodyEn),
        is_public: document.isPublic,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    if (document.parties?.length) {
      await tx
        .insertInto('document_party')
        .values(document.parties.map((slug, position) => ({ document_id: id, organization_id: organization(slug), position })))
        .execute();
    }
    for (const [index, measure] of document.measures.entries()) await addMeasure(id, measure, null, (index + 1) * 10);
    added += 1;
  }
  return added;
}
