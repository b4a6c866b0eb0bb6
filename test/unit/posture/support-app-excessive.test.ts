import { describe, expect, it } from 'vitest'
import { evaluateAccount } from '#shared/evaluator/evaluate-account.ts'
import { runPostureRules } from '#shared/posture/run-posture-rules.ts'
import type { AccountSnapshot, ManagedPolicyRecord } from '#shared/snapshot/types.ts'
import {
  ACCOUNT_ID,
  APP_FULL_ACCESS,
  allowDocument,
  loadExampleConfig,
  makePolicy,
  makeRole,
  trustDocument,
} from '../helpers/example-account.ts'

const config = loadExampleConfig()

function statements(...list: readonly Record<string, unknown>[]): unknown {
  return { Version: '2012-10-17', Statement: list }
}

/**
 * The patterns beyond the catalog SUPPORT_APP_EXCESSIVE_PERMISSIONS lists for a Support App
 * role with `inline` policies (and `boundary`, when given).
 */
function beyondCatalog(inline: Readonly<Record<string, unknown>>, boundary?: unknown): unknown {
  const policies: ManagedPolicyRecord[] =
    boundary === undefined ? [] : [makePolicy('Edge', { v1: boundary }, 'v1')]
  const role = makeRole('SupportAppChannel', {
    attached: [APP_FULL_ACCESS],
    inline,
    ...(boundary === undefined ? {} : { boundaryArn: `arn:aws:iam::${ACCOUNT_ID}:policy/Edge` }),
    trustPolicy: trustDocument({ Service: 'supportapp.amazonaws.com' }),
  })
  const snapshot: AccountSnapshot = {
    accountId: ACCOUNT_ID,
    users: [],
    groups: [],
    roles: [role],
    policies,
    slackChannelConfigurations: [],
  }
  const finding = runPostureRules(evaluateAccount(snapshot), config).find(
    (entry) => entry.rule === 'SUPPORT_APP_EXCESSIVE_PERMISSIONS' && entry.principalArn === role.arn,
  )
  return (finding?.evidence as { patternsBeyondCatalog?: unknown } | undefined)?.patternsBeyondCatalog ?? []
}

describe('SUPPORT_APP_EXCESSIVE_PERMISSIONS: patterns beyond the catalog', () => {
  it('lists an allowed pattern of another service', () => {
    expect(beyondCatalog({ extra: allowDocument('ec2:Describe*') })).toEqual(['ec2:Describe* (inline:extra)'])
  })

  it('drops a pattern an unconditional Deny covers, wherever the Deny puts its wildcards', () => {
    const policy = statements(
      { Effect: 'Allow', Action: 'ec2:Get*Data', Resource: '*' },
      { Effect: 'Deny', Action: 'ec2:*Data', Resource: '*' },
    )
    expect(beyondCatalog({ extra: policy })).toEqual([])
  })

  it('drops a pattern that several Deny statements cover only together', () => {
    const policy = statements(
      { Effect: 'Allow', Action: 'ec2:DescribeInstances*', Resource: '*' },
      { Effect: 'Deny', Action: 'ec2:DescribeInstances', Resource: '*' },
      { Effect: 'Deny', Action: 'ec2:DescribeInstances?*', Resource: '*' },
    )
    expect(beyondCatalog({ extra: policy })).toEqual([])
  })

  it('keeps a pattern a Deny covers only in part', () => {
    const policy = statements(
      { Effect: 'Allow', Action: 'ec2:*', Resource: '*' },
      { Effect: 'Deny', Action: 'ec2:Describe*', Resource: '*' },
    )
    expect(beyondCatalog({ extra: policy })).toEqual(['ec2:* (inline:extra)'])
  })

  it('keeps a pattern when the boundary allows part of it through a wildcard service', () => {
    const boundary = statements({ Effect: 'Allow', Action: ['supportapp:*', '*:Describe*'], Resource: '*' })
    expect(beyondCatalog({ extra: allowDocument('ec2:Describe*') }, boundary)).toEqual([
      'ec2:Describe* (inline:extra)',
    ])
  })

  it('drops a pattern the boundary does not allow at all', () => {
    const boundary = statements({ Effect: 'Allow', Action: ['supportapp:*', 's3:Get*'], Resource: '*' })
    expect(beyondCatalog({ extra: allowDocument('ec2:Describe*') }, boundary)).toEqual([])
  })

  it('drops a pattern the NotAction of the boundary excludes, also across several entries', () => {
    const boundary = statements({
      Effect: 'Allow',
      NotAction: ['ec2:DescribeInstances', 'ec2:DescribeInstances?*'],
      Resource: '*',
    })
    expect(beyondCatalog({ extra: allowDocument('ec2:DescribeInstances*') }, boundary)).toEqual([])
    expect(beyondCatalog({ extra: allowDocument('ec2:Describe*') }, boundary)).toEqual([
      'ec2:Describe* (inline:extra)',
    ])
  })
})
