import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { AttachRolePolicyCommand, CreateRoleCommand } from '@aws-sdk/client-iam'
import {
  AttachPolicyCommand,
  CreateAccountCommand,
  CreateOrganizationalUnitCommand,
  CreateOrganizationCommand,
  CreatePolicyCommand,
  ListRootsCommand,
  MoveAccountCommand,
  OrganizationsClient,
} from '@aws-sdk/client-organizations'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { organizationAuditReportSchema } from '#shared/report/contract-schemas.ts'
import { parseOrganization } from '#shared/snapshot/organization.ts'
import { iamInAccount } from '#test-support/e2e/organization-guard.ts'
import { emulatorClientConfig, type MotoServer, startMotoServer } from '#test-support/emulator/moto-server.ts'
import { runBuiltCli } from '../unit/cli/run-built-cli.ts'

const TRUST = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    { Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::123456789012:root' }, Action: 'sts:AssumeRole' },
  ],
})

let server: MotoServer
let dir = ''
const members: { sandbox: string; workload: string } = { sandbox: '', workload: '' }

async function supportTeamIn(accountId: string): Promise<void> {
  const iam = await iamInAccount(emulatorClientConfig(server.endpoint), accountId)
  await iam.send(new CreateRoleCommand({ RoleName: 'SupportTeam', AssumeRolePolicyDocument: TRUST }))
  await iam.send(
    new AttachRolePolicyCommand({
      RoleName: 'SupportTeam',
      PolicyArn: 'arn:aws:iam::aws:policy/AWSSupportAccess',
    }),
  )
}

beforeAll(async () => {
  server = await startMotoServer()
  dir = mkdtempSync(join(tmpdir(), 'org-snapshot-'))
  const organizations = new OrganizationsClient(emulatorClientConfig(server.endpoint))
  await organizations.send(new CreateOrganizationCommand({ FeatureSet: 'ALL' }))
  const rootId = (await organizations.send(new ListRootsCommand({}))).Roots?.[0]?.Id ?? ''
  const unit = async (Name: string) =>
    (await organizations.send(new CreateOrganizationalUnitCommand({ ParentId: rootId, Name })))
      .OrganizationalUnit?.Id ?? ''
  const sandbox = await unit('Sandbox')
  const workloads = await unit('Workloads')
  const account = async (AccountName: string, to: string) => {
    const created = await organizations.send(
      new CreateAccountCommand({ AccountName, Email: `${AccountName}@example.com` }),
    )
    const id = created.CreateAccountStatus?.AccountId ?? ''
    await organizations.send(
      new MoveAccountCommand({ AccountId: id, SourceParentId: rootId, DestinationParentId: to }),
    )
    return id
  }
  members.sandbox = await account('sandbox', sandbox)
  members.workload = await account('workload', workloads)
  const deny = await organizations.send(
    new CreatePolicyCommand({
      Name: 'NoSupport',
      Description: 'no support cases from sandboxes',
      Type: 'SERVICE_CONTROL_POLICY',
      Content: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Deny', Action: 'support:*', Resource: '*' }],
      }),
    }),
  )
  await organizations.send(
    new AttachPolicyCommand({ PolicyId: deny.Policy?.PolicySummary?.Id ?? '', TargetId: sandbox }),
  )
  await supportTeamIn(members.sandbox)
  await supportTeamIn(members.workload)
}, 60_000)

afterAll(async () => {
  await server?.stop()
  if (dir) rmSync(dir, { recursive: true, force: true })
})

const env = () => ({
  AWS_ACCESS_KEY_ID: 'testing',
  AWS_SECRET_ACCESS_KEY: 'testing',
  AWS_REGION: 'us-east-1',
  AWS_MAX_ATTEMPTS: '1',
  AWS_EC2_METADATA_DISABLED: 'true',
  AWS_PROFILE: '',
  AWS_CONFIG_FILE: '/nonexistent/aws-config',
  AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/aws-credentials',
})

describe('support-guard snapshot --org against the emulator', () => {
  it('writes the organisation file and one export per account, which audit --snapshot DIR reads with SCPs by level', async () => {
    const out = join(dir, 'org')
    const snapshot = await runBuiltCli(
      ['snapshot', '--org', '--out', out, '--endpoint-url', server.endpoint],
      {
        env: env(),
        timeoutMs: 60_000,
      },
    )
    expect(snapshot.stderr).toMatch(/organisation snapshot written to .*: 3 account\(s\)/)
    expect(snapshot.status).toBe(0)
    const organization = parseOrganization(JSON.parse(readFileSync(join(out, 'organization.json'), 'utf8')))
    expect(organization.Accounts.map((account) => account.Id).sort()).toEqual(
      ['123456789012', members.sandbox, members.workload].sort(),
    )
    expect(organization.ServiceControlPolicies.map((scp) => scp.Name)).toContain('NoSupport')
    expect(readdirSync(out).sort()).toEqual(
      [
        'organization.json',
        ...[`123456789012.json`, `${members.sandbox}.json`, `${members.workload}.json`],
      ].sort(),
    )

    const audit = await runBuiltCli(
      ['audit', '--snapshot', out, '--format', 'json', '--fail-on', 'critical'],
      {
        env: env(),
        timeoutMs: 60_000,
      },
    )
    expect(audit.status).toBe(0)
    const report = organizationAuditReportSchema.parse(JSON.parse(audit.stdout))
    const supportTeam = (accountId: string) =>
      report.accounts
        .find((account) => account.accountId === accountId)
        ?.access.find((entry) => entry.principalArn === `arn:aws:iam::${accountId}:role/SupportTeam`)
        ?.decisions['support:CreateCase']
    expect(supportTeam(members.workload)).toBe('allow')
    expect(supportTeam(members.sandbox)).toBe('deny')
  }, 120_000)
})
