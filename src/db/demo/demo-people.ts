import type { Role } from '../../platform/access.ts';
import type { PositionKind } from '../../domains/people/position.table.ts';

/** A person of the demo world, with the posts the seed names. */
export interface DemoPerson {
  key: string;
  /** The seed gives only romanized names: they stand in both languages rather than invented characters. */
  nameZh: string;
  nameEn: string;
  organizationSlug: string;
  posts: { organizationSlug: string; titleZh: string; titleEn: string; kind: PositionKind; startsOn?: string; endsOn?: string }[];
}

/** A workspace account for trying the demo; its password is public and printed by `halfsky demo`. */
export interface DemoAccount {
  email: string;
  displayName: string;
  password: string;
  isPlatformAdmin?: boolean;
  memberships: { organizationSlug: string; role: Role }[];
}

/** The seed's people and the posts it names them in. */
export const demoPeople: DemoPerson[] = [
  {
    key: 'wei-jiang',
    nameZh: 'Wei Jiang',
    nameEn: 'Wei Jiang',
    organizationSlug: 'bwf',
    posts: [
      { organizationSlug: 'bwf-party-group', titleZh: '党组副书记', titleEn: "Deputy Secretary of the Leading Party Members' Group", kind: 'leader' },
      { organizationSlug: 'bwf', titleZh: '副主席', titleEn: 'Vice-President', kind: 'leader' },
    ],
  },
  {
    key: 'wang-dongmei',
    nameZh: 'Wang Dongmei',
    nameEn: 'Wang Dongmei',
    organizationSlug: 'twf',
    posts: [
      { organizationSlug: 'twf-party-group', titleZh: '党组成员', titleEn: "Member of the Leading Party Members' Group", kind: 'member' },
      { organizationSlug: 'twf', titleZh: '副主席', titleEn: 'Vice-President', kind: 'leader' },
    ],
  },
  {
    key: 'liu-yumei',
    nameZh: 'Liu Yumei',
    nameEn: 'Liu Yumei',
    organizationSlug: 'bwf',
    posts: [{ organizationSlug: 'bwf', titleZh: '执行委员会委员', titleEn: 'Executive Committee Member', kind: 'executive_member' }],
  },
];

/** Accounts for trying the workspace: a BWF administrator, a BWF editor, a TWF editor, a BWF reviewer. */
export const demoAccounts: DemoAccount[] = [
  {
    email: 'admin@bwf.example.org',
    displayName: 'BWF Administrator',
    password: 'halfsky-admin-demo',
    isPlatformAdmin: true,
    memberships: [{ organizationSlug: 'bwf', role: 'administrator' }],
  },
  {
    email: 'editor@bwf.example.org',
    displayName: 'BWF Editor',
    password: 'halfsky-editor-demo',
    memberships: [{ organizationSlug: 'bwf', role: 'editor' }],
  },
  {
    email: 'editor@twf.example.org',
    displayName: 'TWF Editor',
    password: 'halfsky-tianjin-demo',
    memberships: [{ organizationSlug: 'twf', role: 'editor' }],
  },
  {
    email: 'reviewer@bwf.example.org',
    displayName: 'BWF Reviewer',
    password: 'halfsky-reviewer-demo',
    memberships: [{ organizationSlug: 'bwf', role: 'reviewer' }],
  },
];
