import type { Kysely } from 'kysely';
import type { Database } from '../../db/database.ts';
import { demoAccounts } from '../../db/demo/demo-people.ts';
import { roles } from '../../platform/access.ts';
import { DomainError } from '../../platform/errors.ts';
import * as accountService from './account.service.ts';
import { accountDisplayName, accountEmail, newPassword, roleName } from './account.schema.ts';

/** A refusal of what the operator gave, printed as one line; exit code 2 for the command line, 1 for the rest. */
export class OperatorError extends Error {
  override name = 'OperatorError';
  constructor(
    message: string,
    readonly exitCode: 1 | 2,
  ) {
    super(message);
  }
}

/** The options of `halfsky user …`, for node:util parseArgs. There is no password option, on purpose. */
export const userCommandOptions = {
  email: { type: 'string' },
  name: { type: 'string' },
  admin: { type: 'boolean' },
  organization: { type: 'string' },
  role: { type: 'string' },
} as const;

/** The values parseArgs gives for the user command's options. */
export interface UserCommandValues {
  email?: string;
  name?: string;
  admin?: boolean;
  organization?: string;
  role?: string;
}

/** Runs a piece of work on the configured database and closes it. */
export type WithDatabase = <T>(work: (db: Kysely<Database>) => Promise<T>) => Promise<T>;

function usage(message: string): OperatorError {
  return new OperatorError(message, 2);
}

function requiredEmail(values: UserCommandValues): string {
  if (values.email === undefined) throw usage('--email is needed');
  const parsed = accountEmail.safeParse(values.email);
  if (!parsed.success) throw usage(`--email ${JSON.stringify(values.email)} is not an email address`);
  return parsed.data;
}

function checkedPassword(password: string): string {
  if (password.length === 0) throw new OperatorError('no password given: write it on the first line of standard input', 1);
  const parsed = newPassword.safeParse(password);
  if (!parsed.success) {
    throw new OperatorError(parsed.error.issues[0]?.code === 'too_big' ? 'the password is too long (at most 128 characters)' : 'the password is too short: at least 12 characters are needed', 1);
  }
  return parsed.data;
}

/** Reads a line from the terminal without showing what is typed. */
function promptHidden(prompt: string): Promise<string> {
  const input = process.stdin;
  return new Promise((resolve, reject) => {
    let typed: string[] = [];
    const finish = (error?: Error) => {
      input.removeListener('data', onData);
      input.setRawMode(false);
      input.pause();
      process.stderr.write('\n');
      if (error) reject(error);
      else resolve(typed.join(''));
    };
    const onData = (chunk: string) => {
      for (const char of chunk) {
        if (char === '\r' || char === '\n' || char === '\u0004') return finish();
        if (char === '\u0003') return finish(new OperatorError('cancelled', 1));
        if (char === '\u007f' || char === '\b') typed = typed.slice(0, -1);
        else if (char >= ' ') typed.push(char);
      }
    };
    process.stderr.write(prompt);
    input.setEncoding('utf8');
    input.setRawMode(true);
    input.on('data', onData);
    input.resume();
  });
}

async function firstLineOfStandardInput(): Promise<string> {
  process.stdin.setEncoding('utf8');
  let text = '';
  for await (const chunk of process.stdin) {
    text += String(chunk);
    if (text.includes('\n')) break;
  }
  return (text.split('\n')[0] ?? '').replace(/\r$/, '');
}

/**
 * The new password: typed twice with echo off at a terminal, else the first line of standard
 * input. Never from the command line, where other users of the machine could read it.
 */
export async function readPassword(): Promise<string> {
  if (!process.stdin.isTTY) return checkedPassword(await firstLineOfStandardInput());
  const first = checkedPassword(await promptHidden('Password: '));
  const second = await promptHidden('Password (again): ');
  if (first !== second) throw new OperatorError('the two passwords differ', 1);
  return first;
}

async function addUser(values: UserCommandValues, withDatabase: WithDatabase): Promise<string> {
  const email = requiredEmail(values);
  if (values.name === undefined) throw usage('--name is needed');
  const name = accountDisplayName.safeParse(values.name);
  if (!name.success) throw usage('--name must be 1 to 100 characters');
  if ((values.organization === undefined) !== (values.role === undefined)) throw usage('--organization and --role go together');
  const role = values.role === undefined ? undefined : roleName.safeParse(values.role);
  if (role && !role.success) throw usage(`--role must be one of ${roles.join(', ')}`);
  const password = await readPassword();
  const id = await withDatabase(async (db) => {
    const memberships =
      values.organization !== undefined && role?.data !== undefined
        ? [{ organizationId: await accountService.organizationIdForSlug(db, values.organization), role: role.data }]
        : [];
    return accountService.createAccount(db, null, { email, displayName: name.data, password, isPlatformAdmin: values.admin ?? false, memberships });
  });
  const what = [values.admin ? 'platform administrator' : '', role?.data ? `${role.data} of ${values.organization}` : ''].filter(Boolean);
  return `created account ${id} for ${email}${what.length > 0 ? ` (${what.join(', ')})` : ''}`;
}

async function resetUserPassword(values: UserCommandValues, withDatabase: WithDatabase): Promise<string> {
  for (const option of ['name', 'admin', 'organization', 'role'] as const) {
    if (values[option] !== undefined) throw usage(`--${option} does not apply to reset-password`);
  }
  const email = requiredEmail(values);
  const password = await readPassword();
  await withDatabase((db) => accountService.resetPassword(db, null, email, password));
  return `password reset for ${email}; its sessions were ended`;
}

/** Runs `halfsky user add|reset-password`; returns the one line to print on success. */
export async function runUserCommand(args: string[], values: UserCommandValues, withDatabase: WithDatabase): Promise<string> {
  const [subcommand, ...rest] = args;
  if (rest.length > 0) throw usage(`unexpected argument: ${rest[0]}`);
  try {
    switch (subcommand) {
      case 'add':
        return await addUser(values, withDatabase);
      case 'reset-password':
        return await resetUserPassword(values, withDatabase);
      case undefined:
        throw usage('halfsky user needs a subcommand (add or reset-password); see halfsky --help');
      default:
        throw usage(`unknown subcommand "user ${subcommand}"; see halfsky --help`);
    }
  } catch (error) {
    // The service's refusals (a taken email, an unknown account or organization) are the operator's to fix.
    if (error instanceof DomainError && error.status < 500) throw new OperatorError(error.message, 1);
    throw error;
  }
}

/** The demo accounts with their public passwords and what each may do, one per line, for `halfsky demo`. */
export function demoAccountLines(): string[] {
  return demoAccounts.map((account) => {
    const what = [
      account.isPlatformAdmin ? 'platform administrator' : '',
      ...account.memberships.map((membership) => `${membership.organizationSlug.toUpperCase()} ${membership.role}`),
    ].filter(Boolean);
    return `${account.email} (${account.password}) — ${what.join(', ')}`;
  });
}
