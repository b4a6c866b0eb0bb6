import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import { DEFAULT_CONFIG } from '#shared/config/guard-config.ts'
import { auditJsonChunks } from '#shared/report/audit-json.ts'
import { auditAccount } from '#shared/report/audit-report.ts'
import { parseAccountSnapshot } from '#shared/snapshot/parse-snapshot.ts'
import { DEFAULT_SEED, generateAccount } from '#test-support/synthetic/synthetic-account.ts'
import { readExportFile } from '../../bin/cli/read-json.ts'
import { PHASES } from '../lib/shape-report.ts'
import type { DocumentsChildResult, PhasesChildResult } from '../phases-child.ts'

const CHILD = fileURLToPath(new URL('../phases-child.ts', import.meta.url))
const work = mkdtempSync(join(tmpdir(), 'bench-phases-child-test-'))
afterAll(() => rmSync(work, { recursive: true, force: true }))

function runChild(args: readonly string[]): { status: number | null; stdout: string; stderr: string } {
  const child = spawnSync(process.execPath, ['--import', 'tsx', CHILD, ...args], { encoding: 'utf8' })
  return { status: child.status, stdout: child.stdout, stderr: child.stderr }
}

const ACCOUNT = '111122223333'
const statement = (action: string) => ({ Effect: 'Allow', Action: action, Resource: '*' })
const document = (action: string) => ({ Version: '2012-10-17', Statement: [statement(action)] })
const trust = (service: string) => ({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: service }, Action: 'sts:AssumeRole' }],
})
const role = (name: string, trustPolicy: object, inline: readonly object[] = []) => ({
  RoleName: name,
  Path: '/',
  Arn: `arn:aws:iam::${ACCOUNT}:role/${name}`,
  AssumeRolePolicyDocument: trustPolicy,
  RolePolicyList: inline.map((PolicyDocument, index) => ({ PolicyName: `${name}-${index}`, PolicyDocument })),
  AttachedManagedPolicies: [],
})
const user = (name: string, inline: readonly object[]) => ({
  UserName: name,
  Path: '/',
  Arn: `arn:aws:iam::${ACCOUNT}:user/${name}`,
  UserPolicyList: inline.map((PolicyDocument, index) => ({ PolicyName: `${name}-${index}`, PolicyDocument })),
  GroupList: [],
  AttachedManagedPolicies: [],
})

describe('the phases child', () => {
  it('writes the report the CLI writes, and times each part of it', async () => {
    const file = join(work, 'account.json')
    writeFileSync(file, JSON.stringify(generateAccount({ seed: DEFAULT_SEED, principals: 80 })))
    const report = join(work, 'report.json')
    const child = runChild([file, report])
    expect(child.stderr).toBe('')
    expect(child.status).toBe(0)
    const result = JSON.parse(child.stdout) as PhasesChildResult
    const expected = auditAccount(
      parseAccountSnapshot(await readExportFile(file, 'snapshot')),
      DEFAULT_CONFIG,
    )
    expect(readFileSync(report, 'utf8')).toBe([...auditJsonChunks(expected.report)].join(''))
    expect(result.principals).toBe(80)
    expect(result.findings).toBe(expected.report.findings.length)
    for (const part of PHASES) expect(result[part]).toBeGreaterThanOrEqual(0)
    expect(result.startMs).toBeGreaterThan(0)
  })

  it('parses the documents alone, each distinct one once, as compiling tells them apart', () => {
    const shared = document('support:DescribeCases')
    const file = join(work, 'documents.json')
    writeFileSync(
      file,
      JSON.stringify({
        UserDetailList: [user('alice', [shared, shared]), user('bob', [document('s3:GetObject')])],
        GroupDetailList: [],
        RoleDetailList: [
          role('one', trust('lambda.amazonaws.com'), [shared]),
          role('two', trust('lambda.amazonaws.com')),
          role('three', trust('ec2.amazonaws.com'), [document('ec2:DescribeInstances')]),
        ],
        Policies: [
          {
            PolicyName: 'managed',
            Arn: `arn:aws:iam::${ACCOUNT}:policy/managed`,
            Path: '/',
            DefaultVersionId: 'v2',
            AttachmentCount: 0,
            PolicyVersionList: [
              { VersionId: 'v1', IsDefaultVersion: false, Document: document('iam:ListRoles') },
              { VersionId: 'v2', IsDefaultVersion: true, Document: document('s3:GetObject') },
            ],
          },
        ],
      }),
    )
    const child = runChild([file, '--documents'])
    expect(child.stderr).toBe('')
    expect(child.status).toBe(0)
    const result = JSON.parse(child.stdout) as DocumentsChildResult
    // support:DescribeCases, s3:GetObject (a user's and the managed default), ec2:DescribeInstances;
    // the managed policy's other version is never compiled.
    expect(result).toMatchObject({ identity: 3, trust: 2 })
    expect(result.documentsMs).toBeGreaterThanOrEqual(0)
  })

  it('fails with one line when an argument is missing', () => {
    const child = runChild([join(work, 'none.json')])
    expect(child.status).toBe(1)
    expect(child.stderr).toBe('bench/phases-child: usage: phases-child EXPORT (REPORT | --documents)\n')
  })
})
