import { z } from 'zod';
import { maximumPasswordLength, minimumPasswordLength } from './password.ts';

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
});

/** Path parameters naming an API token. */
export const apiTokenParams = z.object({ id: z.coerce.number().int().positive() });

/** Path parameter naming a language. */
export const languageParams = z.object({ locale: z.enum(['zh', 'en']) });
