/**
 * The second opinion: @cloud-copilot/iam-simulate (AGPL, a dev-only benchmark dependency,
 * never imported by shared/ or functions/). It answers one request at a time, so every
 * (principal, action) pair is one simulation.
 */
import { runSimulation, type Simulation } from '@cloud-copilot/iam-simulate'
import type { PrincipalPolicies } from './principal-policies.ts'

/** The peer's answer: its three outcomes, or `error` when it rejected the input. */
export type PeerOutcome = 'Allowed' | 'ExplicitlyDenied' | 'ImplicitlyDenied' | 'error'

export interface PeerAnswer {
  readonly outcome: PeerOutcome
  /** The peer's error message when `outcome` is `error`. */
  readonly error?: string
}

/**
 * Asks the peer whether `policies` let their principal call `action` on `*` in its own
 * account, with no request context (Strict mode: an absent condition key does not match).
 */
export async function askPeer(
  policies: PrincipalPolicies,
  action: string,
  accountId: string,
): Promise<PeerAnswer> {
  const simulation: Simulation = {
    request: {
      principal: policies.arn,
      action,
      // Support has no resource-level permissions: its requests are on `*`.
      resource: { resource: '*', accountId },
      contextVariables: {},
    },
    identityPolicies: policies.identity.map((policy) => ({ name: policy.name, policy: policy.document })),
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    ...(policies.boundary
      ? { permissionBoundaryPolicies: [{ name: policies.boundary.name, policy: policies.boundary.document }] }
      : {}),
  }
  const result = await runSimulation(simulation, { simulationMode: 'Strict' })
  if (result.resultType === 'error') return { outcome: 'error', error: result.errors.message }
  return { outcome: result.overallResult }
}
