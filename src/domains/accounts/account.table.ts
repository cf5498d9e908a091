import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';
import type { Locale } from '../../platform/i18n.ts';
import type { Role } from '../../platform/access.ts';

/** The user_account table: someone who signs in to the workspace. */
export interface UserAccountTable {
  id: Generated<number>;
  /** Lower-case; unique. */
  email: string;
  display_name: string;
  /** argon2id, in PHC string format. */
  password_hash: string;
  person_id: number | null;
  /** May manage accounts and everything in every federation. */
  is_platform_admin: Generated<boolean>;
  status: Generated<'active' | 'disabled'>;
  preferred_locale: Locale | null;
  created_at: Generated<Date>;
  password_changed_at: Generated<Date>;
}

/** The membership table: a role an account holds on an organization (and the units below it). */
export interface MembershipTable {
  id: Generated<number>;
  user_id: number;
  organization_id: number;
  role: Role;
  created_at: Generated<Date>;
}

/** The session table: a signed-in browser; the cookie holds a secret whose SHA-256 is the key. */
export interface SessionTable {
  id_hash: string;
  user_id: number;
  csrf_token: string;
  created_at: Generated<Date>;
  last_seen_at: Generated<Date>;
  /** The absolute end, however active the session is. */
  expires_at: Date;
  ip: Generated<string>;
  user_agent: Generated<string>;
}

/** The sign_in_failure table: one failed sign-in, by the email tried and the address it came from. */
export interface SignInFailureTable {
  id: Generated<string>;
  email: string;
  ip: string;
  at: Generated<Date>;
}

/** The api_token table: a personal token for integrations; only its SHA-256 is kept. */
/** What a personal token is for. */
export const apiTokenScopes = ['api', 'calendar'] as const;
export type ApiTokenScope = (typeof apiTokenScopes)[number];

export interface ApiTokenTable {
  id: Generated<number>;
  user_id: number;
  name: string;
  token_hash: string;
  /** What it is for: `api` (the JSON API, in the Authorization header) or `calendar` (the activities' feed, in its address). */
  scope: ColumnType<ApiTokenScope, ApiTokenScope | undefined, ApiTokenScope>;
  created_at: Generated<Date>;
  expires_at: Date;
  revoked_at: Date | null;
  last_used_at: Date | null;
}

export type UserAccountRow = Selectable<UserAccountTable>;
export type NewUserAccountRow = Insertable<UserAccountTable>;
export type MembershipRow = Selectable<MembershipTable>;
export type SessionRow = Selectable<SessionTable>;
export type ApiTokenRow = Selectable<ApiTokenTable>;
