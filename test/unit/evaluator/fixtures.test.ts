import { readdirSync, readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { findCatalogAction } from '#shared/catalog/catalog.ts'
import { evaluateAccount } from '#shared/evaluator/evaluate-account.ts'
import { explainDecision } from '#shared/evaluator/explain.ts'
import { buildQuestionSet } from '#shared/evaluator/questions.ts'
import { parseAccountSnapshot } from '#shared/snapshot/parse-snapshot.ts'
import {
  buildFixtureSnapshot,
  type FixtureCase,
  fixtureSubjectArn,
  parseFixtureFile,
} from './fixture-snapshot.ts'

const FIXTURE_DIR = new URL('../../fixtures/evaluator/', import.meta.url)
/** Files of the directory that are not decision cases (they have their own tests). */
const OTHER_FIXTURES = new Set(['wildcard-containment.json'])

function loadFixtureCases(): (FixtureCase & { file: string })[] {
  const files = readdirSync(FIXTURE_DIR)
    .filter((file) => file.endsWith('.json') && !OTHER_FIXTURES.has(file))
    .sort()
  return files.flatMap((file) => {
    const input: unknown = JSON.parse(readFileSync(new URL(file, FIXTURE_DIR), 'utf8'))
    return parseFixtureFile(input, file).map((fixture) => ({ ...fixture, file }))
  })
}

const cases = loadFixtureCases()

describe('evaluator fixture files', () => {
  it('hold at least 90 cases with unique names', () => {
    expect(cases.length).toBeGreaterThanOrEqual(90)
    expect(new Set(cases.map((fixture) => fixture.name)).size).toBe(cases.length)
  })

  it('expect something of every case, named as in the catalog', () => {
    for (const fixture of cases) {
      const actions = Object.keys(fixture.expect ?? {})
      expect(actions.length + (fixture.expectIssue ? 1 : 0), fixture.name).toBeGreaterThan(0)
      for (const action of actions) expect(findCatalogAction(action)?.name, fixture.name).toBe(action)
    }
  })
})

describe('evaluateAccount on the fixtures', () => {
  it.each(cases)('$file: $name', (fixture) => {
    const expected = fixture.expect ?? {}
    // Ask exactly the fixture's actions with no request context: a condition the guard
    // cannot settle (iam:AWSServiceName included) must come out as `conditional`.
    const questions = buildQuestionSet(Object.keys(expected).map((action) => ({ action })))
    const snapshot = parseAccountSnapshot(buildFixtureSnapshot(fixture.principal))
    const evaluation = evaluateAccount(snapshot, questions)
    const subjectArn = fixtureSubjectArn(fixture.principal.type)
    const subject = evaluation.principals.find((principal) => principal.principalArn === subjectArn)
    if (!subject) throw new Error(`no evaluation for ${subjectArn}`)
    expect(subject.principalType).toBe(fixture.principal.type)

    const actual = Object.fromEntries(
      Object.keys(expected).map((action) => [action, subject.decisions[action]]),
    )
    expect(actual).toEqual(expected)

    // The explain path (evidence, who-can) decides each question again, statement by
    // statement: it must reach the same decision as the bit-vector path.
    const explained = Object.fromEntries(
      Object.keys(expected).map((action) => {
        const question = questions.questions[questions.indexByKey.get(action) ?? -1]
        if (!question) throw new Error(`no question for ${action}`)
        return [action, explainDecision(subject.principal, question, evaluation.account.scpLayers).decision]
      }),
    )
    expect(explained).toEqual(actual)

    if (fixture.expectIssue) {
      expect(evaluation.issues.map((issue) => issue.path)).toContain(fixture.expectIssue.path)
    } else {
      expect(evaluation.issues).toEqual([])
    }
  })
})
