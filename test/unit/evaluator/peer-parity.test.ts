/**
 * Seeded parity with a second evaluator (@cloud-copilot/iam-simulate, a dev dependency): the
 * benchmark compares every support action on a large sample; this keeps a few hundred mixed
 * questions in `npm test`, so a change that makes the two disagree fails here first.
 */
import { describe, expect, it } from 'vitest'
import { listCatalogActions } from '#shared/catalog/catalog.ts'
import type { Decision } from '#shared/evaluator/decision.ts'
import { evaluateAccount } from '#shared/evaluator/evaluate-account.ts'
import { explainDecision } from '#shared/evaluator/explain.ts'
import { buildQuestionSet } from '#shared/evaluator/questions.ts'
import { parseAccountSnapshot } from '#shared/snapshot/parse-snapshot.ts'
import { askPeer, type PeerOutcome } from '#test-support/peer/peer-simulate.ts'
import { createPolicyResolver, summarizePolicies } from '#test-support/peer/principal-policies.ts'
import { createRandom } from '#test-support/synthetic/prng.ts'
import { DEFAULT_SEED, generateAccount } from '#test-support/synthetic/synthetic-account.ts'

const ACCOUNT_PRINCIPALS = 1000
const SAMPLED_PRINCIPALS = 40
const ACTIONS_PER_PRINCIPAL = 10

/**
 * AWS answers `sts:GetCallerIdentity` without looking at policies (an explicit Deny does not
 * stop it); the peer models that, the guard evaluates it as any other action. No finding
 * depends on it, so it is left out rather than asserted either way.
 */
const NOT_POLICY_CONTROLLED = new Set(['sts:GetCallerIdentity'])

/** Actions of services outside the catalog, asked as written (the synthetic policies name them). */
const OUTSIDE_CATALOG = [
  's3:GetObject',
  's3:PutObject',
  'ec2:DescribeInstances',
  'ec2:TerminateInstances',
  'cloudwatch:GetMetricData',
  'logs:CreateLogGroup',
  'kms:Decrypt',
]

interface PeerQuestion {
  readonly principal: number
  readonly action: string
}

/** Ours `conditional` rests on request context; the peer, given none, must answer the rest alike. */
function agrees(ours: Decision, peer: PeerOutcome): boolean {
  if (ours === 'allow') return peer === 'Allowed'
  if (ours === 'deny') return peer === 'ExplicitlyDenied' || peer === 'ImplicitlyDenied'
  return peer !== 'error'
}

describe('the evaluator and the peer simulator', () => {
  it('agree on a few hundred seeded questions', async () => {
    const raw = generateAccount({ seed: DEFAULT_SEED, principals: ACCOUNT_PRINCIPALS })
    const random = createRandom(DEFAULT_SEED)
    const principals = random.sample([...raw.UserDetailList, ...raw.RoleDetailList], SAMPLED_PRINCIPALS)
    const actions = [
      ...listCatalogActions()
        .map((action) => action.name)
        .filter((action) => !NOT_POLICY_CONTROLLED.has(action)),
      ...OUTSIDE_CATALOG,
    ]
    const asked: PeerQuestion[] = principals.flatMap((_, principal) =>
      random.sample(actions, ACTIONS_PER_PRINCIPAL).map((action) => ({ principal, action })),
    )

    const questions = buildQuestionSet(
      [...new Set(asked.map((entry) => entry.action))].map((action) => ({ action })),
    )
    const evaluation = evaluateAccount(parseAccountSnapshot(JSON.parse(JSON.stringify(raw))), questions)
    const byArn = new Map(evaluation.principals.map((access) => [access.principalArn, access]))
    const resolve = createPolicyResolver(raw)
    const policies = principals.map(resolve)

    const tally: Record<Decision, number> = { allow: 0, deny: 0, conditional: 0 }
    const disagreements: string[] = []
    for (const { principal, action } of asked) {
      const subject = principals[principal]
      const resolved = policies[principal]
      const access = subject ? byArn.get(subject.Arn) : undefined
      const question = questions.questions[questions.indexByKey.get(action) ?? -1]
      if (!subject || !resolved || !access || !question) throw new Error(`no evaluation for ${action}`)
      expect(resolved.missing, subject.Arn).toEqual([])
      const ours = access.decisions[action] ?? 'deny'
      // The explain path (evidence, who-can) must decide as the bit-vector path did.
      expect(explainDecision(access.principal, question, evaluation.account.scpLayers).decision).toBe(ours)
      const peer = await askPeer(resolved, action, raw.AccountId)
      tally[ours]++
      if (!agrees(ours, peer.outcome))
        disagreements.push(
          `${subject.Arn} ${action}: ours ${ours}, peer ${peer.outcome}${peer.error ? ` (${peer.error})` : ''}; ${summarizePolicies(resolved, action)}`,
        )
    }

    expect(disagreements).toEqual([])
    expect(asked).toHaveLength(SAMPLED_PRINCIPALS * ACTIONS_PER_PRINCIPAL)
    // Parity means something only if the sample holds every kind of answer.
    expect(tally.allow).toBeGreaterThan(20)
    expect(tally.deny).toBeGreaterThan(20)
    expect(tally.conditional).toBeGreaterThan(0)
  })
})
