/**
 * Made-up articles for the search benchmark, written by set-based SQL (generate_series): plausible
 * federation news in both languages, from lists of places, events and sentences picked by hashing the
 * article id. As on a real federation's site, most articles name 妇联; phrases such as 乡村振兴 or
 * "family education" are in about half.
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../src/db/database.ts';

// Made-up but plausible news text: places and events for titles, sentences for summaries and bodies.
// Some sentences name 妇联 (so that, as on a real federation's site, most articles do), fewer 乡村振兴 or 家庭教育;
// each article has one of forty topics (心理健康, "legal aid").
const zhPlaces = ['北京市', '天津市', '河北省', '大兴区', '朝阳区', '海淀区', '通州区', '顺义区', '昌平区', '房山区', '延庆区', '密云区'];
const zhEvents = [
  '妇联召开执委会议',
  '开展家庭教育公益讲座',
  '举办乡村振兴巾帼培训班',
  '巾帼志愿者走进社区',
  '召开新就业形态女性座谈会',
  '启动女性健康知识巡讲',
  '推荐评选最美家庭',
  '举办女性创业创新展示会',
  '开展反家庭暴力宣传周活动',
  '组织基层妇联主席培训',
  '表彰三八红旗手',
  '开展京津冀妇女协同发展交流',
];
const zhSentences = [
  '近日，市妇联组织召开专题会议，研究部署下一阶段重点工作。',
  '与会人员围绕基层组织建设、妇女儿童权益保障等议题深入交流。',
  '活动现场气氛热烈，社区居民踊跃参与互动环节。',
  '各区妇联负责同志参加会议并作交流发言。',
  '此次培训聚焦乡村振兴，邀请农业专家为农村妇女讲授种植技术。',
  '讲座围绕家庭教育促进法展开，帮助家长树立科学育儿观念。',
  '巾帼志愿者为老人测量血压，并讲解健康生活知识。',
  '下一步，将持续推进妇女之家建设，让服务更加贴近群众。',
  '座谈会上，外卖骑手、网约车司机等代表讲述了工作和生活中的困难。',
  '市妇联有关负责人表示，将会同相关部门做好服务保障工作。',
  '展示会吸引了数十家女性创办的企业和合作社参展。',
  '通过以案说法的形式，普及反家庭暴力法律知识。',
  '京津冀三地妇联签署合作框架协议，推动区域协同发展。',
  '参训学员纷纷表示收获很大，将把所学运用到实际工作中。',
  '社区妇联执委入户走访，了解困难妇女家庭的实际需求。',
  '会议强调，要加强党建带妇建，不断提升基层妇联组织力。',
  '活动还设置了亲子阅读角和手工体验区。',
  '据统计，今年以来已累计开展各类活动两百余场。',
  '专家建议，家长要多陪伴孩子，营造良好的家庭氛围。',
  '村里的妇女们学会了直播带货，农产品销路越来越广。',
  '与会代表就进一步优化营商环境提出了意见建议。',
  '活动由区妇联联合街道、社区共同主办。',
  '大家表示，要以最美家庭为榜样，传承好家风好家训。',
  '讲师结合典型案例，讲解了婚姻家庭纠纷调解的方法。',
];
// One topic per article, so each is in about one article in forty: words neither common nor rare.
const zhTopics = [
  '科技创新', '托育服务', '心理健康', '法律援助', '非遗传承', '健康体检', '技能培训', '就业帮扶', '创业孵化', '文明实践',
  '社区治理', '平安建设', '垃圾分类', '绿色低碳', '数字经济', '电商助农', '乡村旅游', '养老服务', '儿童关爱', '留守儿童',
  '困难帮扶', '婚姻调解', '家风建设', '亲子阅读', '红色教育', '巾帼建功', '生态保护', '普法宣传', '防范诈骗', '消防安全',
  '食品安全', '医疗保障', '两癌筛查', '母婴健康', '青少年成长', '志愿服务', '文化惠民', '体育健身', '书香家庭', '共同富裕',
];
const enTopics = [
  'science and innovation', 'childcare services', 'mental health', 'legal aid', 'intangible heritage', 'health checks',
  'skills training', 'employment support', 'business incubation', 'civic culture', 'community governance', 'public safety',
  'waste sorting', 'low-carbon living', 'digital economy', 'online sales of farm produce', 'rural tourism', 'elderly care',
  'child welfare', 'left-behind children', 'hardship relief', 'marriage mediation', 'family values', 'parent-child reading',
  'revolutionary heritage', 'women achievers', 'ecological protection', 'legal awareness', 'fraud prevention', 'fire safety',
  'food safety', 'medical insurance', 'cancer screening', 'maternal health', 'youth development', 'volunteer service',
  'cultural outreach', 'fitness', 'book-loving families', 'common prosperity',
];
const enPlaces = ['Beijing', 'Tianjin', 'Hebei', 'Daxing', 'Chaoyang', 'Haidian', 'Tongzhou', 'Shunyi', 'Changping', 'Fangshan', 'Yanqing', 'Miyun'];
const enEvents = [
  "women's federation holds executive committee meeting",
  'hosts public lecture on family education',
  'runs training class on rural revitalization',
  'volunteers visit community centres',
  'holds seminar with women in new forms of employment',
  "launches women's health lecture tour",
  'nominates most beautiful families',
  'stages showcase of women-led businesses',
  'marks anti-domestic violence awareness week',
  'trains grassroots federation chairs',
  'honours March 8th Red-Banner Pacesetters',
  'hosts exchange on coordinated development with Tianjin and Hebei',
];
const enSentences = [
  'The federation met this week to plan its work for the coming months.',
  "Participants discussed grassroots organization and the protection of women's and children's rights.",
  'Residents joined in the activities with enthusiasm.',
  'Heads of the district federations attended and spoke at the meeting.',
  'The training focused on rural revitalization, with agricultural experts teaching planting techniques.',
  'The lecture explained the Family Education Promotion Law and helped parents with child-rearing.',
  'Volunteers measured blood pressure for older residents and shared advice on healthy living.',
  "Next, the federation will keep building women's homes so that services are closer to people.",
  'Delivery riders and ride-hailing drivers described the difficulties they face at work.',
  'A federation official said it would work with other departments to provide support.',
  'Dozens of companies and cooperatives founded by women took part in the showcase.',
  'Case studies were used to explain the Anti-Domestic Violence Law.',
  'The three federations signed a framework agreement on regional coordinated development.',
  'Trainees said they had learned a great deal and would apply it in their work.',
  'Executive committee members visited families in need to understand their situation.',
  'The meeting stressed strengthening Party-building to lead the work of the federations.',
  'There was also a corner for parent-child reading and a handicraft area.',
  'More than two hundred activities have been held since the start of the year.',
  'Experts advised parents to spend more time with their children.',
  'Village women have learned to sell farm produce through live streaming.',
  'Delegates made suggestions on further improving the business environment.',
  'The event was co-hosted by the district federation, the sub-district and the community.',
  'Participants pledged to follow the example of the most beautiful families.',
  'The speaker used typical cases to explain how family disputes are mediated.',
];

/** Inserts `count` articles with both translations in set-based statements, two at a time (one per core). */
export async function generateArticles(db: Kysely<Database>, count: number): Promise<void> {
  const site = await db.selectFrom('site').select('id').where('is_default', '=', true).executeTakeFirstOrThrow();
  const sections = await db.selectFrom('section').select('id').where('site_id', '=', site.id).where('parent_id', 'is not', null).execute();
  const sectionIds = sections.map((s) => s.id);
  // One article in twenty is a draft, which the public must not find.
  await sql`
    insert into article (site_id, section_id, slug, status, publish_at)
    select ${site.id}, (${sectionIds}::int[])[1 + g % ${sectionIds.length}], 'bench-' || g,
           case when g % 20 = 0 then 'draft' else 'published' end,
           timestamptz '2024-06-01 00:00+08' - g * interval '7 minutes'
    from generate_series(1, ${count}) as g`.execute(db);
  const pick = (list: string, salt: number) => sql.raw(`${list}[1 + abs(hashint4(a.id * 64 + ${salt})) % cardinality(${list})]`);
  // Twelve sentences in four paragraphs.
  const paragraphs = (list: string, between: string) =>
    sql.raw(`(select string_agg(case when i % 3 = 1 then '<p>' else '' end
                                || ${list}[1 + abs(hashint4(a.id * 64 + i)) % cardinality(${list})]
                                || case when i % 3 = 0 then '</p>' else '${between}' end, '' order by i)
              from generate_series(1, 12) as i)`);
  const half = (parity: number) => sql`
    insert into article_translation (article_id, locale, title, summary, body_html)
    select a.id, t.locale, t.title, t.summary, t.body_html
    from article as a,
         (select ${zhPlaces}::text[] as zh_places, ${zhEvents}::text[] as zh_events, ${zhSentences}::text[] as zh_sentences,
                 ${zhTopics}::text[] as zh_topics, ${enPlaces}::text[] as en_places, ${enEvents}::text[] as en_events,
                 ${enSentences}::text[] as en_sentences, ${enTopics}::text[] as en_topics) as v,
         lateral (values
           ('zh', ${pick('v.zh_places', 40)} || ${pick('v.zh_events', 41)},
                  ${pick('v.zh_sentences', 42)} || ${pick('v.zh_sentences', 43)},
                  '<p>本期主题：' || ${pick('v.zh_topics', 44)} || '。</p>' || ${paragraphs('v.zh_sentences', '')}),
           ('en', ${pick('v.en_places', 40)} || ' ' || ${pick('v.en_events', 41)},
                  ${pick('v.en_sentences', 42)} || ' ' || ${pick('v.en_sentences', 43)},
                  '<p>Theme: ' || ${pick('v.en_topics', 44)} || '.</p>' || ${paragraphs('v.en_sentences', ' ')})
         ) as t(locale, title, summary, body_html)
    where a.slug like 'bench-%' and a.id % 2 = ${parity}`;
  await Promise.all([half(0).execute(db), half(1).execute(db)]);
}

