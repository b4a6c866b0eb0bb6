import type { PolicyIssue } from '#shared/policy/types.ts'
import type { SnapshotIssue } from './types.ts'

/**
 * True for an issue that left a whole entry of the export out of the audit (a user, group, role,
 * managed policy, Slack channel configuration or SCP), as opposed to one evaluated as granting
 * nothing. Reports list the two apart: "Skipped" and "Policies evaluated as granting nothing".
 */
export function isSkippedEntry(issue: PolicyIssue): issue is SnapshotIssue {
  return (issue as Partial<SnapshotIssue>).skipped === true
}
