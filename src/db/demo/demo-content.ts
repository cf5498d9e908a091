/**
 * Demo content for Halfsky: three women's federation portals (Beijing, Tianjin, Hebei),
 * their organizations, section trees and bilingual articles. The world is taken from a
 * Beijing Women's Federation update of 2024-03-25 on a Beijing-Tianjin exchange; every
 * article text here is written afresh. Apart from the two officials named in that update,
 * people appear only by their roles.
 */

/** A federation's portal site in the demo. */
export interface DemoSite {
  slug: string;
  organizationSlug: string;
  isDefault: boolean;
  sections: DemoSection[];
}

/** A section of a site; children nest (Home is the site itself, not a section). */
export interface DemoSection {
  slug: string;
  nameZh: string;
  nameEn: string;
  children?: DemoSection[];
}

/** An organization of the seed's world. kind: federation | leadership_body | department | grassroots_federation | partner */
export interface DemoOrganization {
  slug: string;
  nameZh: string;
  nameEn: string;
  kind: 'federation' | 'leadership_body' | 'department' | 'grassroots_federation' | 'partner';
  parentSlug?: string;
}

/** One bilingual article; bodies are simple HTML using only <p>, <h2>, <ul>, <li>, <strong>, <em>. */
export interface DemoArticle {
  /** Site slug. */
  site: string;
  /** ASCII, lowercase, unique per site, e.g. '2024-03-25-beijing-tianjin-exchange'. */
  slug: string;
  /** Section path of slugs, e.g. 'events/updates'. */
  section: string;
  /** 'YYYY-MM-DD HH:mm:ss', Beijing time (Asia/Shanghai). */
  publishedAt: string;
  en: { title: string; summary: string; bodyHtml: string };
  zh: { title: string; summary: string; bodyHtml: string };
}

/** Organizations of the demo world: three provincial-level federations, their bodies and departments, grassroots federations and a partner. */
export const demoOrganizations: DemoOrganization[] = [
  // Provincial-level federations
  { slug: 'bwf', nameZh: '北京市妇女联合会', nameEn: `Beijing Women's Federation`, kind: 'federation' },
  { slug: 'twf', nameZh: '天津市妇女联合会', nameEn: `Tianjin Women's Federation`, kind: 'federation' },
  { slug: 'hebei-wf', nameZh: '河北省妇女联合会', nameEn: `Hebei Women's Federation`, kind: 'federation' },

  // Beijing Women's Federation
  { slug: 'bwf-party-group', nameZh: '党组', nameEn: `Leading Party Members' Group`, kind: 'leadership_body', parentSlug: 'bwf' },
  {
    slug: 'bwf-party-committee',
    nameZh: '机关党委（党建工作部）',
    nameEn: 'Party Committee (Party-building Work Department)',
    kind: 'leadership_body',
    parentSlug: 'bwf',
  },
  {
    slug: 'bwf-grassroots-department',
    nameZh: '基层组织建设部',
    nameEn: 'Grassroots Organization Construction Department',
    kind: 'department',
    parentSlug: 'bwf',
  },
  { slug: 'bwf-rights-department', nameZh: '权益部', nameEn: 'Rights and Interests Department', kind: 'department', parentSlug: 'bwf' },
  { slug: 'bwf-publicity-department', nameZh: '宣传部', nameEn: 'Publicity Department', kind: 'department', parentSlug: 'bwf' },
  {
    slug: 'bwf-family-department',
    nameZh: '家庭和儿童工作部',
    nameEn: `Family and Children's Work Department`,
    kind: 'department',
    parentSlug: 'bwf',
  },

  // Tianjin Women's Federation
  { slug: 'twf-party-group', nameZh: '党组', nameEn: `Leading Party Members' Group`, kind: 'leadership_body', parentSlug: 'twf' },
  { slug: 'twf-party-committee', nameZh: '机关党委', nameEn: 'Party Committee', kind: 'leadership_body', parentSlug: 'twf' },
  { slug: 'twf-organization-department', nameZh: '组织部', nameEn: 'Organization Department', kind: 'department', parentSlug: 'twf' },
  { slug: 'twf-rights-department', nameZh: '权益部', nameEn: 'Rights and Interests Department', kind: 'department', parentSlug: 'twf' },

  // Hebei Women's Federation
  { slug: 'hebei-wf-party-group', nameZh: '党组', nameEn: `Leading Party Members' Group`, kind: 'leadership_body', parentSlug: 'hebei-wf' },
  { slug: 'hebei-wf-publicity-department', nameZh: '宣传部', nameEn: 'Publicity Department', kind: 'department', parentSlug: 'hebei-wf' },
  { slug: 'hebei-wf-rights-department', nameZh: '权益部', nameEn: 'Rights and Interests Department', kind: 'department', parentSlug: 'hebei-wf' },

  // Grassroots federations
  {
    slug: 'daxing-wf',
    nameZh: '大兴区妇女联合会',
    nameEn: `Daxing District Women's Federation`,
    kind: 'grassroots_federation',
    parentSlug: 'bwf',
  },
  {
    slug: 'guanyinsi-wf',
    nameZh: '观音寺街道妇女联合会',
    nameEn: `Guanyinsi Sub-district Women's Federation`,
    kind: 'grassroots_federation',
    parentSlug: 'daxing-wf',
  },

  // Partners
  { slug: 'tongrentang-zhima-health', nameZh: '同仁堂知嘛健康', nameEn: 'Tongrentang Zhima Health', kind: 'partner' },
];

/** The section tree shared by every demo portal; returns fresh objects so sites never share references. */
function portalSections(): DemoSection[] {
  return [
    {
      slug: 'events',
      nameZh: '活动',
      nameEn: 'Events',
      children: [
        { slug: 'updates', nameZh: '工作动态', nameEn: 'Updates' },
        { slug: 'notices', nameZh: '通知公告', nameEn: 'Notices' },
      ],
    },
    { slug: 'photo-news', nameZh: '图片新闻', nameEn: 'Photo News' },
    {
      slug: 'work',
      nameZh: '工作',
      nameEn: 'Our Work',
      children: [
        { slug: 'grassroots', nameZh: '基层组织', nameEn: 'Grassroots Organizations' },
        { slug: 'rights', nameZh: '权益维护', nameEn: 'Rights and Interests' },
        { slug: 'family', nameZh: '家庭儿童', nameEn: 'Family and Children' },
      ],
    },
  ];
}

/** The demo portal sites: BWF (the default site), TWF and Hebei, each with the same section tree. */
export const demoSites: DemoSite[] = [
  { slug: 'bwf', organizationSlug: 'bwf', isDefault: true, sections: portalSections() },
  { slug: 'twf', organizationSlug: 'twf', isDefault: false, sections: portalSections() },
  { slug: 'hebei-wf', organizationSlug: 'hebei-wf', isDefault: false, sections: portalSections() },
];

/** The slug of the seed's update on the BWF site. */
export const seedArticleSlug = '2024-03-25-beijing-tianjin-exchange';

/** Bilingual demo articles: 16 on BWF (including the seed update), 3 on TWF and 2 on Hebei. */
export const demoArticles: DemoArticle[] = [
  // ---------------------------------------------------------------------------
  // BWF: events/updates
  // ---------------------------------------------------------------------------
  {
    site: 'bwf',
    slug: seedArticleSlug,
    section: 'events/updates',
    publishedAt: '2024-03-25 14:33:38',
    en: {
      title: `Beijing, Tianjin Women's Federations Hold Exchange Activity`,
      summary: `Officials from the Beijing and Tianjin women's federations spent a day in the capital comparing notes on Party-building and grassroots work, with three site visits followed by talks.`,
      bodyHtml: [
        `<p>The women's federations of Beijing and Tianjin have jointly held a study-and-exchange activity in Beijing, meant to let the two organizations learn from each other and grow together. It is one of the steps the two sides are taking to put into practice a circular that lists several measures for making high-quality Party-building serve the coordinated development of Beijing, Tianjin and Hebei.</p>`,
        `<p>From Beijing, the activity was joined by <strong>Wei Jiang</strong>, Vice-President of the Beijing Women's Federation (BWF), who is also Deputy Secretary of its Leading Party Members' Group. Tianjin was represented by <strong>Wang Dongmei</strong>, Vice-President of the Tianjin Women's Federation (TWF) and a Member of its Leading Party Members' Group.</p>`,
        `<h2>Three stops</h2>`,
        `<p>The delegations from both cities visited:</p>`,
        `<ul>`,
        `<li>Shouzuoyuyuan Erli Community's public service block, in Guanyinsi Sub-district, Daxing District;</li>`,
        `<li>the office of Liu Yumei, who serves on the BWF executive committee;</li>`,
        `<li>a women's service centre run by Tongrentang Zhima Health, a business of the time-honoured traditional Chinese medicine brand Tongrentang.</li>`,
        `</ul>`,
        `<p>Along the way they looked into three questions: how women's organizations take part in governance at community level, how executive committee members of grassroots federations can be given a bigger part to play, and how service venues for women and related facilities are being run.</p>`,
        `<h2>Talks</h2>`,
        `<p>At a meeting afterwards, the Beijing side explained what it has been doing to strengthen grassroots organizations and Party-building, and what those efforts have achieved. The two delegations then discussed questions on which both federations have a stake.</p>`,
        `<h2>Next steps</h2>`,
        `<p>Both sides undertook to keep carrying out the framework agreement under which women of Beijing, Tianjin and Hebei cooperate for coordinated development, and to work more closely together on Party-building. They plan to integrate the work of the two federations across all six areas of Party building: its <em>political</em>, <em>ideological</em> and <em>organizational</em> building, as well as building in <em>discipline</em>, <em>working style</em> and <em>institutions</em>. The aim is to give solid backing to the region's coordinated development.</p>`,
        `<p>Heads of the BWF's Grassroots Organization Construction Department and Party Committee (Party-building Work Department) also took part, together with heads of the TWF's Party Committee and Organization Department.</p>`,
      ].join('\n'),
    },
    zh: {
      title: '京津妇联开展交流学习活动',
      summary: '北京市妇联与天津市妇联在京联合开展交流学习活动，两地妇联围绕基层组织建设和党建工作实地调研、座谈交流。',
      bodyHtml: [
        `<p>近日，北京市妇联与天津市妇联在京联合开展交流学习活动，推动两地妇联互学互鉴、共同发展。此次活动是双方深入贯彻落实以高质量党建服务保障京津冀协同发展若干措施通知要求的具体行动。北京市妇联党组副书记、副主席<strong>Wei Jiang</strong>，天津市妇联党组成员、副主席<strong>Wang Dongmei</strong>参加活动。</p>`,
        `<h2>实地调研三处点位</h2>`,
        `<p>两地妇联一行先后走进大兴区观音寺街道首座御园二里社区公共服务街区、北京市妇联执委 Liu Yumei 工作室和同仁堂知嘛健康女性服务中心，边看边问边交流。</p>`,
        `<p>调研聚焦三方面内容：妇女组织如何参与基层社会治理，基层妇联执委作用如何更好发挥，妇女服务阵地及相关场所如何有效运行。</p>`,
        `<h2>座谈交流</h2>`,
        `<p>在随后召开的座谈会上，北京市妇联介绍了推进基层组织建设、加强党建工作的主要做法和成效，双方就共同关心的问题深入交换了意见。</p>`,
        `<h2>下一步打算</h2>`,
        `<p>双方表示，将持续推动京津冀妇女协同发展合作框架协议落地见效，进一步加强党建工作协作，推动两地妇联在党的政治建设、思想建设、组织建设、纪律建设、作风建设和制度建设等方面融合发展，为京津冀协同发展提供坚实有力的服务保障。</p>`,
        `<p>北京市妇联基层组织建设部、机关党委（党建工作部），天津市妇联机关党委、组织部负责同志参加活动。</p>`,
      ].join('\n'),
    },
  },
  {
    site: 'bwf',
    slug: '2024-03-08-womens-day-gathering',
    section: 'events/updates',
    publishedAt: '2024-03-08 09:30:00',
    en: {
      title: `BWF Marks International Women's Day with Citywide Gathering`,
      summary: `Women from laboratories, factories, hospitals, villages and neighbourhood committees came together to celebrate March 8th and share the stories behind their work.`,
      bodyHtml: [
        `<p>The Beijing Women's Federation celebrated the 114th International Women's Day with a gathering that brought together women working in research, manufacturing, healthcare, community services and agriculture across the capital.</p>`,
        `<p>Several women recently honoured as March 8th Red-Banner Pacesetters described how they have built careers in demanding fields while caring for their families. Young volunteers closed the programme with poetry readings and songs written for the day.</p>`,
        `<p>Speaking at the event, the federation's president encouraged women to play their part in the capital's development, and said federations at every level would keep improving services close to women's daily lives, from childcare support and job guidance to legal help.</p>`,
      ].join('\n'),
    },
    zh: {
      title: '北京市妇联举办纪念“三八”国际妇女节114周年活动',
      summary: '来自科研、制造、医疗、社区和农村一线的各界妇女代表欢聚一堂，共庆“三八”节，分享奋斗故事。',
      bodyHtml: [
        `<p>3月8日，北京市妇联举办纪念“三八”国际妇女节114周年活动，来自科研院所、生产一线、医疗卫生、社区服务和农业农村等领域的妇女代表齐聚一堂，共度节日。</p>`,
        `<p>活动中，多位新近获评的“三八”红旗手讲述了在岗位上攻坚克难、兼顾事业与家庭的经历；青年志愿者以诗朗诵和原创歌曲为活动收尾，现场气氛热烈。</p>`,
        `<p>市妇联主要负责同志在讲话中勉励广大妇女在首都发展中展现巾帼风采，并表示各级妇联将持续做实托育支持、就业指导、法律援助等贴近妇女日常生活的服务。</p>`,
      ].join('\n'),
    },
  },
  {
    site: 'bwf',
    slug: '2024-03-21-new-forms-of-employment-seminar',
    section: 'events/updates',
    publishedAt: '2024-03-21 15:20:46',
    en: {
      title: 'Seminar Explores Better Services for Women in New Forms of Employment',
      summary: 'Delivery riders, ride-hailing drivers and livestream hosts told the federation what would make their working lives easier.',
      bodyHtml: [
        `<p>The Beijing Women's Federation held a seminar for women working in new forms of employment, including delivery riders, ride-hailing drivers, online store owners and livestream hosts, together with representatives of platform companies.</p>`,
        `<p>Participants spoke about irregular hours, finding care for children after school and protection against work injuries. Several asked for more places along their routes where they can rest, warm up a meal or use a nursing room.</p>`,
        `<p>The federation's vice-president said the federation would work with platform companies to set up women's federations in new-economy businesses, and would open more "warm stations" in partnership with community women's homes.</p>`,
      ].join('\n'),
    },
    zh: {
      title: '市妇联召开新就业形态女性座谈会',
      summary: '外卖骑手、网约车司机、主播等新就业形态女性代表与市妇联面对面，提出所思所盼。',
      bodyHtml: [
        `<p>近日，北京市妇联召开新就业形态女性座谈会，外卖骑手、网约车司机、网店店主、网络主播等女性代表以及部分平台企业负责人参加。</p>`,
        `<p>座谈中，大家结合自身经历，谈到工作时间不固定、孩子放学后无人照看、职业伤害保障不足等现实困难，不少人希望在日常奔波的路线上多一些能歇脚、热饭、哺乳的地方。</p>`,
        `<p>市妇联副主席表示，将会同平台企业加快推进新经济组织建妇联工作，依托社区“妇女之家”建设更多“暖心驿站”，让新就业形态女性在城市里更有归属感。</p>`,
      ].join('\n'),
    },
  },
  {
    site: 'bwf',
    slug: '2024-03-28-womens-health-lecture-tour',
    section: 'events/updates',
    publishedAt: '2024-03-28 10:42:05',
    en: {
      title: `Women's Health Lecture Tour Sets Off Across Beijing Communities`,
      summary: 'Doctors and health educators will give talks in neighbourhoods throughout the year, starting in Daxing.',
      bodyHtml: [
        `<p>A year-long lecture tour on women's health, organized by the Beijing Women's Federation with medical partners, held its first session in Daxing District this week.</p>`,
        `<p>Topics on the programme include:</p>`,
        `<ul>`,
        `<li>screening for breast and cervical cancer, and how to read the results;</li>`,
        `<li>health through menopause;</li>`,
        `<li>stress, sleep and mental well-being;</li>`,
        `<li>seasonal wellness drawing on traditional Chinese medicine.</li>`,
        `</ul>`,
        `<p>The women's service centre under Tongrentang Zhima Health will host the sessions on traditional Chinese medicine. Community women's federations can ask for a lecture through their district federation.</p>`,
      ].join('\n'),
    },
    zh: {
      title: '女性健康知识巡讲活动走进社区',
      summary: '全年巡讲从大兴区启程，医生和健康讲师将走进各区社区，为妇女送去健康知识。',
      bodyHtml: [
        `<p>由北京市妇联联合医疗机构开展的女性健康知识巡讲活动日前在大兴区启动，首场讲座吸引了不少社区居民参加。巡讲将持续全年。</p>`,
        `<p>本次巡讲主要围绕以下内容展开：</p>`,
        `<ul>`,
        `<li>乳腺癌、宫颈癌筛查及检查结果解读；</li>`,
        `<li>更年期健康管理；</li>`,
        `<li>心理减压与睡眠改善；</li>`,
        `<li>中医四季养生。</li>`,
        `</ul>`,
        `<p>其中，中医养生专题将在同仁堂知嘛健康女性服务中心举办。各社区妇联可通过所在区妇联预约巡讲场次。</p>`,
      ].join('\n'),
    },
  },
  {
    site: 'bwf',
    slug: '2023-11-16-daxing-womens-entrepreneurship-fair',
    section: 'events/updates',
    publishedAt: '2023-11-16 14:00:00',
    en: {
      title: `Women's Entrepreneurship Fair Opens in Daxing`,
      summary: 'Women-led businesses from farms to online shops showed their products, while mentors and banks offered advice on growing.',
      bodyHtml: [
        `<p>A women's entrepreneurship fair organized by the Daxing District Women's Federation with the support of the Beijing Women's Federation opened in Daxing, bringing together dozens of businesses founded or run by women.</p>`,
        `<p>Stalls ranged from fresh farm produce and home-made preserves to handicrafts, children's education services and e-commerce start-ups. Visitors could also sit down with volunteer mentors and consult banking staff about guaranteed start-up loans.</p>`,
        `<p>Organizers said the fair is meant to help women entrepreneurs find customers and partners, and that follow-up training on livestream selling will be offered in the coming months.</p>`,
      ].join('\n'),
    },
    zh: {
      title: '大兴区举办女性创业创新展示会',
      summary: '从田间农产品到网店新品，女性创业者集中亮相，创业导师和银行现场提供咨询。',
      bodyHtml: [
        `<p>在北京市妇联指导支持下，大兴区妇联举办女性创业创新展示会，数十家由女性创办或经营的企业、合作社和工作室集中亮相。</p>`,
        `<p>展位上既有新鲜农产品和手工食品，也有手工艺品、儿童教育服务和电商新品。现场还设置创业导师咨询台，银行工作人员为有需要的创业者讲解创业担保贷款政策。</p>`,
        `<p>主办方介绍，展示会旨在帮助女性创业者拓展客户、对接资源，后续还将开展直播带货等专题培训。</p>`,
      ].join('\n'),
    },
  },
  {
    site: 'bwf',
    slug: '2024-09-20-rural-revitalization-exchange',
    section: 'events/updates',
    publishedAt: '2024-09-20 16:15:30',
    en: {
      title: `Exchange Highlights Women's Role in Rural Revitalization`,
      summary: 'Women running guesthouses, orchards and village livestreams in Beijing’s outer districts shared what has worked for them.',
      bodyHtml: [
        `<p>The Beijing Women's Federation hosted an exchange on women's contribution to rural revitalization, attended by women from villages in the city's outer districts and by district federation staff.</p>`,
        `<p>Speakers included women who run rural guesthouses, manage family orchards and sell local produce through livestreams. They described the value of skills training and of cooperatives that let small producers share packaging and transport costs.</p>`,
        `<p>The federation said it would continue to fund training for rural women and to connect village women's federations with buyers and tourism operators in the city.</p>`,
      ].join('\n'),
    },
    zh: {
      title: '市妇联举办“巾帼助力乡村振兴”交流活动',
      summary: '来自远郊区的民宿经营者、果园主和乡村主播分享经验，探讨妇女在乡村振兴中的作为。',
      bodyHtml: [
        `<p>北京市妇联日前举办“巾帼助力乡村振兴”交流活动，来自远郊区各村的妇女代表和区妇联工作人员参加。</p>`,
        `<p>交流中，经营乡村民宿、打理家庭果园、通过直播销售本地农产品的妇女代表纷纷分享心得，认为技能培训和合作社抱团发展帮助小农户分担了包装、物流等成本，效果明显。</p>`,
        `<p>市妇联表示，将继续支持农村妇女技能培训，推动村级妇联与城市采购商、乡村旅游企业对接，为农村妇女增收拓宽渠道。</p>`,
      ].join('\n'),
    },
  },

  // ---------------------------------------------------------------------------
  // BWF: events/notices
  // ---------------------------------------------------------------------------
  {
    site: 'bwf',
    slug: '2024-04-10-most-beautiful-family-nominations',
    section: 'events/notices',
    publishedAt: '2024-04-10 09:00:00',
    en: {
      title: `Notice on Nominations for the 2024 Beijing "Most Beautiful Family" Awards`,
      summary: 'Families can be nominated through their community or village women’s federation until 31 May 2024.',
      bodyHtml: [
        `<p>The Beijing Women's Federation is inviting nominations for this year's "Most Beautiful Family" awards, which recognise households that set a good example in family values, neighbourliness and service to the community.</p>`,
        `<h2>Who can be nominated</h2>`,
        `<ul>`,
        `<li>families living in Beijing, whether or not they hold a Beijing household registration;</li>`,
        `<li>families known for mutual care, good parenting, thrift, green living or volunteering;</li>`,
        `<li>families that have not received the award at city level in the past three years.</li>`,
        `</ul>`,
        `<h2>How to apply</h2>`,
        `<p>Nominations are made through community or village women's federations, which pass them to sub-district, township and district federations for review. District federations should submit their recommended lists by <strong>31 May 2024</strong>. Shortlisted families will be publicly announced for seven days before the final list is confirmed.</p>`,
      ].join('\n'),
    },
    zh: {
      title: '关于开展2024年度北京市“最美家庭”推荐工作的通知',
      summary: '各级妇联即日起组织推荐“最美家庭”，区妇联请于2024年5月31日前报送推荐名单。',
      bodyHtml: [
        `<p>为弘扬家庭美德、树立良好家风，北京市妇联决定开展2024年度北京市“最美家庭”推荐工作。现将有关事项通知如下。</p>`,
        `<h2>推荐范围</h2>`,
        `<ul>`,
        `<li>在京居住生活的家庭，不限户籍；</li>`,
        `<li>在尊老爱幼、科学教子、勤俭持家、绿色环保、热心公益等方面表现突出的家庭；</li>`,
        `<li>近三年未获得市级“最美家庭”称号的家庭。</li>`,
        `</ul>`,
        `<h2>推荐程序</h2>`,
        `<p>由社区（村）妇联推荐，经街道（乡镇）妇联、区妇联逐级审核。请各区妇联于<strong>2024年5月31日</strong>前报送推荐名单。入围家庭将进行为期7天的公示，公示无异议后确定最终名单。</p>`,
      ].join('\n'),
    },
  },
  {
    site: 'bwf',
    slug: '2023-12-15-red-banner-pacesetter-nominations',
    section: 'events/notices',
    publishedAt: '2023-12-15 10:00:00',
    en: {
      title: 'Notice on Recommending Beijing March 8th Red-Banner Pacesetters and Collectives',
      summary: 'Units and district federations are asked to recommend outstanding women and women-led teams by 19 January 2024.',
      bodyHtml: [
        `<p>The Beijing Women's Federation has begun the selection of Beijing March 8th Red-Banner Pacesetters and March 8th Red-Banner Collectives, honours given to women and women-led teams with outstanding achievements in their work and in public service.</p>`,
        `<p>Candidates should be recommended after open discussion within their unit or community, and the recommendation should describe concrete achievements rather than general praise. Front-line workers, rural women and women in new forms of employment are particularly encouraged.</p>`,
        `<p>District federations and federations of city-level bodies should submit their recommendations by <strong>19 January 2024</strong>. The list of candidates will be made public for comment before it is finalised.</p>`,
      ].join('\n'),
    },
    zh: {
      title: '关于推荐北京市“三八”红旗手（集体）的通知',
      summary: '请各区妇联及市级机关妇工委于2024年1月19日前报送北京市“三八”红旗手（集体）推荐材料。',
      bodyHtml: [
        `<p>为表彰在各行各业中作出突出贡献的妇女和妇女集体，北京市妇联启动北京市“三八”红旗手、“三八”红旗集体推荐评选工作。</p>`,
        `<p>推荐人选须经所在单位或社区民主推荐产生，推荐材料应突出具体事迹，避免空泛表述。推荐工作注重向基层一线倾斜，鼓励推荐一线职工、农村妇女和新就业形态女性。</p>`,
        `<p>请各区妇联、市级机关妇工委于<strong>2024年1月19日</strong>前报送推荐材料。候选人名单将在确定前向社会公示，接受监督。</p>`,
      ].join('\n'),
    },
  },

  // ---------------------------------------------------------------------------
  // BWF: photo-news
  // ---------------------------------------------------------------------------
  {
    site: 'bwf',
    slug: '2024-04-07-spring-volunteers-green-spaces',
    section: 'photo-news',
    publishedAt: '2024-04-07 11:20:00',
    en: {
      title: 'Photo News: Spring Volunteers Bring Colour Back to Community Green Spaces',
      summary: 'Women volunteers and their children spent a sunny Sunday planting flowers and clearing litter.',
      bodyHtml: [
        `<p>On a bright Sunday morning, women volunteers from community women's federations, many joined by their children, turned out to tidy up neighbourhood green spaces.</p>`,
        `<p>They planted spring flowers along footpaths, raked out last winter's leaves and cleared litter from the edges of a small park. Older residents came out to help water the new beds.</p>`,
        `<p>The outing was part of a spring volunteer month run by women's federations across the city, with family-friendly tasks so that parents and children can serve together.</p>`,
      ].join('\n'),
    },
    zh: {
      title: '图片新闻：春日巾帼志愿者扮靓社区绿地',
      summary: '周日上午，巾帼志愿者带着孩子走进社区绿地，种花、清扫，共护家园。',
      bodyHtml: [
        `<p>春光明媚的周日上午，各社区妇联组织的巾帼志愿者带着孩子走出家门，参加社区绿地美化活动。</p>`,
        `<p>大家沿步道补种春花，清理冬季残留的落叶，捡拾小公园边角的垃圾，不少老居民也闻讯赶来帮忙浇水，现场其乐融融。</p>`,
        `<p>此次活动是全市妇联系统春季志愿服务月的一项内容，活动特意设计了适合亲子参与的项目，让家长和孩子一起参与志愿服务。</p>`,
      ].join('\n'),
    },
  },
  {
    site: 'bwf',
    slug: '2023-09-27-mid-autumn-womens-home',
    section: 'photo-news',
    publishedAt: '2023-09-27 17:10:00',
    en: {
      title: `Photo News: Mooncakes and Lanterns at a Community Women's Home`,
      summary: 'Families gathered to make mooncakes and paper lanterns ahead of the Mid-Autumn Festival.',
      bodyHtml: [
        `<p>Ahead of the Mid-Autumn Festival, a community women's home was filled with the smell of baking as families learned to shape mooncakes from scratch.</p>`,
        `<p>In the next room, children folded and painted paper lanterns while grandparents told them the story of Chang'e and the moon. Volunteers later delivered boxes of mooncakes to older residents living alone.</p>`,
      ].join('\n'),
    },
    zh: {
      title: '图片新闻：“妇女之家”里过中秋',
      summary: '中秋节前夕，社区居民在“妇女之家”亲手做月饼、制花灯，共度佳节。',
      bodyHtml: [
        `<p>中秋佳节将至，社区“妇女之家”里飘出阵阵饼香，一家家居民在志愿者指导下和面、包馅、压模，亲手做出一个个月饼。</p>`,
        `<p>隔壁活动室里，孩子们折纸灯、画图案，爷爷奶奶在一旁讲起嫦娥奔月的故事。活动结束后，志愿者还将月饼送到社区独居老人家中。</p>`,
      ].join('\n'),
    },
  },

  // ---------------------------------------------------------------------------
  // BWF: work/grassroots
  // ---------------------------------------------------------------------------
  {
    site: 'bwf',
    slug: '2023-05-18-community-federation-chairs-training',
    section: 'work/grassroots',
    publishedAt: '2023-05-18 09:40:00',
    en: {
      title: `Training Course Sharpens Skills of Community Women's Federation Chairs`,
      summary: 'A four-day course for newly elected community federation chairs covered services, rights protection and running a women’s home.',
      bodyHtml: [
        `<p>The Beijing Women's Federation ran a four-day training course for chairs of community women's federations, most of them elected within the past year.</p>`,
        `<p>The course combined lectures with hands-on sessions. Participants learned how to map the needs of women in their neighbourhoods, how to handle family disputes and refer cases of domestic violence, and how to plan activities for a community women's home on a small budget.</p>`,
        `<p>On the final day, participants visited community federations in Daxing District that have built strong volunteer teams, and exchanged ideas with their chairs.</p>`,
      ].join('\n'),
    },
    zh: {
      title: '市妇联举办社区妇联主席培训班',
      summary: '为期四天的培训班面向新任社区妇联主席，内容涵盖联系服务妇女、维权和“妇女之家”运行等。',
      bodyHtml: [
        `<p>北京市妇联近日举办社区妇联主席培训班，参训学员多为近一年内新当选的社区妇联主席，培训为期四天。</p>`,
        `<p>培训采取专题授课与实务演练相结合的方式，围绕如何摸清辖区妇女需求、如何调处婚姻家庭纠纷和转介家暴案件、如何用有限经费办好“妇女之家”活动等内容展开。</p>`,
        `<p>培训最后一天，学员们走进大兴区志愿服务工作开展较好的社区妇联现场观摩，与当地社区妇联主席交流经验。</p>`,
      ].join('\n'),
    },
  },
  {
    site: 'bwf',
    slug: '2024-05-22-womens-home-visit',
    section: 'work/grassroots',
    publishedAt: '2024-05-22 15:00:00',
    en: {
      title: `At a Community Women's Home, Services Close to the Doorstep`,
      summary: 'Federation officials visited a neighbourhood women’s home to see how it serves residents day to day.',
      bodyHtml: [
        `<p>The vice-president of the Beijing Women's Federation visited a women's home in a residential community in Dongcheng District to see how the space is used by local families.</p>`,
        `<p>The home offers a reading corner for children, a room for parenting classes and a quiet space where a volunteer counsellor meets residents once a week. Its busiest time is after school, when grandparents bring children to do homework together.</p>`,
        `<p>Community federation members told the visitors that short, practical activities draw the most people, and asked for help in recruiting more volunteers with professional skills. The vice-president said the federation would share such experience with other districts.</p>`,
      ].join('\n'),
    },
    zh: {
      title: '走进社区“妇女之家” 服务就在家门口',
      summary: '市妇联负责同志走进东城区一处社区“妇女之家”，了解阵地日常运行和服务情况。',
      bodyHtml: [
        `<p>日前，北京市妇联副主席来到东城区某社区“妇女之家”，实地了解阵地使用和服务居民情况。</p>`,
        `<p>这里设有儿童阅读角、家长课堂活动室和心理咨询室，每周固定有志愿者咨询师接待居民。最热闹的是放学后，不少老人带着孙辈来这里写作业、看书。</p>`,
        `<p>社区妇联执委们介绍，时间短、实用性强的活动最受欢迎，希望能招募更多有专业特长的志愿者。市妇联副主席表示，将把这些好经验在各区推广。</p>`,
      ].join('\n'),
    },
  },

  // ---------------------------------------------------------------------------
  // BWF: work/rights
  // ---------------------------------------------------------------------------
  {
    site: 'bwf',
    slug: '2023-03-01-legal-aid-hotline',
    section: 'work/rights',
    publishedAt: '2023-03-01 09:45:00',
    en: {
      title: `Volunteer Lawyers Join Women's Rights Hotline to Offer Free Legal Advice`,
      summary: 'Callers to the 12338 women’s rights hotline can now be put through to volunteer lawyers for free advice on family and employment disputes.',
      bodyHtml: [
        `<p>The Beijing Women's Federation has added a legal aid service to its 12338 women's rights hotline. A team of volunteer lawyers now takes calls on set days each week.</p>`,
        `<p>The lawyers give free advice on matters women most often raise with the federation:</p>`,
        `<ul>`,
        `<li>marriage, divorce and child custody;</li>`,
        `<li>property and inheritance within the family;</li>`,
        `<li>pregnancy and maternity rights at work;</li>`,
        `<li>domestic violence and applying for personal safety protection orders.</li>`,
        `</ul>`,
        `<p>Where a case needs further help, callers are referred to legal aid centres or to their district women's federation.</p>`,
      ].join('\n'),
    },
    zh: {
      title: '12338妇女维权热线开通律师志愿咨询服务',
      summary: '志愿律师定期接听12338妇女维权热线，为来电妇女免费提供婚姻家庭、劳动权益等法律咨询。',
      bodyHtml: [
        `<p>北京市妇联在12338妇女维权热线中新增法律援助服务，由志愿律师团队每周固定时段接听来电。</p>`,
        `<p>志愿律师重点围绕妇女反映较多的问题提供免费咨询：</p>`,
        `<ul>`,
        `<li>婚姻、离婚及子女抚养；</li>`,
        `<li>家庭财产与继承；</li>`,
        `<li>孕期、产期、哺乳期劳动权益保障；</li>`,
        `<li>家庭暴力及人身安全保护令申请。</li>`,
        `</ul>`,
        `<p>对需要进一步帮助的，热线将转介至法律援助中心或来电人所在区妇联跟进处理。</p>`,
      ].join('\n'),
    },
  },
  {
    site: 'bwf',
    slug: '2024-11-25-anti-domestic-violence-campaign',
    section: 'work/rights',
    publishedAt: '2024-11-25 10:30:00',
    en: {
      title: 'Campaign Spreads Awareness of the Anti-Domestic Violence Law',
      summary: 'On the International Day for the Elimination of Violence against Women, federations took the law into neighbourhoods and workplaces.',
      bodyHtml: [
        `<p>On the International Day for the Elimination of Violence against Women, women's federations across Beijing launched a campaign to make the Anti-Domestic Violence Law better known.</p>`,
        `<p>Volunteers set up information points in communities, shopping streets and workplaces, explaining how to report abuse, how the police can issue written warnings and how courts grant personal safety protection orders.</p>`,
        `<p>The federation's rights department reminded residents that neighbours, community staff and employers can all help, and that the 12338 hotline is available to anyone who needs advice.</p>`,
      ].join('\n'),
    },
    zh: {
      title: '全市妇联开展反家庭暴力法宣传活动',
      summary: '在“国际消除对妇女的暴力日”，各级妇联把反家庭暴力法送进社区、商圈和单位。',
      bodyHtml: [
        `<p>11月25日是“国际消除对妇女的暴力日”，全市各级妇联集中开展反家庭暴力法宣传活动。</p>`,
        `<p>志愿者在社区、商业街区和企业设点宣传，向群众讲解遭遇家暴如何求助、公安机关如何出具告诫书、法院如何签发人身安全保护令等知识。</p>`,
        `<p>市妇联权益部提醒，邻里、社区工作者和用人单位都可以伸出援手，有需要的群众可随时拨打12338妇女维权热线咨询。</p>`,
      ].join('\n'),
    },
  },

  // ---------------------------------------------------------------------------
  // BWF: work/family
  // ---------------------------------------------------------------------------
  {
    site: 'bwf',
    slug: '2023-10-12-family-education-lecture-series',
    section: 'work/family',
    publishedAt: '2023-10-12 19:00:00',
    en: {
      title: 'Family Education Lecture Series Returns for the Autumn Term',
      summary: 'Weekly lectures, held in person and online, help parents put the Family Education Promotion Law into everyday practice.',
      bodyHtml: [
        `<p>The Beijing Women's Federation's family education lecture series has returned for the autumn, with weekly evening sessions held at community parents' schools and streamed online.</p>`,
        `<p>Teachers, psychologists and experienced parents will cover topics such as screen time, homework without conflict, helping teenagers cope with pressure, and sharing childcare between parents and grandparents.</p>`,
        `<p>The series also explains what the Family Education Promotion Law expects of parents, and where families can turn for guidance when they need it.</p>`,
      ].join('\n'),
    },
    zh: {
      title: '秋季家庭教育系列讲座开讲',
      summary: '每周一讲，线上线下同步，帮助家长把家庭教育促进法落实到日常生活中。',
      bodyHtml: [
        `<p>北京市妇联秋季家庭教育系列讲座近日开讲，讲座每周一期，在社区家长学校举办并同步线上直播。</p>`,
        `<p>主讲人包括一线教师、心理咨询师和有经验的家长代表，内容涵盖电子产品使用、作业辅导不“鸡飞狗跳”、帮助青春期孩子缓解压力、父母与祖辈如何分工带娃等家长关心的话题。</p>`,
        `<p>讲座还将解读家庭教育促进法对家长的要求，介绍家庭在需要时可以获得指导服务的渠道。</p>`,
      ].join('\n'),
    },
  },
  {
    site: 'bwf',
    slug: '2024-05-15-family-day-household-traditions',
    section: 'work/family',
    publishedAt: '2024-05-15 14:00:00',
    en: {
      title: 'Families Share Household Traditions on International Day of Families',
      summary: 'Three generations at a time told how family mottos and habits are passed down in their homes.',
      bodyHtml: [
        `<p>To mark the International Day of Families, the Beijing Women's Federation invited families to an afternoon of storytelling about the values and habits handed down in their homes.</p>`,
        `<p>One family brought a notebook of household rules first written by a great-grandfather; another described a weekly dinner at which every generation reports on something it has learned. Children read out family mottos they had written in calligraphy.</p>`,
        `<p>The federation's family and children's work department said it would collect such stories and share them through community women's homes, so that good family traditions can inspire more households.</p>`,
      ].join('\n'),
    },
    zh: {
      title: '“国际家庭日”里话家风',
      summary: '三代同堂的家庭代表讲述家训家规的传承故事，分享好家风的日常点滴。',
      bodyHtml: [
        `<p>5月15日“国际家庭日”，北京市妇联邀请多户家庭代表共话家风，讲述家中代代相传的规矩和习惯。</p>`,
        `<p>有的家庭带来太爷爷亲笔写下的家规本，有的家庭介绍每周一次的“家庭晚餐会”，三代人轮流分享各自的新收获。孩子们还现场展示了亲手书写的家训。</p>`,
        `<p>市妇联家庭和儿童工作部表示，将收集整理好家风故事，通过社区“妇女之家”广泛宣传，让好家风影响更多家庭。</p>`,
      ].join('\n'),
    },
  },

  // ---------------------------------------------------------------------------
  // TWF
  // ---------------------------------------------------------------------------
  {
    site: 'twf',
    slug: '2024-03-26-beijing-exchange-visit',
    section: 'events/updates',
    publishedAt: '2024-03-26 11:08:27',
    en: {
      title: `Tianjin Delegation Learns from Beijing Counterparts on Grassroots Party-building`,
      summary: `A TWF delegation joined the Beijing Women's Federation for site visits and talks, and came home with ideas for Tianjin's community work.`,
      bodyHtml: [
        `<p>A delegation from the Tianjin Women's Federation (TWF) travelled to Beijing for a joint study-and-exchange activity with the Beijing Women's Federation (BWF), part of both federations' work to let Party-building serve the coordinated development of Beijing, Tianjin and Hebei.</p>`,
        `<p>TWF Vice-President <strong>Wang Dongmei</strong>, a Member of the federation's Leading Party Members' Group, took part together with heads of the TWF's Party Committee and Organization Department. Hosting them was BWF Vice-President <strong>Wei Jiang</strong>, who also serves as Deputy Secretary of the BWF's Leading Party Members' Group.</p>`,
        `<p>In Daxing District, the visitors saw a community public service block in Guanyinsi Sub-district, the working office of one of the BWF's executive committee members, and a women's service centre run by Tongrentang Zhima Health. Of particular interest to the Tianjin side was how Beijing's grassroots executive committee members take an active part in neighbourhood affairs.</p>`,
        `<p>At the talks that followed, both federations agreed to deepen cooperation on Party-building under the Beijing-Tianjin-Hebei women's cooperation framework. The TWF said it would draw on what it had seen to improve the way community women's federations and service venues work in Tianjin.</p>`,
      ].join('\n'),
    },
    zh: {
      title: '天津市妇联赴京开展交流学习活动',
      summary: '天津市妇联一行赴北京与北京市妇联开展交流学习，实地调研基层妇联工作，共商京津冀妇联党建协作。',
      bodyHtml: [
        `<p>近日，天津市妇联一行赴京，与北京市妇联联合开展交流学习活动，进一步推动以高质量党建服务保障京津冀协同发展。</p>`,
        `<p>天津市妇联党组成员、副主席<strong>Wang Dongmei</strong>和市妇联机关党委、组织部负责同志参加活动，北京市妇联党组副书记、副主席<strong>Wei Jiang</strong>一同参加。</p>`,
        `<p>在大兴区，天津市妇联一行先后走进观音寺街道一处社区公共服务街区、北京市妇联执委工作室和同仁堂知嘛健康女性服务中心，重点了解北京基层妇联执委参与社区事务、发挥作用的做法。</p>`,
        `<p>座谈交流中，双方一致表示，将在京津冀妇女协同发展合作框架下深化党建工作协作。天津市妇联表示，将认真吸收借鉴北京经验，进一步提升我市社区妇联和妇女服务阵地的工作水平。</p>`,
      ].join('\n'),
    },
  },
  {
    site: 'twf',
    slug: '2023-07-20-summer-care-classes',
    section: 'work/family',
    publishedAt: '2023-07-20 10:00:00',
    en: {
      title: 'Summer Care Classes Open for Children of Working Parents in Tianjin',
      summary: 'Community women’s federations are running daytime classes so that children have somewhere safe to go during the holidays.',
      bodyHtml: [
        `<p>Community women's federations across Tianjin have opened summer care classes for primary school children whose parents are at work during the day.</p>`,
        `<p>The classes run on weekdays and combine homework time with reading, crafts, sports and safety lessons, including drowning prevention. University student volunteers help staff the classes.</p>`,
        `<p>The Tianjin Women's Federation said demand had grown each year and that it would work with more communities to offer places next summer.</p>`,
      ].join('\n'),
    },
    zh: {
      title: '我市社区妇联开办暑期爱心托管班',
      summary: '暑假期间，社区妇联为双职工家庭的小学生提供日间托管，让孩子假期有处去、家长上班更安心。',
      bodyHtml: [
        `<p>暑假到来，天津市各社区妇联陆续开办暑期爱心托管班，为白天无人照看的双职工家庭小学生提供服务。</p>`,
        `<p>托管班工作日开放，孩子们在这里完成作业，还能参加阅读、手工、体育和防溺水等安全教育活动，在校大学生志愿者参与日常看护。</p>`,
        `<p>天津市妇联表示，托管需求逐年增加，明年将联合更多社区扩大服务规模。</p>`,
      ].join('\n'),
    },
  },
  {
    site: 'twf',
    slug: '2024-06-18-womens-job-fair',
    section: 'events/updates',
    publishedAt: '2024-06-18 09:30:00',
    en: {
      title: 'Job Fair for Women Brings Employers and Job-seekers Together in Tianjin',
      summary: 'Flexible hours and family-friendly positions were in focus at a recruitment fair organized by the Tianjin Women’s Federation.',
      bodyHtml: [
        `<p>The Tianjin Women's Federation held a recruitment fair for women, with employers from manufacturing, logistics, health care, domestic services and e-commerce offering jobs.</p>`,
        `<p>Many of the positions offered flexible or part-time hours, aimed at mothers of young children and women returning to work after a break. Career advisers helped job-seekers polish their CVs and prepare for interviews.</p>`,
        `<p>A corner for skills training let visitors sign up for free courses in elderly care, early childhood care and online retail.</p>`,
      ].join('\n'),
    },
    zh: {
      title: '市妇联举办女性专场招聘会',
      summary: '招聘会聚焦灵活就业和家庭友好型岗位，为求职女性和用人单位搭建对接平台。',
      bodyHtml: [
        `<p>天津市妇联近日举办女性专场招聘会，制造业、物流、医疗卫生、家政服务和电子商务等领域的企业现场招聘。</p>`,
        `<p>不少岗位提供弹性工作时间或非全日制用工，主要面向育儿期妈妈和重返职场的女性。现场还有职业指导师帮助求职者修改简历、模拟面试。</p>`,
        `<p>招聘会设置技能培训报名区，求职者可免费报名养老护理、育婴、网络销售等培训课程。</p>`,
      ].join('\n'),
    },
  },

  // ---------------------------------------------------------------------------
  // Hebei
  // ---------------------------------------------------------------------------
  {
    site: 'hebei-wf',
    slug: '2024-04-16-rural-womens-handicrafts-show',
    section: 'photo-news',
    publishedAt: '2024-04-16 14:20:00',
    en: {
      title: `Photo News: Rural Women's Handicrafts on Show in Shijiazhuang`,
      summary: 'Embroidery, paper-cuts and woven goods made by village women drew crowds and orders.',
      bodyHtml: [
        `<p>Embroidered cushions, paper-cuts, straw weaving and hand-dyed cloth made by rural women from across Hebei filled an exhibition hall in Shijiazhuang.</p>`,
        `<p>Several makers demonstrated their crafts on the spot, and buyers from tourism and gift companies discussed orders with women's cooperatives. The Hebei Women's Federation said the show aims to turn traditional skills into steady income for women in the countryside.</p>`,
      ].join('\n'),
    },
    zh: {
      title: '图片新闻：农村妇女手工艺品在石家庄集中展示',
      summary: '刺绣、剪纸、草编等农村妇女手工作品亮相展会，吸引众多市民和采购商。',
      bodyHtml: [
        `<p>刺绣靠垫、剪纸、草编、手工扎染……来自河北各地农村妇女的手工艺品在石家庄集中展示，展厅内人气十足。</p>`,
        `<p>不少手艺人现场展示技艺，文旅和礼品企业的采购商与妇女合作社洽谈订单。河北省妇联表示，举办展会旨在帮助农村妇女把传统手艺转化为稳定收入。</p>`,
      ].join('\n'),
    },
  },
  {
    site: 'hebei-wf',
    slug: '2023-11-09-legal-lectures-villages',
    section: 'work/rights',
    publishedAt: '2023-11-09 10:15:00',
    en: {
      title: 'Legal Lectures Reach Villages Across Hebei',
      summary: 'Lawyers and federation staff are explaining women’s land and marriage rights in plain language in village meeting halls.',
      bodyHtml: [
        `<p>The Hebei Women's Federation has sent teams of lawyers and federation staff to villages across the province to give lectures on the law for rural women.</p>`,
        `<p>The talks focus on rights that matter most in the countryside, including women's shares of contracted land and collective income, property after divorce, and protection against domestic violence. Real cases are used to explain each point.</p>`,
        `<p>After each lecture, lawyers stay on to answer individual questions, and village women's federation chairs are trained to follow up with families who need further help.</p>`,
      ].join('\n'),
    },
    zh: {
      title: '省妇联组织法律宣讲进村入户',
      summary: '律师和妇联干部走进村委会议室，用通俗语言讲解农村妇女土地权益和婚姻家庭权益。',
      bodyHtml: [
        `<p>河北省妇联组织律师和妇联干部组成宣讲团，深入全省各地农村开展法律宣讲活动。</p>`,
        `<p>宣讲聚焦农村妇女最关心的权益问题，包括土地承包经营权益和集体收益分配、离婚时的财产分割、防范和制止家庭暴力等，通过真实案例以案释法。</p>`,
        `<p>每场宣讲结束后，律师现场解答群众个别咨询，村妇联主席也接受相关培训，对需要进一步帮助的家庭跟进服务。</p>`,
      ].join('\n'),
    },
  },
];
