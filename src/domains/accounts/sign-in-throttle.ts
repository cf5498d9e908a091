import { sql } from 'kysely';
import type { Executor } from '../../db/database.ts';

/**
 * Failed sign-ins are kept in the database, so the throttle holds across restarts and processes.
 * Per account: the first few failures in an hour are free, then each further try must wait twice
 * as long as the one before, and past a ceiling the account is closed to sign-in for the hour
 * (ASVS allows at most 100 failures an hour; we stop at 20). Per address the same with more room,
 * for a shared office network. Unknown emails are throttled alike, so the answer tells nothing.
 */
export const throttlePolicy = {
  windowMinutes: 60,
  account: { free: 5, ceiling: 20 },
  address: { free: 20, ceiling: 100 },
  firstWaitSeconds: 15,
  longestWaitSeconds: 15 * 60,
};

interface FailureCount {
  count: number;
  last: Date | null;
}

async function failuresSince(db: Executor, column: 'email' | 'ip', value: string, since: Date): Promise<FailureCount> {
  const row = await db
    .selectFrom('sign_in_failure')
    .where(column, '=', value)
    .where('at', '>', since)
    .select((eb) => [eb.fn.countAll<string>().as('count'), eb.fn.max('at').as('last')])
    .executeTakeFirstOrThrow();
  return { count: Number(row.count), last: row.last ? new Date(row.last) : null };
}

function secondsToWait(failures: FailureCount, limits: { free: number; ceiling: number }, now: Date): number {
  if (failures.count < limits.free || !failures.last) return 0;
  const sinceLast = (now.getTime() - failures.last.getTime()) / 1000;
  if (failures.count >= limits.ceiling) {
    return Math.max(0, throttlePolicy.windowMinutes * 60 - sinceLast);
  }
  const wait = Math.min(
    throttlePolicy.firstWaitSeconds * 2 ** (failures.count - limits.free),
    throttlePolicy.longestWaitSeconds,
  );
  return Math.max(0, wait - sinceLast);
}

/** How many seconds the next try for this email from this address must wait; 0 when it may go ahead. */
export async function signInWait(db: Executor, email: string, ip: string, now = new Date()): Promise<number> {
  const since = new Date(now.getTime() - throttlePolicy.windowMinutes * 60_000);
  const [byAccount, byAddress] = await Promise.all([
    failuresSince(db, 'email', email, since),
    failuresSince(db, 'ip', ip, since),
  ]);
  return Math.ceil(
    Math.max(secondsToWait(byAccount, throttlePolicy.account, now), secondsToWait(byAddress, throttlePolicy.address, now)),
  );
}

/** Records a failed sign-in, and forgets failures older than a day. */
export async function recordSignInFailure(db: Executor, email: string, ip: string): Promise<void> {
  await db.insertInto('sign_in_failure').values({ email, ip }).execute();
  await db.deleteFrom('sign_in_failure').where('at', '<', sql<Date>`now() - interval '1 day'`).execute();
}

/** Forgets an account's failures after it signed in. */
export async function clearSignInFailures(db: Executor, email: string): Promise<void> {
  await db.deleteFrom('sign_in_failure').where('email', '=', email).execute();
}
