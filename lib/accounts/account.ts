// The small view of a user that sessions, tokens and actions carry around: who, and what they may do.
import "server-only";

export interface Account {
  id: string;
  username: string;
  email: string;
  emailVerified: boolean;
  twoFactorEnabled: boolean;
}

/** The columns `toAccount` needs, for Prisma `select`s. */
export const accountSelect = {
  id: true,
  username: true,
  email: true,
  emailVerifiedAt: true,
  twoFactorEnabledAt: true,
} as const;

export function toAccount(row: {
  id: string;
  username: string;
  email: string;
  emailVerifiedAt: Date | null;
  twoFactorEnabledAt: Date | null;
}): Account {
  return {
    id: row.id,
    username: row.username,
    email: row.email,
    emailVerified: row.emailVerifiedAt !== null,
    twoFactorEnabled: row.twoFactorEnabledAt !== null,
  };
}
