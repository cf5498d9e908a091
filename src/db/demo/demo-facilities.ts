import type { Executor } from '../database.ts';

/** A weekly opening: ISO weekdays (1 = Monday), local times. */
interface DemoHours {
  weekdays: number[];
  opens: string;
  closes: string;
}

/** A facility of the demo world; places, organizations and people are named by their demo keys. */
export interface DemoFacility {
  kind: string;
  nameZh: string;
  nameEn: string;
  placeKey: string;
  addressZh?: string;
  addressEn?: string;
  /** Approximate, for the demo's map and "near me" lists. */
  lat?: number;
  lon?: number;
  operatorSlug: string;
  hostSlug?: string;
  keeperKey?: { nameEn: string; organizationSlug: string };
  descriptionZh?: string;
  descriptionEn?: string;
  phone?: string;
  accessibilityZh?: string;
  accessibilityEn?: string;
  services: string[];
  hours: DemoHours[];
  exceptions?: { onDate: string; opens?: string; closes?: string; noteZh: string; noteEn: string }[];
  status?: 'active' | 'temporarily_closed' | 'closed';
  verifiedOn?: string;
}

const weekdays = [1, 2, 3, 4, 5];

/**
 * The three places the seed's delegation visited, and enough others across Beijing, Tianjin and Hebei
 * to browse the directory, filter it and see its statistics (one facility is overdue for verification,
 * one is temporarily closed).
 */
export const demoFacilities: DemoFacility[] = [
  {
    kind: 'community_service_block',
    nameZh: '首座御园二里社区公共服务街区',
    nameEn: 'Shouzuoyuyuan Erli Community Public Service Block',
    placeKey: 'shouzuoyuyuan-erli',
    addressZh: '北京市大兴区观音寺街道首座御园二里社区',
    addressEn: 'Shouzuoyuyuan Erli Community, Guanyinsi Sub-district, Daxing District, Beijing',
    lat: 39.7312,
    lon: 116.3321,
    operatorSlug: 'guanyinsi-wf',
    descriptionZh: '社区居民议事、妇女儿童活动和志愿服务的公共空间，妇女组织参与基层治理的阵地。',
    descriptionEn:
      'A public space for residents’ consultation, activities for women and children, and volunteering, where women’s organizations take part in grassroots governance.',
    accessibilityZh: '一层入口设无障碍坡道。',
    accessibilityEn: 'Step-free ramp at the ground-floor entrance.',
    services: ['policy_consultation', 'family_education', 'volunteer_services'],
    hours: [
      { weekdays, opens: '09:00', closes: '12:00' },
      { weekdays, opens: '13:30', closes: '17:30' },
      { weekdays: [6], opens: '09:00', closes: '12:00' },
    ],
    verifiedOn: '2026-03-25',
  },
  {
    kind: 'womens_home',
    nameZh: '首座御园二里社区妇女之家',
    nameEn: 'Shouzuoyuyuan Erli Community Women’s Home',
    placeKey: 'shouzuoyuyuan-erli',
    addressZh: '北京市大兴区观音寺街道首座御园二里社区公共服务街区内',
    addressEn: 'In the community public service block, Shouzuoyuyuan Erli Community, Guanyinsi Sub-district, Daxing District, Beijing',
    lat: 39.7313,
    lon: 116.3323,
    operatorSlug: 'guanyinsi-wf',
    services: ['rights_protection', 'family_mediation', 'family_education'],
    hours: [{ weekdays, opens: '09:00', closes: '17:00' }],
    verifiedOn: '2026-03-25',
  },
  {
    kind: 'executive_member_office',
    nameZh: '北京市妇联执委 Liu Yumei 工作室',
    nameEn: 'Office of Liu Yumei, BWF Executive Committee Member',
    placeKey: 'guanyinsi',
    addressZh: '北京市大兴区观音寺街道',
    addressEn: 'Guanyinsi Sub-district, Daxing District, Beijing',
    lat: 39.7335,
    lon: 116.3358,
    operatorSlug: 'daxing-wf',
    keeperKey: { nameEn: 'Liu Yumei', organizationSlug: 'bwf' },
    descriptionZh: '执委联系服务妇女群众、反映诉求、开展志愿服务的工作室。',
    descriptionEn: 'Where an executive committee member meets women of the area, hears what they need and organizes volunteers.',
    services: ['rights_protection', 'family_mediation', 'volunteer_services'],
    hours: [{ weekdays: [2, 4], opens: '14:00', closes: '17:00' }],
    verifiedOn: '2026-03-25',
  },
  {
    kind: 'womens_service_centre',
    nameZh: '同仁堂知嘛健康女性服务中心',
    nameEn: 'Tongrentang Zhima Health Women’s Service Centre',
    placeKey: 'guanyinsi',
    addressZh: '北京市大兴区观音寺街道同仁堂知嘛健康门店内',
    addressEn: 'In the Tongrentang Zhima Health shop, Guanyinsi Sub-district, Daxing District, Beijing',
    lat: 39.7298,
    lon: 116.3386,
    operatorSlug: 'daxing-wf',
    hostSlug: 'tongrentang-zhima-health',
    descriptionZh: '企业承办的女性服务中心：健康讲座、健康咨询与心理疏导。',
    descriptionEn: 'A women’s service centre hosted by a company: health talks, health advice and counselling.',
    accessibilityZh: '门店位于一层，可无障碍进入。',
    accessibilityEn: 'On the ground floor, step-free.',
    services: ['health_services', 'psychological_counselling'],
    hours: [{ weekdays: [1, 2, 3, 4, 5, 6, 7], opens: '09:00', closes: '18:00' }],
    exceptions: [{ onDate: '2027-02-06', noteZh: '春节闭馆', noteEn: 'Closed for the Spring Festival' }],
    verifiedOn: '2026-03-25',
  },
  {
    kind: 'womens_service_centre',
    nameZh: '大兴区妇女儿童服务中心',
    nameEn: 'Daxing District Women and Children’s Service Centre',
    placeKey: 'daxing',
    addressZh: '北京市大兴区',
    addressEn: 'Daxing District, Beijing',
    operatorSlug: 'daxing-wf',
    services: ['legal_aid', 'employment_training', 'childcare', 'family_education'],
    hours: [{ weekdays, opens: '08:30', closes: '17:00' }],
    verifiedOn: '2025-06-10',
  },
  {
    kind: 'family_education_station',
    nameZh: '北京市妇联家庭教育指导服务站',
    nameEn: 'BWF Family Education Guidance Station',
    placeKey: 'beijing',
    addressZh: '北京市',
    addressEn: 'Beijing',
    operatorSlug: 'bwf-family-department',
    services: ['family_education', 'psychological_counselling'],
    hours: [{ weekdays, opens: '09:00', closes: '17:00' }],
    status: 'temporarily_closed',
    verifiedOn: '2026-09-01',
  },
  {
    kind: 'womens_home',
    nameZh: '和平区妇女之家',
    nameEn: 'Heping District Women’s Home',
    placeKey: 'heping',
    addressZh: '天津市和平区',
    addressEn: 'Heping District, Tianjin',
    operatorSlug: 'twf',
    services: ['rights_protection', 'legal_aid', 'family_mediation'],
    hours: [{ weekdays, opens: '09:00', closes: '17:00' }],
    verifiedOn: '2026-05-12',
  },
  {
    kind: 'womens_micro_home',
    nameZh: '河西区楼宇妇女微家',
    nameEn: 'Hexi District Office-Building Women’s Micro-home',
    placeKey: 'hexi',
    addressZh: '天津市河西区',
    addressEn: 'Hexi District, Tianjin',
    operatorSlug: 'twf',
    services: ['employment_training', 'volunteer_services'],
    hours: [{ weekdays: [3], opens: '12:00', closes: '13:30' }],
    verifiedOn: '2026-04-20',
  },
  {
    kind: 'womens_service_centre',
    nameZh: '石家庄市妇女儿童服务中心',
    nameEn: 'Shijiazhuang Women and Children’s Service Centre',
    placeKey: 'shijiazhuang',
    addressZh: '河北省石家庄市',
    addressEn: 'Shijiazhuang, Hebei Province',
    operatorSlug: 'hebei-wf',
    services: ['legal_aid', 'psychological_counselling', 'health_services'],
    hours: [{ weekdays, opens: '08:30', closes: '17:30' }],
  },
];

/**
 * Adds the demo facilities that are missing (found by operator and Chinese name) with their services,
 * hours and exceptions; returns how many it added.
 */
export async function ensureDemoFacilities(
  tx: Executor,
  organizationIds: ReadonlyMap<string, number>,
  placeIds: ReadonlyMap<string, number>,
): Promise<number> {
  const kinds = new Map((await tx.selectFrom('facility_kind').select(['id', 'code']).execute()).map((row) => [row.code, row.id]));
  const services = new Map((await tx.selectFrom('service_type').select(['id', 'code']).execute()).map((row) => [row.code, row.id]));
  let added = 0;
  for (const facility of demoFacilities) {
    const operatorId = organizationIds.get(facility.operatorSlug);
    const placeId = placeIds.get(facility.placeKey);
    const kindId = kinds.get(facility.kind);
    if (operatorId === undefined || placeId === undefined || kindId === undefined) {
      throw new Error(`demo facility ${facility.nameEn} names unknown records`);
    }
    const existing = await tx
      .selectFrom('facility')
      .select('id')
      .where('operator_organization_id', '=', operatorId)
      .where('name_zh', '=', facility.nameZh)
      .executeTakeFirst();
    if (existing) continue;
    const keeper = facility.keeperKey
      ? await tx
          .selectFrom('person')
          .select('id')
          .where('name_en', '=', facility.keeperKey.nameEn)
          .where('organization_id', '=', organizationIds.get(facility.keeperKey.organizationSlug) ?? 0)
          .executeTakeFirst()
      : undefined;
    const { id } = await tx
      .insertInto('facility')
      .values({
        kind_id: kindId,
        name_zh: facility.nameZh,
        name_en: facility.nameEn,
        place_id: placeId,
        address_zh: facility.addressZh ?? '',
        address_en: facility.addressEn ?? '',
        lat: facility.lat ?? null,
        lon: facility.lon ?? null,
        operator_organization_id: operatorId,
        host_organization_id: facility.hostSlug ? (organizationIds.get(facility.hostSlug) ?? null) : null,
        keeper_person_id: keeper?.id ?? null,
        description_zh: facility.descriptionZh ?? '',
        description_en: facility.descriptionEn ?? '',
        phone: facility.phone ?? '',
        accessibility_zh: facility.accessibilityZh ?? '',
        accessibility_en: facility.accessibilityEn ?? '',
        status: facility.status ?? 'active',
        verified_on: facility.verifiedOn ?? null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    added += 1;
    const serviceIds = facility.services.map((code) => {
      const serviceId = services.get(code);
      if (serviceId === undefined) throw new Error(`demo facility ${facility.nameEn} names unknown service ${code}`);
      return serviceId;
    });
    if (serviceIds.length > 0) {
      await tx.insertInto('facility_service').values(serviceIds.map((serviceId) => ({ facility_id: id, service_type_id: serviceId }))).execute();
    }
    const hours = facility.hours.flatMap((opening) =>
      opening.weekdays.map((weekday) => ({ facility_id: id, weekday, opens: opening.opens, closes: opening.closes })),
    );
    if (hours.length > 0) await tx.insertInto('facility_hours').values(hours).execute();
    for (const exception of facility.exceptions ?? []) {
      await tx
        .insertInto('facility_hours_exception')
        .values({
          facility_id: id,
          on_date: exception.onDate,
          opens: exception.opens ?? null,
          closes: exception.closes ?? null,
          note_zh: exception.noteZh,
          note_en: exception.noteEn,
        })
        .execute();
    }
  }
  return added;
}
