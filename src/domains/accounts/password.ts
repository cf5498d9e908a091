import { hash, verify } from '@node-rs/argon2';

// OWASP's argon2id baseline: 19 MiB, two passes, one lane. Algorithm 2 is argon2id (a const enum upstream).
const argon2idOptions = { algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 1 };

/** The shortest password accepted (ASVS 2.1.1 asks for at least 12 characters). */
export const minimumPasswordLength = 12;
/** The longest password accepted; longer ones would only cost hashing time. */
export const maximumPasswordLength = 128;

/** Hashes a password with argon2id into a PHC string. */
export function hashPassword(password: string): Promise<string> {
  return hash(password.normalize('NFKC'), argon2idOptions);
}

/** Tells whether the password matches the stored hash; a malformed hash never matches. */
export async function verifyPassword(storedHash: string, password: string): Promise<boolean> {
  try {
    return await verify(storedHash, password.normalize('NFKC'));
  } catch {
    return false;
  }
}

// Verified against when the account does not exist, so that a miss costs the same time as a wrong password.
let decoyHash: Promise<string> | undefined;

/** Spends the time a real verification would, for an email that has no account. */
export async function verifyAgainstDecoy(password: string): Promise<false> {
  decoyHash ??= hashPassword('decoy password that matches nothing');
  await verifyPassword(await decoyHash, password);
  return false;
}
