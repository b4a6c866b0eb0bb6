import { describe, expect, it } from 'vitest'
import { CONSOLE_ACTIONS_FOR_SUPPORT_CENTER } from '#shared/catalog/support-actions.ts'
import { type GuardConfig, parseGuardConfig } from '#shared/config/guard-config.ts'
import type { RuleId } from '#shared/config/rules.ts'
import { evaluateAccount } from '#shared/evaluator/evaluate-account.ts'
import { type Finding, type FindingOf, makeFindingId } from '#shared/findings/finding.ts'
import { runPostureRules } from '#shared/posture/run-posture-rules.ts'
import type { AccountSnapshot, RoleRecord, UserRecord } from '#shared/snapshot/types.ts'
import {
  ACCOUNT_ID,
  allowDocument,
  denyDocument,
  makeRole,
  makeUser,
  SUPPORT_ACCESS,
  trustDocument,
} from '../helpers/example-account.ts'

const SUPPORT_ONLY = allowDocument('support:*')
const config = parseGuardConfig({ supportPrincipals: { required: ['arn:aws:iam::*:role/SupportTeam'] } })

function account(principals: readonly (RoleRecord | UserRecord)[]): AccountSnapshot {
  return {
    accountId: ACCOUNT_ID,
    users: principals.filter((entry): entry is UserRecord => entry.kind === 'user'),
    groups: [],
    roles: principals.filter((entry): entry is RoleRecord => entry.kind === 'role'),
    policies: [],
    slackChannelConfigurations: [],
  }
}

function findings(
  principals: readonly (RoleRecord | UserRecord)[],
  options: { config?: GuardConfig; partial?: boolean } = {},
): Finding[] {
  return runPostureRules(evaluateAccount(account(principals)), options.config ?? config, {
    partial: options.partial === true,
  })
}

function ruleOn<R extends RuleId>(list: readonly Finding[], rule: R, name: string): FindingOf<R> | undefined {
  return list.find(
    (finding): finding is FindingOf<R> =>
      finding.rule === rule && finding.principalArn?.endsWith(`/${name}`) === true,
  )
}

const supportTeam = (options: Parameters<typeof makeRole>[1] = {}) =>
  makeRole('SupportTeam', { attached: [SUPPORT_ACCESS], ...options })

describe('SUPPORT_CONSOLE_ACCESS_MISSING', () => {
  it('flags a person allowed every required support action but no console action', () => {
    const list = findings([supportTeam(), makeUser('analyst', { inline: { cases: SUPPORT_ONLY } })])
    const finding = ruleOn(list, 'SUPPORT_CONSOLE_ACCESS_MISSING', 'analyst')
    expect(finding).toMatchObject({
      severity: 'medium',
      principalArn: `arn:aws:iam::${ACCOUNT_ID}:user/analyst`,
      evidence: {
        missingConsoleActions: [...CONSOLE_ACTIONS_FOR_SUPPORT_CENTER],
        via: ['inline:cases'],
      },
      remediation: { automatic: false },
    })
    expect(finding?.title).toContain('analyst')
    expect(finding?.detail).toContain(`arn:aws:iam::${ACCOUNT_ID}:user/analyst`)
    expect(finding?.remediation.steps[0]).toBe(
      `Allow ${CONSOLE_ACTIONS_FOR_SUPPORT_CENTER.join(', ')} (or attach arn:aws:iam::aws:policy/AWSSupportAccess, which grants support-console:*).`,
    )
  })

  it('stays silent for AWSSupportAccess, which grants support-console:*', () => {
    const list = findings([supportTeam(), makeUser('analyst', { attached: [SUPPORT_ACCESS] })])
    expect(list.map((finding) => finding.rule)).not.toContain('SUPPORT_CONSOLE_ACCESS_MISSING')
  })

  it('names only the actions denied, and the Deny statement that cuts them', () => {
    const deny = denyDocument(['support-console:CreateCaseDraft', 'support-console:CreateContact'])
    const list = findings([
      supportTeam(),
      makeRole('Oncall', { attached: [SUPPORT_ACCESS], inline: { 'no-drafts': deny } }),
    ])
    const finding = ruleOn(list, 'SUPPORT_CONSOLE_ACCESS_MISSING', 'Oncall')
    expect(finding?.evidence.missingConsoleActions).toEqual([
      'support-console:CreateCaseDraft',
      'support-console:CreateContact',
    ])
    expect(finding?.evidence.via).toEqual([SUPPORT_ACCESS])
    expect(finding?.evidence.statements).toEqual(
      expect.arrayContaining([expect.objectContaining({ effect: 'Deny', policy: 'inline:no-drafts' })]),
    )
    expect(finding?.remediation.steps[0]).toMatch(
      /^Allow support-console:CreateCaseDraft, support-console:CreateContact \(or attach /,
    )
    expect(finding?.remediation.steps[1]).toContain('Deny statement')
  })

  it('treats console access under a condition (MFA) as access', () => {
    const mfa = {
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Action: 'support:*', Resource: '*' },
        {
          Effect: 'Allow',
          Action: 'support-console:*',
          Resource: '*',
          Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } },
        },
      ],
    }
    const list = findings([supportTeam(), makeUser('analyst', { inline: { mfa } })])
    expect(ruleOn(list, 'SUPPORT_CONSOLE_ACCESS_MISSING', 'analyst')).toBeUndefined()
  })

  it('leaves alone a principal without full support access, and one that only may read cases', () => {
    const list = findings([
      supportTeam(),
      makeUser('reader', { inline: { read: allowDocument('support:Describe*') } }),
      makeUser('nobody', { inline: { s3: allowDocument('s3:GetObject') } }),
    ])
    expect(list.map((finding) => finding.rule)).not.toContain('SUPPORT_CONSOLE_ACCESS_MISSING')
  })

  it('leaves alone Support App roles (the app uses the API) and service-linked roles', () => {
    const app = makeRole('AWSSupportAppRole', {
      inline: { app: SUPPORT_ONLY },
      trustPolicy: trustDocument({ Service: 'supportapp.amazonaws.com' }),
    })
    const linked: RoleRecord = {
      ...makeRole('AWSServiceRoleForSupport', { inline: { support: SUPPORT_ONLY } }),
      arn: `arn:aws:iam::${ACCOUNT_ID}:role/aws-service-role/support.amazonaws.com/AWSServiceRoleForSupport`,
      path: '/aws-service-role/support.amazonaws.com/',
      trustPolicy: trustDocument({ Service: 'support.amazonaws.com' }),
    }
    const list = findings([supportTeam(), app, linked])
    expect(list.map((finding) => finding.rule)).not.toContain('SUPPORT_CONSOLE_ACCESS_MISSING')
  })

  it('follows requiredConsoleActions, and is off when it is empty', () => {
    const analyst = makeUser('analyst', {
      inline: { cases: allowDocument(['support:*', 'support-console:GetAccountState']) },
    })
    const narrow = parseGuardConfig({ requiredConsoleActions: ['support-console:GetAccountState'] })
    expect(ruleOn(findings([analyst], { config: narrow }), 'SUPPORT_CONSOLE_ACCESS_MISSING', 'analyst')).toBe(
      undefined,
    )
    const wider = parseGuardConfig({
      requiredConsoleActions: ['support-console:GetAccountState', 'support-console:GetBanner'],
    })
    expect(
      ruleOn(findings([analyst], { config: wider }), 'SUPPORT_CONSOLE_ACCESS_MISSING', 'analyst')?.evidence
        .missingConsoleActions,
    ).toEqual(['support-console:GetBanner'])
    const off = parseGuardConfig({ requiredConsoleActions: [] })
    const list = findings([makeUser('analyst', { inline: { cases: SUPPORT_ONLY } })], { config: off })
    expect(list.map((finding) => finding.rule)).not.toContain('SUPPORT_CONSOLE_ACCESS_MISSING')
  })

  it('is decided in a partial (change-path) evaluation too, with the same ID', () => {
    const principals = [makeUser('analyst', { inline: { cases: SUPPORT_ONLY } })]
    const partial = ruleOn(
      findings(principals, { partial: true }),
      'SUPPORT_CONSOLE_ACCESS_MISSING',
      'analyst',
    )
    const whole = ruleOn(findings(principals), 'SUPPORT_CONSOLE_ACCESS_MISSING', 'analyst')
    expect(partial).toBeDefined()
    expect(partial?.id).toBe(whole?.id)
  })
})

describe('a required principal and the console (posture)', () => {
  it('gets SUPPORT_CONSOLE_ACCESS_MISSING for a console gap, not SUPPORT_ACCESS_LOST: the audit cannot tell a gap it always had from one a change opened', () => {
    for (const partial of [false, true]) {
      const list = findings([supportTeam({ inline: { 'no-console': denyDocument('support-console:*') } })], {
        partial,
      })
      const missing = ruleOn(list, 'SUPPORT_CONSOLE_ACCESS_MISSING', 'SupportTeam')
      expect(missing?.evidence.missingConsoleActions).toEqual([...CONSOLE_ACTIONS_FOR_SUPPORT_CENTER])
      expect(ruleOn(list, 'SUPPORT_ACCESS_LOST', 'SupportTeam')).toBeUndefined()
    }
  })

  it('lists only support actions in SUPPORT_ACCESS_LOST, with the ID a loss of support actions always had', () => {
    const list = findings([
      makeRole('SupportTeam', { inline: { cases: allowDocument('support:DescribeCases') } }),
    ])
    const lost = ruleOn(list, 'SUPPORT_ACCESS_LOST', 'SupportTeam')
    const evidence = lost?.evidence
    const missing = evidence && 'missingActions' in evidence ? evidence.missingActions : []
    expect(missing.map((entry) => entry.action)).toEqual([
      'support:CreateCase',
      'support:AddCommunicationToCase',
      'support:ResolveCase',
    ])
    const arn = `arn:aws:iam::${ACCOUNT_ID}:role/SupportTeam`
    expect(lost?.id).toBe(makeFindingId(ACCOUNT_ID, 'SUPPORT_ACCESS_LOST', arn))
  })

  it('is not raised for console actions on a required Support App role (the app needs none)', () => {
    const app = makeRole('SupportTeam', {
      inline: { app: SUPPORT_ONLY },
      trustPolicy: trustDocument({ Service: 'supportapp.amazonaws.com' }),
    })
    const list = findings([app])
    expect(ruleOn(list, 'SUPPORT_ACCESS_LOST', 'SupportTeam')).toBeUndefined()
    expect(ruleOn(list, 'SUPPORT_CONSOLE_ACCESS_MISSING', 'SupportTeam')).toBeUndefined()
  })

  it('still keeps access that rests on a condition', () => {
    const mfa = {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Deny',
          Action: ['support:*', 'support-console:*'],
          Resource: '*',
          Condition: { BoolIfExists: { 'aws:MultiFactorAuthPresent': 'false' } },
        },
      ],
    }
    const list = findings([supportTeam({ inline: { mfa } })])
    expect(ruleOn(list, 'SUPPORT_ACCESS_LOST', 'SupportTeam')).toBeUndefined()
  })
})
