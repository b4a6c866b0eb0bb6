import type { GuardConfig } from '#shared/config/guard-config.ts'
import { type AccountEvaluation, evaluateAccount } from '#shared/evaluator/evaluate-account.ts'
import type { ExternalRole } from '#shared/evaluator/reachability.ts'
import type { Finding } from '#shared/findings/finding.ts'
import { runPostureRules } from '#shared/posture/run-posture-rules.ts'
import { SnapshotReader } from '#shared/snapshot/snapshot-reader.ts'
import type { AccountSnapshot } from '#shared/snapshot/types.ts'
import type { Baseline } from './baseline.ts'
import { FINDING_DETAIL_TYPE, type FindingEventDetail, type GuardMode } from './bus-events.ts'
import { findWithheldReason } from './enforcement.ts'
import { planDriftRestore, planServiceQuotasRecreate } from './plan-remediation.ts'
import type { BaselineStore, CoreLogger, FindingsPublisher } from './ports.ts'
import { captureProtectedBaselines, principalsWithFindings } from './protected-baselines.ts'
import { readState } from './read-change-state.ts'
import type { RemediationPlan } from './remediation-steps.ts'

export interface AuditDeps {
  readonly readSnapshot: () => Promise<AccountSnapshot>
  readonly publisher: FindingsPublisher
  readonly baselines: BaselineStore
  readonly config: GuardConfig
  readonly mode: GuardMode
  readonly logger: CoreLogger
  readonly now: () => Date
  /**
   * The roles of other accounts this account's principals may reach (the central guard of an
   * organisation); called once the account is evaluated, so it can also record what this account
   * exposes to the others.
   */
  readonly externalSupportRoles?: (evaluation: AccountEvaluation) => Promise<readonly ExternalRole[]>
}

export interface AuditSummary {
  readonly accountId: string
  readonly principals: number
  readonly findings: readonly FindingEventDetail[]
  readonly baselinesWritten: number
}

/**
 * The scheduled audit: evaluates the whole account, publishes every finding (with a
 * baseline restore plan for protected principals that drifted while no event reported it)
 * and refreshes the baselines of protected principals that are compliant.
 */
export async function runScheduledAudit(deps: AuditDeps): Promise<AuditSummary> {
  const snapshot = await deps.readSnapshot()
  const evaluation = evaluateAccount(snapshot)
  const externalSupportRoles = deps.externalSupportRoles ? await deps.externalSupportRoles(evaluation) : []
  const findings = runPostureRules(evaluation, deps.config, { externalSupportRoles })
  const baselines = new Map(
    (await deps.baselines.list(snapshot.accountId)).map((baseline) => [baseline.principalArn, baseline]),
  )
  const reader = new SnapshotReader(snapshot)
  const details: FindingEventDetail[] = []
  for (const finding of findings) {
    const plan =
      finding.rule === 'SLR_MISSING' && finding.remediation.automatic
        ? planServiceQuotasRecreate()
        : await planRestore(finding, snapshot, reader, baselines, deps.config)
    const withheld = plan
      ? findWithheldReason(
          {
            finding,
            steps: plan.steps,
            state: snapshot,
            baselined: finding.principalArn !== null && baselines.has(finding.principalArn),
          },
          deps.config,
        )
      : undefined
    details.push({
      ...finding,
      remediation: { ...finding.remediation, automatic: plan !== undefined && withheld === undefined },
      mode: deps.mode,
      ...(plan ? { plan } : {}),
      ...(withheld ? { withheld } : {}),
    })
  }
  if (details.length > 0)
    await deps.publisher.publish(details.map((detail) => ({ detailType: FINDING_DETAIL_TYPE, detail })))
  const fresh = captureProtectedBaselines(snapshot, deps.config, {
    recordedAt: deps.now().toISOString(),
    source: 'audit',
    exclude: principalsWithFindings(findings),
    compiled: evaluation.account,
  })
  for (const baseline of fresh) await deps.baselines.put(baseline)
  const written = fresh.length
  deps.logger.info('audit finished', {
    accountId: snapshot.accountId,
    findings: details.length,
    baselinesWritten: written,
  })
  return {
    accountId: snapshot.accountId,
    principals: evaluation.principals.length,
    findings: details,
    baselinesWritten: written,
  }
}

/**
 * A restore plan for a protected principal's finding: the fewest baseline elements that clear
 * it in memory. The check runs on that principal's part of the account (its groups and
 * policies), not on the whole account again.
 */
async function planRestore(
  finding: Finding,
  snapshot: AccountSnapshot,
  reader: SnapshotReader,
  baselines: ReadonlyMap<string, Baseline>,
  config: GuardConfig,
): Promise<RemediationPlan | undefined> {
  // A finding about a config pattern names no principal: there is no baseline to restore.
  if (finding.principalArn === null) return undefined
  const baseline = baselines.get(finding.principalArn)
  if (!baseline) return undefined
  const current = [...snapshot.roles, ...snapshot.users].find((record) => record.arn === finding.principalArn)
  if (!current) return undefined
  const targets = {
    roles: new Set(current.kind === 'role' ? [current.name] : []),
    users: new Set(current.kind === 'user' ? [current.name] : []),
    groups: new Set([...(baseline.groups ?? []), ...(current.kind === 'user' ? current.groups : [])]),
    policies: new Set([...baseline.attached, ...(baseline.boundaryArn ? [baseline.boundaryArn] : [])]),
  }
  const state = await readState(snapshot.accountId, targets, reader)
  return planDriftRestore(
    finding.id,
    current,
    baseline,
    {
      ...state,
      slackChannelConfigurations: snapshot.slackChannelConfigurations,
    },
    config,
  )
}
