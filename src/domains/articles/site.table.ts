import type { Generated, Insertable, Selectable } from 'kysely';
import type { Locale } from '../../platform/i18n.ts';

/** The site table: one federation's public portal. */
export interface SiteTable {
  id: Generated<number>;
  slug: string;
  organization_id: number;
  /** A host name that serves this site at `/` (e.g. portal.example.org); null when served only under /sites/<slug>. */
  host: string | null;
  /** The site served at `/` when no host name matches. Exactly one site has it. */
  is_default: Generated<boolean>;
  default_locale: Locale;
  /** IANA zone in which dates are shown, e.g. Asia/Shanghai. */
  time_zone: Generated<string>;
  /** Lets one person write, approve and publish an update (small federations); otherwise a second person must. */
  allow_self_publish: Generated<boolean>;
  created_at: Generated<Date>;
}

export type SiteRow = Selectable<SiteTable>;
export type NewSiteRow = Insertable<SiteTable>;
