import { z } from 'zod';
import { roles } from '../../platform/access.ts';
import { maximumPasswordLength, minimumPasswordLength } from './password.ts';
import { apiTokenScopes } from './account.table.ts';

/** The sign-in form. */
export const signInForm = z.object({
  email: z.string().trim().min(1).max(254),
  password: z.string().min(1).max(maximumPasswordLength),
  next: z.string().optional(),
});

/** A new password as the policy wants it (ASVS 2.1: at least 12 characters, long ones allowed). */
export const newPassword = z.string().min(minimumPasswordLength).max(maximumPasswordLength);

/** The change-password form. */
export const changePasswordForm = z
  .object({
    currentPassword: z.string().min(1).max(maximumPasswordLength),
    newPassword,
    repeatPassword: z.string(),
  })
  .refine((form) => form.newPassword === form.repeatPassword, { path: ['repeatPassword'], message: 'The two new passwords differ.' });

/** The new-API-token form. */
export const apiTokenForm = z.object({
  name: z.string().trim().min(1).max(100),
  days: z.coerce.number().int().min(1).max(365),
  /** An API token for integrations, or a calendar token for subscribing to the activities' feed. */
  scope: z.preprocess((value) => (value === '' || value === undefined ? 'api' : value), z.enum(apiTokenScopes)),
});

/** Path parameters naming an API token. */
export const apiTokenParams = z.object({ id: z.coerce.number().int().positive() });

/** Path parameter naming a language. */
export const languageParams = z.object({ locale: z.enum(['zh', 'en']) });

/** An email as accounts are keyed by: trimmed, lower-case, of a plausible shape. */
export const accountEmail = z.string().trim().toLowerCase().max(254).pipe(z.email());

/** A display name for an account. */
export const accountDisplayName = z.string().trim().min(1).max(100);

/** A role on an organization, by its stored name. */
export const roleName = z.enum(roles);

// A checkbox sends "on" when ticked and nothing otherwise.
const checkbox = z.preprocess((value) => value === 'on' || value === 'true' || value === true, z.boolean());
// A form sends "" for "no choice".
const optionalChoice = <T extends z.ZodType>(schema: T) => z.preprocess((value) => (value === '' ? undefined : value), schema.optional());

/** The new-account form: one membership may be given at once, an organization and a role together. */
export const newAccountForm = z
  .object({
    email: accountEmail,
    displayName: accountDisplayName,
    password: newPassword,
    isPlatformAdmin: checkbox,
    organizationId: optionalChoice(z.coerce.number().int().positive()),
    role: optionalChoice(roleName),
  })
  .superRefine((form, context) => {
    if (form.organizationId !== undefined && form.role === undefined) {
      context.addIssue({ code: 'custom', path: ['role'], message: 'Choose the role the account holds on the organization.' });
    }
    if (form.organizationId === undefined && form.role !== undefined) {
      context.addIssue({ code: 'custom', path: ['organizationId'], message: 'Choose the organization the role is held on.' });
    }
  });

/** The form that gives an account a role on an organization (or changes the role it holds there). */
export const membershipForm = z.object({
  organizationId: z.coerce.number().int().positive(),
  role: roleName,
});

/** The form an administrator resets someone's password with. */
export const resetPasswordForm = z
  .object({ password: newPassword, repeatPassword: z.string() })
  .refine((form) => form.password === form.repeatPassword, { path: ['repeatPassword'], message: 'The two passwords differ.' });

/** The form that disables or enables an account. */
export const accountStatusForm = z.object({ status: z.enum(['active', 'disabled']) });

/** Path parameters naming an account. */
export const accountParams = z.object({ id: z.coerce.number().int().positive() });

/** Path parameters naming one of an account's memberships, by its organization. */
export const membershipParams = z.object({
  id: z.coerce.number().int().positive(),
  organizationId: z.coerce.number().int().positive(),
});
