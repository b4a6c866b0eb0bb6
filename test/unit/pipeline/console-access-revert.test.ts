import { describe, expect, it } from 'vitest'
import { CONSOLE_ACTIONS_FOR_SUPPORT_CENTER } from '#shared/catalog/support-actions.ts'
import { evaluateAccount } from '#shared/evaluator/evaluate-account.ts'
import { parseChangeEvent } from '#shared/events/parse-change-event.ts'
import type { FindingEventDetail } from '#shared/pipeline/bus-events.ts'
import { detectChange } from '#shared/pipeline/detect-change.ts'
import { remediateFinding } from '#shared/pipeline/remediate-finding.ts'
import { MemoryRevertJournal } from '#shared/pipeline/revert-journal.ts'
import { runPostureRules } from '#shared/posture/run-posture-rules.ts'
import type { AccountSnapshot } from '#shared/snapshot/types.ts'
import { applyChange, buildDetectHarness, makeSilentLogger } from '../helpers/detect-harness.ts'
import {
  allowDocument,
  denyDocument,
  findRole,
  loadExampleConfig,
  loadExampleSnapshot,
  makePolicy,
  withEntities,
} from '../helpers/example-account.ts'
import { MutableAccount } from '../helpers/mutable-account.ts'
import { loadEvent } from '../helpers/sample-events.ts'

const POLICY_ARN = 'arn:aws:iam::123456789012:policy/SupportTeamAccess'
const config = loadExampleConfig()
const example = loadExampleSnapshot()
const supportTeam = findRole(example, 'SupportTeam')
const adminRole = findRole(example, 'AdminRole')

/** A sample event with some request parameters replaced. */
function eventWith(file: string, parameters: Record<string, unknown>): Record<string, unknown> {
  const event = loadEvent(file)
  const detail = event.detail as { requestParameters: Record<string, unknown> }
  detail.requestParameters = { ...detail.requestParameters, ...parameters }
  return event
}

/** Detects `event` on `before` (its protected principals are the baselines) in enforce mode. */
async function detect(event: Record<string, unknown>, before: AccountSnapshot) {
  const outcome = parseChangeEvent(event)
  if (outcome.status !== 'change') throw new Error('expected a change')
  const after = applyChange(before, outcome.change)
  const harness = buildDetectHarness({ before, after, config })
  const result = await detectChange(outcome, harness.deps)
  return { findings: result.findings, after, harness }
}

function on(findings: readonly FindingEventDetail[], rule: string, arn: string) {
  return findings.filter((finding) => finding.rule === rule && finding.principalArn === arn)
}

function missingActions(finding: FindingEventDetail | undefined): string[] {
  return ((finding?.evidence.missingActions ?? []) as { action: string }[]).map((entry) => entry.action)
}

const denyConsole = JSON.stringify(denyDocument('support-console:*'))
const denySupport = JSON.stringify(denyDocument('support:*'))

describe('a change that removes only Support Center console access', () => {
  it('a new default policy version without support-console:* → SUPPORT_ACCESS_LOST, reverted to the baseline version', async () => {
    const before = withEntities(example, {
      roles: [{ ...supportTeam, attached: [{ arn: POLICY_ARN, name: 'SupportTeamAccess' }] }],
      policies: [
        makePolicy(
          'SupportTeamAccess',
          { v2: allowDocument('support:*'), v3: allowDocument(['support:*', 'support-console:*']) },
          'v3',
        ),
      ],
    })
    const event = eventWith('create-policy-version.json', {
      policyDocument: JSON.stringify(allowDocument('support:*')),
    })
    const { findings } = await detect(event, before)
    const [lost, ...others] = on(findings, 'SUPPORT_ACCESS_LOST', supportTeam.arn)
    expect(others).toEqual([])
    expect(missingActions(lost)).toEqual([...CONSOLE_ACTIONS_FOR_SUPPORT_CENTER])
    expect(lost?.plan?.steps).toEqual([
      { action: 'set-default-policy-version', policyArn: POLICY_ARN, versionId: 'v3' },
    ])
    expect(lost?.remediation.automatic).toBe(true)
    expect(lost?.withheld).toBeUndefined()
    expect(on(findings, 'SUPPORT_CONSOLE_ACCESS_MISSING', supportTeam.arn)).toEqual([])
  })

  it('an inline Deny support-console:* → SUPPORT_ACCESS_LOST with the same revert as a Deny support:*', async () => {
    const consoleCase = await detect(
      eventWith('put-role-policy.json', { policyDocument: denyConsole }),
      example,
    )
    const supportCase = await detect(
      eventWith('put-role-policy.json', { policyDocument: denySupport }),
      example,
    )
    const [lost] = on(consoleCase.findings, 'SUPPORT_ACCESS_LOST', supportTeam.arn)
    const [supportLost] = on(supportCase.findings, 'SUPPORT_ACCESS_LOST', supportTeam.arn)
    const revert = {
      steps: [
        {
          action: 'delete-inline-policy',
          principalType: 'role',
          principalName: 'SupportTeam',
          policyName: 'DenySupport',
        },
      ],
    }
    expect(lost?.plan).toMatchObject(revert)
    expect(supportLost?.plan).toMatchObject(revert)
    expect(lost?.remediation.automatic).toBe(true)
    expect(missingActions(lost)).toEqual([...CONSOLE_ACTIONS_FOR_SUPPORT_CENTER])
    expect(missingActions(supportLost)).toEqual([...config.requiredSupportActions])
    expect(lost?.id).not.toBe(supportLost?.id)
    expect(on(consoleCase.findings, 'SUPPORT_CONSOLE_ACCESS_MISSING', supportTeam.arn)).toEqual([])
  })

  it('remediate re-plans the console revert on its own and applies it', async () => {
    const { findings, after, harness } = await detect(
      eventWith('put-role-policy.json', { policyDocument: denyConsole }),
      example,
    )
    const [lost] = on(findings, 'SUPPORT_ACCESS_LOST', supportTeam.arn)
    if (!lost) throw new Error('expected SUPPORT_ACCESS_LOST')
    const account = new MutableAccount(after)
    const result = await remediateFinding(lost, {
      reader: account.reader,
      baselines: harness.store,
      changes: harness.store,
      writer: account.writer,
      journal: new MemoryRevertJournal(),
      publisher: harness.publisher,
      config,
      mode: 'enforce',
      logger: makeSilentLogger(),
    })
    expect(result.outcome).toBe('reverted')
    expect(account.writer.apply).toHaveBeenCalledWith({
      action: 'delete-inline-policy',
      principalType: 'role',
      principalName: 'SupportTeam',
      policyName: 'DenySupport',
    })
    const remaining = runPostureRules(evaluateAccount(account.snapshot), config)
    expect(remaining.map((finding) => finding.id)).not.toContain(lost.id)
  })

  it('a principal the config does not require → SUPPORT_CONSOLE_ACCESS_MISSING, reported, never reverted', async () => {
    const event = eventWith('put-role-policy.json', { roleName: 'AdminRole', policyDocument: denyConsole })
    const { findings } = await detect(event, example)
    const [missing, ...others] = on(findings, 'SUPPORT_CONSOLE_ACCESS_MISSING', adminRole.arn)
    expect(others).toEqual([])
    expect(missing).toMatchObject({
      severity: 'medium',
      evidence: { missingConsoleActions: [...CONSOLE_ACTIONS_FOR_SUPPORT_CENTER] },
      remediation: { automatic: false },
    })
    expect(on(findings, 'SUPPORT_ACCESS_LOST', adminRole.arn)).toEqual([])
  })

  it('a required principal that already lacked the console keeps the revert of a later loss of support:', async () => {
    const before = withEntities(example, {
      roles: [
        { ...supportTeam, attached: [], inline: [{ name: 'Cases', document: allowDocument('support:*') }] },
      ],
    })
    const event = eventWith('delete-role-policy.json', { roleName: 'SupportTeam', policyName: 'Cases' })
    const { findings } = await detect(event, before)
    const [lost] = on(findings, 'SUPPORT_ACCESS_LOST', supportTeam.arn)
    expect(lost?.plan?.steps).toEqual([
      {
        action: 'put-inline-policy',
        principalType: 'role',
        principalName: 'SupportTeam',
        policyName: 'Cases',
        document: allowDocument('support:*'),
      },
    ])
  })
})
