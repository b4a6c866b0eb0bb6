import { rmSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { auditReportSchema } from '#shared/report/contract-schemas.ts'
import { runCli } from '../../../bin/cli/run-cli.ts'
import { runBuiltCli, writeTempFiles } from './run-built-cli.ts'

const ACCOUNT = '210987654321'
const USERS = 1500
const ROLES = 1500
const GROUPS = 20
const POLICIES = 40

const supportActions = [
  'support:*',
  'support:Describe*',
  'support:CreateCase',
  'support:ResolveCase',
  's3:GetObject',
]

function identityDocument(index: number): Record<string, unknown> {
  const statements: Record<string, unknown>[] = [
    { Effect: 'Allow', Action: supportActions[index % supportActions.length], Resource: '*' },
  ]
  if (index % 7 === 0) statements.push({ Effect: 'Deny', Action: 'support:ResolveCase', Resource: '*' })
  if (index % 11 === 0)
    statements.push({
      Effect: 'Allow',
      Action: 'support:AddCommunicationToCase',
      Resource: '*',
      Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } },
    })
  return { Version: '2012-10-17', Statement: statements }
}

function trustDocument(index: number): Record<string, unknown> {
  const principal =
    index % 50 === 0 ? { AWS: 'arn:aws:iam::999988887777:root' } : { AWS: `arn:aws:iam::${ACCOUNT}:root` }
  return {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: principal, Action: 'sts:AssumeRole' }],
  }
}

/** An export with 3000 principals: groups, customer policies, inline documents as objects and URL-encoded text. */
function buildLargeExport(): Record<string, unknown> {
  const policyArn = (index: number) => `arn:aws:iam::${ACCOUNT}:policy/team-${index}`
  return {
    AccountId: ACCOUNT,
    Policies: Array.from({ length: POLICIES }, (_, index) => ({
      PolicyName: `team-${index}`,
      Arn: policyArn(index),
      DefaultVersionId: 'v1',
      PolicyVersionList: [
        {
          VersionId: 'v1',
          IsDefaultVersion: true,
          Document: encodeURIComponent(JSON.stringify(identityDocument(index))),
        },
      ],
    })),
    GroupDetailList: Array.from({ length: GROUPS }, (_, index) => ({
      GroupName: `group-${index}`,
      Arn: `arn:aws:iam::${ACCOUNT}:group/group-${index}`,
      GroupPolicyList: [{ PolicyName: 'inline', PolicyDocument: identityDocument(index + 3) }],
      AttachedManagedPolicies: [{ PolicyName: `team-${index}`, PolicyArn: policyArn(index) }],
    })),
    UserDetailList: Array.from({ length: USERS }, (_, index) => ({
      UserName: `user-${index}`,
      Arn: `arn:aws:iam::${ACCOUNT}:user/user-${index}`,
      GroupList: [`group-${index % GROUPS}`],
      UserPolicyList:
        index % 3 === 0
          ? [
              {
                PolicyName: 'own',
                PolicyDocument: encodeURIComponent(JSON.stringify(identityDocument(index))),
              },
            ]
          : [],
      AttachedManagedPolicies: [{ PolicyArn: policyArn(index % POLICIES) }],
    })),
    RoleDetailList: Array.from({ length: ROLES }, (_, index) => ({
      RoleName: `role-${index}`,
      Arn: `arn:aws:iam::${ACCOUNT}:role/role-${index}`,
      AssumeRolePolicyDocument: encodeURIComponent(JSON.stringify(trustDocument(index))),
      RolePolicyList: index % 2 === 0 ? [{ PolicyName: 'own', PolicyDocument: identityDocument(index) }] : [],
      AttachedManagedPolicies: [
        { PolicyName: `team-${index % POLICIES}`, PolicyArn: policyArn(index % POLICIES) },
      ],
    })),
  }
}

let dir = ''
let snapshotFile = ''

beforeAll(() => {
  dir = writeTempFiles({ 'large.json': buildLargeExport() })
  snapshotFile = join(dir, 'large.json')
})

afterAll(() => {
  rmSync(dir, { recursive: true, force: true })
})

describe('support-guard on a large account', () => {
  it('audits 3000 principals and prints no progress text into a pipe', async () => {
    const result = await runBuiltCli(['audit', '--snapshot', snapshotFile, '--format', 'json'], {
      timeoutMs: 60_000,
    })
    expect(result.signal).toBeNull()
    expect(result.stderr).toBe('')
    expect([0, 1]).toContain(result.status)
    const report = auditReportSchema.parse(JSON.parse(result.stdout))
    expect(report.access).toHaveLength(USERS + ROLES)
    expect(report.accountId).toBe(ACCOUNT)
    const rules: string[] = report.findings.map((finding) => finding.rule)
    expect(rules).toContain('SUPPORT_ACCESS_EXTERNAL_TRUST')
    expect(result.durationMs).toBeLessThan(30_000)
  }, 60_000)

  it('answers who-can on the large account', async () => {
    const result = await runBuiltCli(
      ['who-can', 'support:ResolveCase', '--snapshot', snapshotFile, '--format', 'json'],
      {
        timeoutMs: 60_000,
      },
    )
    expect(result.stderr).toBe('')
    expect(result.status).toBe(0)
    const report = JSON.parse(result.stdout) as { principals: unknown[] }
    expect(report.principals.length).toBeGreaterThan(0)
    expect(report.principals.length).toBeLessThan(USERS + ROLES)
  }, 60_000)

  it.each([
    { interactive: true, progress: true },
    { interactive: false, progress: false },
  ])(
    'shows progress on stderr only on an interactive terminal (interactive: $interactive)',
    async ({ interactive, progress }) => {
      let stderr = ''
      let stdout = ''
      const status = await runCli(
        ['audit', '--snapshot', snapshotFile, '--format', 'json', '--fail-on', 'critical'],
        {
          stdout: (text) => {
            stdout += text
          },
          stderr: (text) => {
            stderr += text
          },
          interactive,
          columns: 100,
        },
        () => Promise.reject(new Error('the live account must not be read')),
      )
      expect(status).toBe(0)
      expect(auditReportSchema.parse(JSON.parse(stdout)).access).toHaveLength(USERS + ROLES)
      if (progress) expect(stderr).toMatch(/^evaluating 3000 principals/)
      else expect(stderr).toBe('')
    },
    60_000,
  )
})
