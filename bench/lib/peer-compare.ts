import { SUPPORT_ACTIONS } from '#shared/catalog/support-actions.ts'
import { DECISION_DENY, type Decision, decisionName } from '#shared/evaluator/decision.ts'
import { evaluateAccount } from '#shared/evaluator/evaluate-account.ts'
import { buildQuestionSet } from '#shared/evaluator/questions.ts'
import { parseAccountSnapshot } from '#shared/snapshot/parse-snapshot.ts'
import { askPeer, type PeerOutcome } from '#test-support/peer/peer-simulate.ts'
import {
  createPolicyResolver,
  type PrincipalPolicies,
  summarizePolicies,
} from '#test-support/peer/principal-policies.ts'
import type { RawAuthorizationDetails, RawRole, RawUser } from '#test-support/synthetic/account-types.ts'
import { createRandom } from '#test-support/synthetic/prng.ts'

const PEER_WARMUP_PRINCIPALS = 20

export interface Disagreement {
  readonly principalArn: string
  readonly action: string
  readonly ours: Decision
  readonly peer: PeerOutcome
  readonly policies: string
}

export interface PeerComparison {
  readonly principals: number
  readonly actions: number
  readonly questions: number
  readonly agreements: number
  /** Ours `conditional`: the peer needs request context to answer; counted apart, by its answer. */
  readonly conditional: { readonly total: number; readonly peerAllowed: number; readonly peerDenied: number }
  readonly peerErrors: number
  readonly peerErrorExamples: readonly string[]
  readonly disagreements: readonly Disagreement[]
  /** Our time to evaluate the sampled principals for every action, per run (ms). */
  readonly oursRunsMs: readonly number[]
  readonly oursMedianMs: number
  readonly oursBestMs: number
  readonly peerTotalMs: number
  readonly oursPerQuestionUs: number
  readonly peerPerQuestionUs: number
  /** peer per-question time / ours (best run): how many times faster we are. */
  readonly speedup: number
}

export interface PeerComparisonOptions {
  readonly raw: RawAuthorizationDetails
  readonly sample: number
  readonly seed: number
  readonly ourRuns?: number
  /** The actions asked of both (default every `support:` action). */
  readonly actions?: readonly string[]
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((left, right) => left - right)
  const middle = Math.floor(sorted.length / 2)
  if (sorted.length === 0) return Number.NaN
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2
}

/** The sampled principals only; every group and policy stays, as in the real export. */
function sampleExport(raw: RawAuthorizationDetails, sample: number, seed: number): RawAuthorizationDetails {
  const all: (RawUser | RawRole)[] = [...raw.UserDetailList, ...raw.RoleDetailList]
  const chosen = new Set(
    createRandom(seed)
      .sample(all, sample)
      .map((principal) => principal.Arn),
  )
  return {
    ...raw,
    UserDetailList: raw.UserDetailList.filter((user) => chosen.has(user.Arn)),
    RoleDetailList: raw.RoleDetailList.filter((role) => chosen.has(role.Arn)),
  }
}

function isPeerDeny(outcome: PeerOutcome): boolean {
  return outcome === 'ExplicitlyDenied' || outcome === 'ImplicitlyDenied'
}

/**
 * Asks both evaluators every action (default: every `support:` action) for a deterministic
 * sample of principals and compares: ours `allow` must be the peer's Allowed, ours `deny` one of
 * its denials.
 */
export async function comparePeer(options: PeerComparisonOptions): Promise<PeerComparison> {
  const actions = options.actions ?? SUPPORT_ACTIONS
  const sub = sampleExport(options.raw, options.sample, options.seed)
  const questions = buildQuestionSet(actions.map((action) => ({ action })))
  const snapshot = parseAccountSnapshot(JSON.parse(JSON.stringify(sub)))
  const oursRunsMs: number[] = []
  // The first run is a warm-up, as for the peer.
  let evaluation = evaluateAccount(snapshot, questions)
  for (let run = 0; run < (options.ourRuns ?? 15); run++) {
    const start = performance.now()
    evaluation = evaluateAccount(snapshot, questions)
    oursRunsMs.push(performance.now() - start)
  }
  const ours = new Map(evaluation.principals.map((access) => [access.principalArn, access.codes]))

  const resolve = createPolicyResolver(sub)
  const principals: PrincipalPolicies[] = [...sub.UserDetailList, ...sub.RoleDetailList].map(resolve)
  // The peer is timed warm, like ours: a first pass over some principals is not counted.
  for (const policies of principals.slice(0, PEER_WARMUP_PRINCIPALS)) {
    for (const action of actions) await askPeer(policies, action, sub.AccountId)
  }

  const answers: PeerOutcome[][] = []
  const errors = new Set<string>()
  const peerStart = performance.now()
  for (const policies of principals) {
    const row: PeerOutcome[] = []
    for (const action of actions) {
      const answer = await askPeer(policies, action, sub.AccountId)
      if (answer.error) errors.add(`${action}: ${answer.error}`)
      row.push(answer.outcome)
    }
    answers.push(row)
  }
  const peerTotalMs = performance.now() - peerStart

  const disagreements: Disagreement[] = []
  const conditional = { total: 0, peerAllowed: 0, peerDenied: 0 }
  let agreements = 0
  let peerErrors = 0
  principals.forEach((policies, row) => {
    const codes = ours.get(policies.arn)
    actions.forEach((action, column) => {
      const peer = answers[row]?.[column] ?? 'error'
      const index = questions.indexByKey.get(action) ?? -1
      const decision = decisionName(codes?.[index] ?? DECISION_DENY)
      if (peer === 'error') peerErrors++
      else if (decision === 'conditional') {
        conditional.total++
        if (peer === 'Allowed') conditional.peerAllowed++
        else conditional.peerDenied++
      } else if (
        (decision === 'allow') === (peer === 'Allowed') &&
        (decision === 'deny') === isPeerDeny(peer)
      ) {
        agreements++
      } else {
        disagreements.push({
          principalArn: policies.arn,
          action,
          ours: decision,
          peer,
          policies: summarizePolicies(policies, action),
        })
      }
    })
  })
  const questionCount = principals.length * actions.length
  const oursMedianMs = median(oursRunsMs)
  const oursBestMs = Math.min(...oursRunsMs)
  // Best of many runs, as for the audit: a shared machine's noise only ever adds time.
  const oursPerQuestionUs = (oursBestMs * 1000) / questionCount
  const peerPerQuestionUs = (peerTotalMs * 1000) / questionCount
  return {
    principals: principals.length,
    actions: actions.length,
    questions: questionCount,
    agreements,
    conditional,
    peerErrors,
    peerErrorExamples: [...errors].slice(0, 5),
    disagreements,
    oursRunsMs,
    oursMedianMs,
    oursBestMs,
    peerTotalMs,
    oursPerQuestionUs,
    peerPerQuestionUs,
    speedup: peerPerQuestionUs / oursPerQuestionUs,
  }
}
