import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { parseGuardConfig } from '#shared/config/guard-config.ts'
import { evaluateAccount } from '#shared/evaluator/evaluate-account.ts'
import { patternOf } from '#shared/findings/evidence.ts'
import type { FindingOf } from '#shared/findings/finding.ts'
import { formatFindingNotification } from '#shared/notify/format-notification.ts'
import { FINDING_DETAIL_TYPE, GUARD_EVENT_SOURCE, parseGuardBusEvent } from '#shared/pipeline/bus-events.ts'
import { findWithheldReason } from '#shared/pipeline/enforcement.ts'
import { runPostureRules } from '#shared/posture/run-posture-rules.ts'
import type { AccountSnapshot } from '#shared/snapshot/types.ts'
import { ACCOUNT_ID, makeRole, SUPPORT_ACCESS } from '../helpers/example-account.ts'

const TEAM = 'arn:aws:iam::*:role/SupportTeam'
const ESCALATION = 'arn:aws:iam::*:role/Escalation*'
const config = parseGuardConfig({ mode: 'enforce', supportPrincipals: { required: [TEAM, ESCALATION] } })

const snapshot: AccountSnapshot = {
  accountId: ACCOUNT_ID,
  users: [],
  groups: [],
  roles: [makeRole('Admin', { attached: [SUPPORT_ACCESS] })],
  policies: [],
  slackChannelConfigurations: [],
}

function patternFindings(partial = false): FindingOf<'SUPPORT_ACCESS_LOST'>[] {
  return runPostureRules(evaluateAccount(snapshot), config, { partial }).filter(
    (finding) => finding.rule === 'SUPPORT_ACCESS_LOST',
  )
}

/** The ID the finding had while the pattern stood as its subject: hash of account, rule, subject, no discriminator. */
function formerId(pattern: string): string {
  const digest = createHash('sha256').update(`${ACCOUNT_ID}\nSUPPORT_ACCESS_LOST\n${pattern}\n`).digest('hex')
  return `sag-${digest.slice(0, 20)}`
}

describe('a required pattern that matches no principal', () => {
  it('gives SUPPORT_ACCESS_LOST with principalArn null and the pattern in the evidence', () => {
    const found = patternFindings()
    expect(found.map((finding) => [finding.principalArn, patternOf(finding.evidence)])).toEqual([
      [null, TEAM],
      [null, ESCALATION],
    ])
    expect(found[0]?.title).toBe('Required support principal SupportTeam does not exist')
  })

  it('keeps one stable ID per pattern, the same as before the pattern left principalArn', () => {
    const [first, second] = [patternFindings(), patternFindings()]
    expect(second.map((finding) => finding.id)).toEqual(first.map((finding) => finding.id))
    expect(first.map((finding) => finding.id)).toEqual([formerId(TEAM), formerId(ESCALATION)])
    expect(new Set(first.map((finding) => finding.id)).size).toBe(2)
  })

  it('is left to the whole-account audit: a partial evaluation cannot know nobody matches', () => {
    expect(patternFindings(true)).toEqual([])
  })

  it('travels on the findings bus, and its notification names the pattern instead of a principal', () => {
    const [finding] = patternFindings()
    if (!finding) throw new Error('expected a finding')
    const event = parseGuardBusEvent({
      source: GUARD_EVENT_SOURCE,
      'detail-type': FINDING_DETAIL_TYPE,
      id: 'delivery-1',
      detail: { ...finding, mode: 'enforce' },
    })
    if (event['detail-type'] !== FINDING_DETAIL_TYPE) throw new Error('expected a finding event')
    expect(event.detail.principalArn).toBeNull()
    const notification = formatFindingNotification(event.detail)
    expect(notification.body).toContain(`Principal: none (no user or role matches ${TEAM})`)
    expect(notification.body).not.toContain('null')
  })

  it('is never enforced: nothing can be written for a principal that does not exist', () => {
    const [finding] = patternFindings()
    if (!finding) throw new Error('expected a finding')
    const steps = [
      {
        action: 'attach-policy' as const,
        principalType: 'role' as const,
        principalName: 'SupportTeam',
        policyArn: SUPPORT_ACCESS,
      },
    ]
    expect(findWithheldReason({ finding, steps, state: snapshot, baselined: false }, config)).toMatch(
      /names no user or role/,
    )
  })
})
