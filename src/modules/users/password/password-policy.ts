import { Injectable } from '@nestjs/common';
import { DomainError } from '../../../common/errors';
import { AppConfig } from '../../../config';
import type { AccountKind } from '../../auth/principal';
import { loadCommonPasswords } from './common-passwords';
import { PasswordErrorCode } from './password.errors';

export const PASSWORD_PROBLEMS = [
  'too_short',
  'too_long',
  'needs_letter',
  'needs_digit',
  'common',
  'contains_username',
  'contains_display_name',
  /** Set by callers that know the current password (a change must change it). */
  'same_as_current',
] as const;
export type PasswordProblem = (typeof PASSWORD_PROBLEMS)[number];

export interface PasswordContext {
  username?: string | null;
  displayName?: string | null;
}

/** What the expiry rule needs to know about an account. */
export interface PasswordAgeSubject {
  kind: AccountKind;
  passwordChangedAt: Date;
}

const DAY_MS = 24 * 60 * 60 * 1000;
/** Names this short are too common as substrings (e.g. "li") to forbid inside passwords. */
const MIN_NAME_LENGTH_TO_CHECK = 3;

/**
 * The password rules (length, letters and digits, not a common password, not the username) and the
 * staff password age limit, all from `auth.password`. The common list is read once at start.
 */
@Injectable()
export class PasswordPolicy {
  private readonly minLength: number;
  private readonly maxLength: number;
  private readonly maxAgeDays: number;
  private readonly common: ReadonlySet<string>;

  constructor(config: AppConfig) {
    const settings = config.auth.password;
    this.minLength = settings.minLength;
    this.maxLength = settings.maxLength;
    this.maxAgeDays = settings.maxAgeDays;
    this.common = loadCommonPasswords(settings.commonListPath);
  }

  /** Every rule the password breaks; empty when it is acceptable. */
  check(password: string, context: PasswordContext = {}): PasswordProblem[] {
    const problems: PasswordProblem[] = [];
    const length = [...password].length;
    if (length < this.minLength) problems.push('too_short');
    if (length > this.maxLength) problems.push('too_long');
    if (!/\p{L}/u.test(password)) problems.push('needs_letter');
    if (!/\p{Nd}/u.test(password)) problems.push('needs_digit');
    const lower = password.toLowerCase();
    if (this.common.has(lower)) problems.push('common');
    if (containsName(lower, context.username)) problems.push('contains_username');
    if (containsName(lower, context.displayName)) problems.push('contains_display_name');
    return problems;
  }

  /** Throws PASSWORD_POLICY_VIOLATION (422) listing the problem codes (never the password). */
  assertAcceptable(password: string, context: PasswordContext = {}): void {
    const problems = this.check(password, context);
    if (problems.length > 0) {
      throw new DomainError(PasswordErrorCode.PASSWORD_POLICY_VIOLATION, {
        problems,
        minLength: this.minLength,
      });
    }
  }

  isCommon(password: string): boolean {
    return this.common.has(password.toLowerCase());
  }

  /** When a staff password stops being accepted without a change; null when it never expires. */
  expiresAt(user: PasswordAgeSubject): Date | null {
    if (user.kind !== 'staff' || this.maxAgeDays === 0) return null;
    return new Date(user.passwordChangedAt.getTime() + this.maxAgeDays * DAY_MS);
  }

  /** A staff password older than `auth.password.maxAgeDays` must be changed at the next login. */
  isExpired(user: PasswordAgeSubject, now: Date): boolean {
    const expiresAt = this.expiresAt(user);
    return expiresAt !== null && now.getTime() >= expiresAt.getTime();
  }
}

function containsName(lowerPassword: string, name: string | null | undefined): boolean {
  const normalized = name?.trim().toLowerCase();
  if (!normalized || [...normalized].length < MIN_NAME_LENGTH_TO_CHECK) return false;
  return lowerPassword.includes(normalized);
}
