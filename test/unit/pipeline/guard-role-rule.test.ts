import { describe, expect, it } from 'vitest'
import { parseChangeEvent } from '#shared/events/parse-change-event.ts'
import type { ChangeEvent } from '#shared/events/types.ts'
import { findGuardRoleFindings } from '#shared/pipeline/change-rules.ts'
import { loadExampleConfig } from '../helpers/example-account.ts'
import { loadEvent, loadEventWith } from '../helpers/sample-events.ts'

const config = loadExampleConfig()

function change(file: string, detail: Record<string, unknown> = {}): ChangeEvent {
  const event = loadEvent(file)
  const original = event.detail as { requestParameters: Record<string, unknown> }
  const outcome = parseChangeEvent(
    loadEventWith(file, {
      requestParameters: { ...original.requestParameters, roleName: 'SupportAccessGuardMember' },
      ...detail,
    }),
  )
  if (outcome.status !== 'change') throw new Error(`${file} is not a change`)
  return outcome.change
}

function sessionOf(roleName: string, invokedBy?: string) {
  return {
    type: 'AssumedRole',
    principalId: 'AROAEXAMPLE:session',
    arn: `arn:aws:sts::123456789012:assumed-role/${roleName}/session`,
    accountId: '123456789012',
    ...(invokedBy ? { invokedBy } : {}),
    sessionContext: {
      sessionIssuer: {
        type: 'Role',
        principalId: 'AROAEXAMPLE',
        arn: `arn:aws:iam::123456789012:role/${roleName}`,
        accountId: '123456789012',
        userName: roleName,
      },
    },
  }
}

describe('GUARD_ROLE_CHANGED', () => {
  it("reports a trust edit of the member role by a person, critical, with the call's evidence", () => {
    const findings = findGuardRoleFindings(change('update-assume-role-policy.json'), config)
    expect(findings).toHaveLength(1)
    expect(findings[0]?.plan).toBeUndefined()
    expect(findings[0]?.finding).toMatchObject({
      rule: 'GUARD_ROLE_CHANGED',
      severity: 'critical',
      principalArn: 'arn:aws:iam::123456789012:role/SupportAccessGuardMember',
      evidence: { eventName: 'UpdateAssumeRolePolicy', roleName: 'SupportAccessGuardMember', failed: false },
      remediation: { automatic: false },
    })
  })

  it('reports a failed attempt and every role write on each of the three guard roles', () => {
    for (const file of [
      'put-role-policy.json',
      'delete-role-policy.json',
      'delete-role.json',
      'attach-role-policy.json',
    ])
      expect(
        findGuardRoleFindings(change(file), config).map((found) => found.finding.rule),
        file,
      ).toEqual(['GUARD_ROLE_CHANGED'])
    const failed = change('put-role-policy.json', { errorCode: 'AccessDenied', errorMessage: 'denied' })
    expect(findGuardRoleFindings(failed, config)[0]?.finding.evidence).toMatchObject({ failed: true })
    for (const roleName of ['SupportAccessGuardReader', 'SupportAccessGuardForwarder']) {
      const event = loadEventWith('put-role-policy.json', {
        requestParameters: { roleName, policyName: 'x', policyDocument: '{}' },
      })
      const outcome = parseChangeEvent(event)
      if (outcome.status !== 'change') throw new Error('not a change')
      expect(findGuardRoleFindings(outcome.change, config), roleName).toHaveLength(1)
    }
  })

  it('leaves CloudFormation alone: a stack operation, or a stack set through its execution role', () => {
    const byStack = change('update-assume-role-policy.json', {
      userIdentity: sessionOf('Deployer', 'cloudformation.amazonaws.com'),
    })
    const byStackSet = change('update-assume-role-policy.json', {
      userIdentity: sessionOf('stacksets-exec-0123456789abcdef0123456789abcdef'),
    })
    expect(findGuardRoleFindings(byStack, config)).toEqual([])
    expect(findGuardRoleFindings(byStackSet, config)).toEqual([])
    // The same session without CloudFormation is reported.
    expect(
      findGuardRoleFindings(
        change('update-assume-role-policy.json', { userIdentity: sessionOf('Deployer') }),
        config,
      ),
    ).toHaveLength(1)
  })

  it('says nothing of other roles, nor of calls that do not change a role', () => {
    const other = parseChangeEvent(loadEvent('update-assume-role-policy.json'))
    if (other.status !== 'change') throw new Error('not a change')
    expect(findGuardRoleFindings(other.change, config)).toEqual([])
    expect(findGuardRoleFindings(change('tag-role.json'), config)).toEqual([])
  })
})
