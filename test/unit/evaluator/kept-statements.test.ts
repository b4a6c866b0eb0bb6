import { describe, expect, it } from 'vitest'
import { compileAccount } from '#shared/evaluator/compile-account.ts'
import { evaluateAccount } from '#shared/evaluator/evaluate-account.ts'
import { evaluatePrincipals } from '#shared/evaluator/evaluate-principals.ts'
import { explainDecision } from '#shared/evaluator/explain.ts'
import { AUDIT_QUESTIONS } from '#shared/evaluator/questions.ts'
import { parseAccountSnapshot } from '#shared/snapshot/parse-snapshot.ts'
import { DEFAULT_SEED, generateAccount, SHAPE_MATRIX } from '#test-support/synthetic/synthetic-account.ts'

describe('an evaluation keeps only the statements about its services', () => {
  it.each(SHAPE_MATRIX.map((entry) => [entry.name, entry.shape] as const))(
    'decides and explains %s as the whole documents do',
    (_name, shape) => {
      const snapshot = parseAccountSnapshot(generateAccount({ seed: DEFAULT_SEED, principals: 300, shape }))
      const kept = evaluateAccount(snapshot)
      const whole = compileAccount(snapshot)
      const wholeCodes = evaluatePrincipals(whole, AUDIT_QUESTIONS).map((access) => [...access.codes])
      expect(kept.principals.map((access) => [...access.codes])).toEqual(wholeCodes)
      const statementsKept = kept.account.principals.reduce(
        (sum, principal) =>
          sum + principal.identity.reduce((n, policy) => n + (policy.parsed?.statements.length ?? 0), 0),
        0,
      )
      const statementsWhole = whole.principals.reduce(
        (sum, principal) =>
          sum + principal.identity.reduce((n, policy) => n + (policy.parsed?.statements.length ?? 0), 0),
        0,
      )
      expect(statementsKept).toBeLessThan(statementsWhole)
      AUDIT_QUESTIONS.questions.forEach((question, index) => {
        if (index % 7 !== 0) return
        kept.account.principals.forEach((principal, at) => {
          if (at % 10 !== 0) return
          const other = whole.principals[at]
          if (!other) throw new Error('the two compilations differ in principals')
          expect(explainDecision(principal, question, kept.account.scpLayers)).toEqual(
            explainDecision(other, question, whole.scpLayers),
          )
        })
      })
    },
  )
})
