import { describe, expect, it, vi } from 'vitest'
import { parseChangeEvent } from '#shared/events/parse-change-event.ts'
import type { ParseOutcome } from '#shared/events/types.ts'
import { detectChange } from '#shared/pipeline/detect-change.ts'
import type { AccountReader } from '#shared/snapshot/account-reader.ts'
import { SnapshotReader } from '#shared/snapshot/snapshot-reader.ts'
import type { AccountSnapshot, ManagedPolicyRecord } from '#shared/snapshot/types.ts'
import { applyChange, buildDetectHarness } from '../helpers/detect-harness.ts'
import {
  allowDocument,
  findRole,
  loadExampleConfig,
  loadExampleSnapshot,
  makePolicy,
  withEntities,
} from '../helpers/example-account.ts'
import { loadEvent } from '../helpers/sample-events.ts'

const POLICY_ARN = 'arn:aws:iam::123456789012:policy/SupportTeamAccess'
const config = loadExampleConfig()
const example = loadExampleSnapshot()
const supportTeam = findRole(example, 'SupportTeam')
const fullSupport = allowDocument(['support:*', 'support-console:*'])
const noSupport = allowDocument('trustedadvisor:Describe*')

/** SupportTeam holds only SupportTeamAccess, whose default version `v3` grants support. */
function accountWithDefault(defaultVersionId: string): AccountSnapshot {
  return withEntities(example, {
    roles: [{ ...supportTeam, attached: [{ arn: POLICY_ARN, name: 'SupportTeamAccess' }] }],
    policies: [makePolicy('SupportTeamAccess', { v2: noSupport, v3: fullSupport }, defaultVersionId)],
  })
}

/** Serves managed policies the way IAM's GetPolicy does: with the default version only. */
function defaultVersionOnly(
  snapshot: AccountSnapshot,
  readPolicyVersion?: AccountReader['readPolicyVersion'],
) {
  const reader = new SnapshotReader(snapshot)
  return Object.assign(reader, {
    readManagedPolicy: async (arn: string): Promise<ManagedPolicyRecord | undefined> => {
      const policy = await new SnapshotReader(snapshot).readManagedPolicy(arn)
      return policy && { ...policy, versions: policy.versions.filter((version) => version.isDefault) }
    },
    readPolicyVersion: vi.fn(
      readPolicyVersion ??
        ((arn: string, id: string) => new SnapshotReader(snapshot).readPolicyVersion(arn, id)),
    ),
  })
}

function changeOf(file: string): ParseOutcome & { status: 'change' } {
  const outcome = parseChangeEvent(loadEvent(file))
  if (outcome.status !== 'change') throw new Error(`${file} is not a change`)
  return outcome
}

async function judge(
  file: string,
  before: AccountSnapshot,
  readPolicyVersion?: AccountReader['readPolicyVersion'],
) {
  const outcome = changeOf(file)
  const after = applyChange(before, outcome.change)
  const harness = buildDetectHarness({ before, after, config })
  const reader = defaultVersionOnly(after, readPolicyVersion)
  const result = await detectChange(outcome, { ...harness.deps, reader })
  return { result, reader, lost: result.findings.find((finding) => finding.rule === 'SUPPORT_ACCESS_LOST') }
}

describe('policy version changes', () => {
  it('CreatePolicyVersion (setAsDefault) dropping support → set-default-policy-version to the baseline version', async () => {
    const { lost, reader } = await judge('create-policy-version.json', accountWithDefault('v3'))
    expect(lost?.principalArn).toBe(supportTeam.arn)
    expect(lost?.plan?.steps).toEqual([
      { action: 'set-default-policy-version', policyArn: POLICY_ARN, versionId: 'v3' },
    ])
    // The prior document is read on its own: GetPolicy returns only the new default.
    expect(reader.readPolicyVersion).toHaveBeenCalledWith(POLICY_ARN, 'v3')
  })

  it('SetDefaultPolicyVersion to a version without support → back to the baseline version', async () => {
    const { lost } = await judge('set-default-policy-version.json', accountWithDefault('v3'))
    expect(lost?.plan?.steps).toEqual([
      { action: 'set-default-policy-version', policyArn: POLICY_ARN, versionId: 'v3' },
    ])
  })

  it('offers no plan when the prior version document cannot be read (the revert could not be checked)', async () => {
    const { lost } = await judge(
      'create-policy-version.json',
      accountWithDefault('v3'),
      async () => undefined,
    )
    expect(lost?.principalArn).toBe(supportTeam.arn)
    expect(lost?.plan).toBeUndefined()
    expect(lost?.remediation.automatic).toBe(false)
  })

  it('offers no plan when no holder had a baseline version of the policy', async () => {
    const before = accountWithDefault('v3')
    const outcome = changeOf('create-policy-version.json')
    const after = applyChange(before, outcome.change)
    const harness = buildDetectHarness({ baselines: [], after, config })
    const { findings } = await detectChange(outcome, harness.deps)
    expect(findings.find((finding) => finding.rule === 'SUPPORT_ACCESS_LOST')?.plan).toBeUndefined()
  })
})
