import { describe, expect, it } from 'vitest';
import { renderArticleMarkdown } from '../articles/article-markdown.ts';
import { composeArticleFromActivity, headlineOf } from './activity-article.compose.ts';
import type { ActivityDetail, Attendee, OrganizationRef } from './activity.service.ts';

const bwf: OrganizationRef = { id: 1, nameZh: '北京市妇女联合会', nameEn: "Beijing Women's Federation", kind: 'federation', parentId: null };
const twf: OrganizationRef = { id: 2, nameZh: '天津市妇女联合会', nameEn: "Tianjin Women's Federation", kind: 'federation', parentId: null };
const hebei: OrganizationRef = { id: 3, nameZh: '河北省妇女联合会', nameEn: "Hebei Women's Federation", kind: 'federation', parentId: null };
const department: OrganizationRef = { id: 4, nameZh: '宣传部', nameEn: 'Publicity Department', kind: 'department', parentId: 1 };
const partner: OrganizationRef = { id: 5, nameZh: '同仁堂知嘛健康', nameEn: 'Tongrentang Zhima Health', kind: 'partner', parentId: null };
const provinces = new Map([
  [1, '110000'],
  [2, '120000'],
  [3, '130000'],
]);
const exchange = { code: 'exchange_visit', nameZh: '交流学习', nameEn: 'Exchange visit' };

function attendee(overrides: Partial<Attendee>): Attendee {
  return {
    id: 1,
    position: 1,
    person: null,
    organization: bwf,
    federation: bwf,
    titleZh: '',
    titleEn: '',
    role: 'member',
    status: 'attended',
    ...overrides,
  };
}

function activity(overrides: Partial<ActivityDetail> = {}): ActivityDetail {
  return {
    id: 10,
    kind: exchange,
    titleZh: '',
    titleEn: '',
    summaryZh: '',
    summaryEn: '',
    // 09:00–12:00 on 25 May 2024 in Beijing.
    startsAt: new Date('2024-05-25T01:00:00Z'),
    endsAt: new Date('2024-05-25T04:00:00Z'),
    status: 'held',
    visibility: 'public',
    createdAt: new Date(),
    updatedAt: new Date(),
    organizers: [
      { ...bwf, role: 'organizer' },
      { ...twf, role: 'co_organizer' },
    ],
    day: '2024-05-25',
    topics: [],
    stops: [],
    sessions: [],
    attendees: [],
    followUps: [],
    photos: [],
    editable: true,
    ...overrides,
  };
}

function stop(position: number, nameZh: string, nameEn: string, topic?: { code: string; nameZh: string; nameEn: string }) {
  return {
    id: position,
    position,
    facility: { id: position, nameZh, nameEn, placeId: 100 },
    place: { id: 100, nameZh: '观音寺街道', nameEn: 'Guanyinsi Sub-district' },
    topic: topic ?? null,
    startsAt: null,
    endsAt: null,
    hosts: [],
    purposeZh: `${nameZh}的目的`,
    purposeEn: `Purpose at ${nameEn}`,
    observationsZh: '',
    observationsEn: '',
    findingsZh: '',
    findingsEn: `Found at ${nameEn}`,
  };
}

describe('the headline', () => {
  it('names federations by their provinces, as the seed’s portal does', () => {
    expect(headlineOf(exchange, activity().organizers, provinces)).toEqual({
      zh: '京津两地妇联开展交流学习活动',
      en: "Beijing, Tianjin Women's Federations Hold Exchange Activity",
    });
    const three = [...activity().organizers, { ...hebei, role: 'co_organizer' as const }];
    expect(headlineOf(exchange, three, provinces)).toEqual({
      zh: '京津冀三地妇联开展交流学习活动',
      en: "Beijing, Tianjin, Hebei Women's Federations Hold Exchange Activity",
    });
  });

  it('says one organizer in the singular, leaves hosts out, and names a kind it has no phrase for', () => {
    const organizers = [
      { ...bwf, role: 'organizer' as const },
      { ...department, role: 'host' as const },
    ];
    expect(headlineOf({ code: 'meeting', nameZh: '会议座谈', nameEn: 'Meeting' }, organizers, provinces)).toEqual({
      zh: '北京市妇联召开座谈会',
      en: "Beijing Women's Federation Holds Meeting",
    });
    expect(headlineOf({ code: 'open_day', nameZh: '开放日', nameEn: 'open day' }, organizers, provinces)).toEqual({
      zh: '北京市妇联开展开放日活动',
      en: "Beijing Women's Federation Holds Open Day",
    });
  });

  it('lists organizations that are not all federations of a known province by name', () => {
    const organizers = [
      { ...bwf, role: 'organizer' as const },
      { ...partner, role: 'co_organizer' as const },
    ];
    expect(headlineOf(exchange, organizers, provinces)).toEqual({
      zh: '北京市妇联、同仁堂知嘛健康开展交流学习活动',
      en: "Beijing Women's Federation and Tongrentang Zhima Health Hold Exchange Activity",
    });
    expect(headlineOf(exchange, activity().organizers, new Map()).zh).toBe('北京市妇联、天津市妇联开展交流学习活动');
  });
});

describe('the draft', () => {
  it('takes the activity’s own title where it has one, and the headline where it has not', () => {
    const composed = composeArticleFromActivity(activity({ titleEn: 'Study visit to Daxing' }), { provinceCodes: provinces });
    expect(composed.titleEn).toBe('Study visit to Daxing');
    expect(composed.titleZh).toBe('京津两地妇联开展交流学习活动');
  });

  it('opens with the date, the organizers and the officials who attended with their posts that day', () => {
    const weiJiang = attendee({ person: { id: 7, nameZh: 'Wei Jiang', nameEn: 'Wei Jiang' }, titleZh: '副主席', titleEn: 'Vice-President' });
    const composed = composeArticleFromActivity(activity({ attendees: [weiJiang] }), { provinceCodes: provinces });
    expect(composed.bodyZh.split('\n')[0]).toBe('**2024年5月25日**，北京市妇女联合会与天津市妇女联合会联合开展交流学习活动。北京市妇女联合会副主席Wei Jiang参加活动。');
    expect(composed.bodyEn.split('\n')[0]).toBe(
      "**25 May 2024** — Beijing Women's Federation and Tianjin Women's Federation co-organized an exchange visit. Wei Jiang, Vice-President of Beijing Women's Federation, attended.",
    );
    // Without a summary of its own, the summary is that opening, as plain text.
    expect(composed.summaryEn).toBe(
      "25 May 2024 — Beijing Women's Federation and Tianjin Women's Federation co-organized an exchange visit. Wei Jiang, Vice-President of Beijing Women's Federation, attended.",
    );
  });

  it('lists the stops in order with their topics, purposes and findings; text missing in one language comes from the other', () => {
    const topic = { code: 'grassroots_governance', nameZh: '妇女组织参与基层社会治理', nameEn: "Women's organizations in grassroots governance" };
    const stops = [stop(1, '第一站', 'First stop', topic), stop(2, '第二站', 'Second stop'), stop(3, '第三站', 'Third stop')];
    const { bodyZh, bodyEn } = composeArticleFromActivity(activity({ stops }), { provinceCodes: provinces });
    expect(bodyEn).toContain(
      "1. **First stop** (Guanyinsi Sub-district) — Investigated: Women's organizations in grassroots governance. Purpose: Purpose at First stop. Findings: Found at First stop.",
    );
    expect(bodyZh).toContain('1. **第一站**（观音寺街道）——调研主题：妇女组织参与基层社会治理。目的：第一站的目的。发现：Found at First stop。');
    expect(bodyEn.indexOf('First stop')).toBeLessThan(bodyEn.indexOf('Second stop'));
    expect(bodyEn.indexOf('Second stop')).toBeLessThan(bodyEn.indexOf('Third stop'));
  });

  it('gives the agenda with its speakers, what was agreed (not what was dropped), and the attendees by federation (not the absent)', () => {
    const composed = composeArticleFromActivity(
      activity({
        sessions: [
          {
            id: 1,
            position: 1,
            titleZh: '座谈交流',
            titleEn: 'Meeting and talks',
            startsAt: null,
            endsAt: null,
            minutesZh: '',
            minutesEn: 'Both sides spoke.',
            items: [{ id: 1, position: 1, subjectZh: '介绍做法', subjectEn: 'Efforts presented', speaker: null, speakerOrganization: bwf }],
          },
        ],
        followUps: [
          { id: 1, position: 1, actionZh: '落实框架协议', actionEn: 'Carry out the framework agreement', ownerOrganization: bwf, ownerPerson: null, dueOn: '2024-12-31', status: 'open', commitmentId: null },
          { id: 2, position: 2, actionZh: '放弃的事项', actionEn: 'A dropped action', ownerOrganization: twf, ownerPerson: null, dueOn: null, status: 'dropped', commitmentId: null },
        ],
        attendees: [
          attendee({ id: 1, person: { id: 8, nameZh: 'Wang Dongmei', nameEn: 'Wang Dongmei' }, organization: twf, federation: twf, titleZh: '副主席', titleEn: 'Vice-President' }),
          attendee({ id: 2, organization: department, federation: bwf, titleZh: '负责同志', titleEn: 'Head' }),
          attendee({ id: 3, person: { id: 9, nameZh: 'Absent One', nameEn: 'Absent One' }, status: 'absent', titleZh: '委员', titleEn: 'Member' }),
        ],
      }),
      { provinceCodes: provinces },
    );
    expect(composed.bodyEn).toContain('# Meeting and talks\n\n1. Efforts presented (speaker: Beijing Women\'s Federation)\n\nBoth sides spoke.');
    expect(composed.bodyZh).toContain('# 座谈交流\n\n1. 介绍做法（发言：北京市妇女联合会）\n\nBoth sides spoke.');
    expect(composed.bodyEn).toContain("# What was agreed\n\n- Carry out the framework agreement (Beijing Women's Federation, by 31 December 2024)");
    expect(composed.bodyZh).toContain('- 落实框架协议（负责：北京市妇女联合会，2024年12月31日前）');
    expect(composed.bodyEn).not.toContain('A dropped action');
    expect(composed.bodyEn).toContain("- **Tianjin Women's Federation**: Wang Dongmei, Vice-President\n- **Beijing Women's Federation**: Head, Publicity Department");
    expect(composed.bodyZh).toContain('- **天津市妇女联合会**：副主席Wang Dongmei\n- **北京市妇女联合会**：宣传部负责同志');
    expect(composed.bodyEn).not.toContain('Absent One');
  });

  it('keeps the record’s text as text: no markup, no list or heading from its characters', () => {
    const composed = composeArticleFromActivity(
      activity({ summaryEn: '# not a heading\n\n1. not a list <script>alert(1)</script> **not bold** [not](a link)' }),
      { provinceCodes: provinces },
    );
    const html = renderArticleMarkdown(composed.bodyEn);
    expect(html).toContain('<p># not a heading</p>');
    expect(html).toContain('1. not a list &lt;script&gt;alert(1)&lt;/script&gt; **not bold** [not](a link)');
    expect(html).not.toContain('<script');
    expect(html).not.toContain('<h2>not');
  });

  it('cuts a headline and a summary to the newsroom’s limits', () => {
    const composed = composeArticleFromActivity(activity({ titleEn: 'T'.repeat(400), summaryEn: 'S'.repeat(3000) }), { provinceCodes: provinces });
    expect(composed.titleEn).toHaveLength(300);
    expect(composed.summaryEn).toHaveLength(2000);
    expect(composed.summaryEn.endsWith('…')).toBe(true);
  });
});
