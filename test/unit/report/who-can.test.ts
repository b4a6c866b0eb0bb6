import { describe, expect, it } from 'vitest'
import { parseGuardConfig } from '#shared/config/guard-config.ts'
import { auditAccount } from '#shared/report/audit-report.ts'
import { UnknownActionError, whoCan, whoCanEach } from '#shared/report/who-can.ts'
import { parseAccountSnapshot } from '#shared/snapshot/parse-snapshot.ts'
import {
  AWS_SUPPORT_ACCESS,
  LONG_PATH_EXPORT,
  PLAN_ADMINS,
  SSO_ROLE,
  SUPPORT_TEAM,
  userArn,
  VENDOR_ROLE,
} from './long-path-account.ts'

const snapshot = parseAccountSnapshot(structuredClone(LONG_PATH_EXPORT))
const ALICE = userArn('/engineering/platform/', 'alice')
const BOB = userArn('/engineering/platform/', 'bob')
const CAROL = userArn('/operations/', 'carol')
const ERIN = userArn('/support/', 'erin')

function entriesOf(action: string) {
  return new Map(whoCan(snapshot, action).principals.map((entry) => [entry.principalArn, entry]))
}

describe('whoCan through roles', () => {
  it('lists the principals that reach a support action by assuming a role, with the path', () => {
    const entries = entriesOf('support:CreateCase')
    const path = [`assumes ${SUPPORT_TEAM}`, AWS_SUPPORT_ACCESS]
    expect(entries.get(ALICE)).toEqual({ principalArn: ALICE, decision: 'allow', via: path })
    // bob may assume any role, but only with MFA: the path rests on a condition.
    expect(entries.get(BOB)).toEqual({ principalArn: BOB, decision: 'conditional', via: path })
    // carol reaches PlanAdministrators too, but it holds no support: action.
    expect(entries.get(CAROL)).toEqual({ principalArn: CAROL, decision: 'allow', via: path })
  })

  it('keeps the policies as the via of direct holders', () => {
    const entries = entriesOf('support:CreateCase')
    expect(entries.get(ERIN)?.via).toEqual([AWS_SUPPORT_ACCESS])
    for (const role of [SSO_ROLE, SUPPORT_TEAM, VENDOR_ROLE])
      expect(entries.get(role)).toEqual({ principalArn: role, decision: 'allow', via: [AWS_SUPPORT_ACCESS] })
  })

  it('leaves out who may assume only other roles, or is denied the support role', () => {
    const arns = [...entriesOf('support:CreateCase').keys()]
    expect(arns).not.toContain(userArn('/operations/', 'dave'))
    expect(arns).not.toContain(userArn('/operations/', 'frank'))
    // A resource-scoped grant of support: actions grants nothing (Support has no resource-level permissions).
    expect(arns).not.toContain(
      userArn('/regional/operations/emea/', 'regional-operations-engineer-with-a-long-name'),
    )
  })

  it('answers in the account order of the principals', () => {
    expect(whoCan(snapshot, 'support:CreateCase').principals.map((entry) => entry.principalArn)).toEqual([
      ALICE,
      BOB,
      CAROL,
      ERIN,
      SSO_ROLE,
      SUPPORT_TEAM,
      VENDOR_ROLE,
    ])
  })

  it.each(['supportplans:StartSupportPlanUpdate', 'supportauthz:CreateSupportPermit'])(
    'answers %s, a catalog action of the Support control plane, through the trust conditions',
    (action) => {
      const report = whoCan(snapshot, action)
      expect(report.action).toBe(action)
      expect(report.principals).toEqual([
        // PlanAdministrators trusts carol only with MFA.
        {
          principalArn: CAROL,
          decision: 'conditional',
          via: [`assumes ${PLAN_ADMINS}`, 'inline:PlanAndPermits'],
        },
        { principalArn: PLAN_ADMINS, decision: 'allow', via: ['inline:PlanAndPermits'] },
      ])
    },
  )

  it('names every role a principal reaches, each followed by its policies', () => {
    const report = whoCan(snapshot, 'support:DescribeCases')
    const carol = report.principals.find((entry) => entry.principalArn === CAROL)
    expect(carol?.via).toEqual([`assumes ${SUPPORT_TEAM}`, AWS_SUPPORT_ACCESS])
    const both = parseAccountSnapshot({
      ...structuredClone(LONG_PATH_EXPORT),
      RoleDetailList: LONG_PATH_EXPORT.RoleDetailList.map((role) =>
        role.Arn === PLAN_ADMINS
          ? { ...role, AttachedManagedPolicies: [{ PolicyArn: AWS_SUPPORT_ACCESS }] }
          : role,
      ),
    })
    const entry = whoCan(both, 'support:DescribeCases').principals.find((item) => item.principalArn === CAROL)
    expect(entry).toEqual({
      principalArn: CAROL,
      decision: 'allow',
      via: [`assumes ${SUPPORT_TEAM}`, AWS_SUPPORT_ACCESS, `assumes ${PLAN_ADMINS}`, AWS_SUPPORT_ACCESS],
    })
  })

  it('agrees with the audit on who reaches Support through a role', () => {
    const config = parseGuardConfig({ supportPrincipals: { approved: ['arn:aws:iam::*:role/*'] } })
    const { report } = auditAccount(snapshot, config)
    const reachedInAudit = report.findings
      .filter((finding) => finding.rule === 'SUPPORT_ACCESS_GRANTED')
      .filter((finding) => (finding.evidence.assumableSupportRoleCount as number) > 0)
      .map((finding) => finding.principalArn)
      .sort()
    const reachedInWhoCan = whoCan(snapshot, 'support:CreateCase')
      .principals.filter((entry) => entry.via[0]?.startsWith('assumes '))
      .map((entry) => entry.principalArn)
      .sort()
    expect(reachedInWhoCan).toEqual(reachedInAudit)
    expect(reachedInWhoCan).toEqual([ALICE, BOB, CAROL].sort())
  })

  it('answers several actions over one evaluation, each as whoCan would', () => {
    const actions = ['support:ResolveCase', 'supportplans:StartSupportPlanUpdate', 's3:GetObject']
    expect(whoCanEach(snapshot, actions)).toEqual(actions.map((action) => whoCan(snapshot, action)))
  })
})

describe('whoCan: which actions it answers', () => {
  it('answers an action outside the catalog as written, its service prefix in lower case', () => {
    expect(whoCan(snapshot, 'S3:GetObject').action).toBe('s3:GetObject')
    expect(
      whoCan(snapshot, 'cloudformation:CreateStack').principals.map((entry) => entry.principalArn),
    ).toContain('arn:aws:iam::210987654321:role/pipelines/deploy-pipeline')
  })

  it.each([
    ['support:OpenTicket', /catalog lists every support action/],
    ['supportauthz:CreatePermit', /catalog lists every supportauthz action/],
    ['not-an-action', /expected service:Action/],
    ['support:', /expected service:Action/],
    ['s3:Get*', /one action, not a pattern/],
    ['*', /one action, not a pattern/],
  ])('refuses %s with UnknownActionError', (action, message) => {
    expect(() => whoCan(snapshot, action)).toThrow(UnknownActionError)
    expect(() => whoCan(snapshot, action)).toThrow(message)
  })
})
