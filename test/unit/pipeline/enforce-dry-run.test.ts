import { readdirSync, readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { matchesAnyArnPattern } from '#shared/config/arn-pattern.ts'
import { DEFAULT_CONFIG, type GuardConfig } from '#shared/config/guard-config.ts'
import { isSeverityAtLeast } from '#shared/config/rules.ts'
import {
  type DryRunEvent,
  type DryRunSummary,
  runEnforceDryRun,
} from '#test-support/dry-run/enforce-dry-run.ts'
import { loadExampleConfig, loadExampleSnapshot } from '../helpers/example-account.ts'
import { loadEvent } from '../helpers/sample-events.ts'

const account = loadExampleSnapshot()

function readEvents(dir: URL, prefix: string): DryRunEvent[] {
  return readdirSync(dir)
    .filter((file) => file.endsWith('.json') && file !== 'index.json')
    .sort()
    .map((file) => ({
      name: `${prefix}/${file}`,
      event: JSON.parse(readFileSync(new URL(file, dir), 'utf8')),
    }))
}

/** A sample event with its request parameters replaced: the same call on another principal or policy. */
function variant(file: string, name: string, parameters: Record<string, string>): DryRunEvent {
  const event = structuredClone(loadEvent(file)) as {
    detail: { requestParameters: Record<string, string>; eventID: string }
  }
  event.detail.requestParameters = parameters
  event.detail.eventID = `${name}-0000-0000-0000-000000000000`
  return { name, event }
}

/** Ordinary admin work: administrator-class grants to principals nobody protects. */
const ADMIN_GRANTS: readonly DryRunEvent[] = [
  variant('attach-role-policy.json', 'admin-to-ci-role', {
    roleName: 'ci-deployer',
    policyArn: 'arn:aws:iam::aws:policy/AdministratorAccess',
  }),
  variant('attach-role-policy.json', 'poweruser-to-role', {
    roleName: 'data-pipeline',
    policyArn: 'arn:aws:iam::aws:policy/PowerUserAccess',
  }),
  variant('attach-user-policy.json', 'admin-to-user', {
    userName: 'bob',
    policyArn: 'arn:aws:iam::aws:policy/AdministratorAccess',
  }),
  variant('attach-user-policy.json', 'poweruser-to-user', {
    userName: 'alice',
    policyArn: 'arn:aws:iam::aws:policy/PowerUserAccess',
  }),
]

const EVENTS = [
  ...readEvents(new URL('../../fixtures/cloudtrail/', import.meta.url), 'corpus'),
  ...readEvents(new URL('../../../events/', import.meta.url), 'events'),
  ...ADMIN_GRANTS,
]

/** Every write is justified by an enforced finding of medium or more on a principal the guard may touch. */
function expectEveryWriteJustified(summary: DryRunSummary, config: GuardConfig): void {
  for (const write of summary.writes) {
    const where = `${write.event}: ${write.command}`
    expect(config.enforceRules, where).toContain(write.finding.rule)
    expect(isSeverityAtLeast(write.finding.severity, 'medium'), where).toBe(true)
    if (write.step.action !== 'create-service-linked-role')
      expect(matchesAnyArnPattern(config.neverModify, write.target), where).toBe(false)
  }
}

describe('enforce mode over every fixture record and sample event', () => {
  it('with the example config: writes only the reverts of enforced findings', async () => {
    const config = loadExampleConfig({ mode: 'enforce' })
    const summary = await runEnforceDryRun(EVENTS, account, config)

    expect(summary.changes).toBeGreaterThan(80)
    expectEveryWriteJustified(summary, config)
    expect(summary.writes.map((write) => `${write.event} ${write.command}`)).toEqual([
      'events/attach-role-policy.json aws iam detach-role-policy --role-name AWSSupportAppRole --policy-arn arn:aws:iam::aws:policy/AdministratorAccess',
      'events/delete-service-linked-role.json aws iam create-service-linked-role --aws-service-name servicequotas.amazonaws.com',
      'events/detach-role-policy.json aws iam attach-role-policy --role-name SupportTeam --policy-arn arn:aws:iam::aws:policy/AWSSupportAccess',
      'events/put-role-permissions-boundary.json aws iam delete-role-permissions-boundary --role-name SupportTeam',
      'events/put-role-policy.json aws iam delete-role-policy --role-name SupportTeam --policy-name DenySupport',
      expect.stringMatching(
        /^events\/update-assume-role-policy\.json aws iam update-assume-role-policy --role-name AWSSupportAppRole /,
      ),
    ])
  })

  it('with the default config: no required principal, so nothing but the Support App needs is enforced', async () => {
    const config: GuardConfig = { ...DEFAULT_CONFIG, mode: 'enforce' }
    const summary = await runEnforceDryRun(EVENTS, account, config)
    expectEveryWriteJustified(summary, config)
    expect(summary.writes.map((write) => write.finding.rule)).not.toContain('SUPPORT_ACCESS_GRANTED')
  })

  it.each(ADMIN_GRANTS.map((event) => [event.name, event]))(
    'never undoes ordinary admin work: %s gives no write',
    async (_name, event) => {
      for (const config of [
        loadExampleConfig({ mode: 'enforce' }),
        { ...DEFAULT_CONFIG, mode: 'enforce' as const },
      ]) {
        const summary = await runEnforceDryRun([event], account, config)
        expect(summary.changes).toBe(1)
        expect(summary.findings).toBeGreaterThan(0)
        expect(summary.writes).toEqual([])
      }
    },
  )
})
