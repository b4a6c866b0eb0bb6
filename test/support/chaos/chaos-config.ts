import { E2E_GUARD_CONFIG } from '../e2e/guard-environment.ts'

/** Name prefix of the extra required roles the chaos phases act on (one change per role). */
export const CHAOS_REQUIRED_ROLE_PREFIX = 'chaos-required-'

/**
 * The scenarios' guard config, plus every role named `chaos-required-*` as a required support
 * role: each change of a phase gets a role of its own, so changes in flight side by side never
 * touch the same principal.
 */
export const CHAOS_GUARD_CONFIG = {
  ...E2E_GUARD_CONFIG,
  supportPrincipals: {
    ...E2E_GUARD_CONFIG.supportPrincipals,
    required: [
      ...E2E_GUARD_CONFIG.supportPrincipals.required,
      `arn:aws:iam::*:role/${CHAOS_REQUIRED_ROLE_PREFIX}*`,
    ],
  },
} as const
