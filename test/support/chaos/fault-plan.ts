import type { Random } from '../synthetic/prng.ts'
import type { ErrorKind } from './error-replies.ts'

/** The services the guard's functions call. */
export const GUARD_SERVICES = ['iam', 'dynamodb', 'sns', 'events'] as const

/** Which requests fail, and how. */
export interface FaultSettings {
  /** Share of requests (0–1) that fail, by signing service; a service not listed never fails. */
  readonly rates: Readonly<Record<string, number>>
  /** Of the failures, the share that happen after the emulator applied the request (the reply is lost). */
  readonly afterShare: number
  /** Of the failures before forwarding, the share answered with throttling (400) rather than 500/503. */
  readonly throttleShare: number
  /** Of the failures after forwarding, the share where the connection is cut rather than answered 500. */
  readonly resetShare: number
}

/** What happens to one request. */
export type FaultDecision =
  | { readonly kind: 'none' }
  /** Not forwarded: the emulator never sees it; the SDK gets a retryable error. */
  | { readonly kind: 'before'; readonly reply: ErrorKind }
  /** Forwarded and applied, then the answer is lost: a 500 instead of it, or a cut connection. */
  | { readonly kind: 'after'; readonly reply: 'internal' | 'reset' }

/** The same failure rate for every service the guard calls, half of the failures after forwarding. */
export function uniformFaults(rate: number): FaultSettings {
  if (!(rate >= 0 && rate <= 1)) throw new RangeError(`fault rate must be within 0 and 1, got ${rate}`)
  return {
    rates: Object.fromEntries(GUARD_SERVICES.map((service) => [service, rate])),
    afterShare: 0.5,
    throttleShare: 0.25,
    resetShare: 0.5,
  }
}

/** Decides the fate of one request of `service`, drawing from `random` (seeded: runs repeat). */
export function decideFault(settings: FaultSettings, service: string, random: Random): FaultDecision {
  const rate = settings.rates[service] ?? 0
  if (rate <= 0 || !random.chance(rate)) return { kind: 'none' }
  if (random.chance(settings.afterShare)) {
    return { kind: 'after', reply: random.chance(settings.resetShare) ? 'reset' : 'internal' }
  }
  if (random.chance(settings.throttleShare)) return { kind: 'before', reply: 'throttling' }
  return { kind: 'before', reply: random.chance(0.5) ? 'internal' : 'unavailable' }
}
