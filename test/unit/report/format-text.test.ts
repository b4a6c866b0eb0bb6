import { describe, expect, it } from 'vitest'
import type { FindingRecord } from '#shared/findings/finding.ts'
import type { AuditReport } from '#shared/report/audit-report.ts'
import { describeVia, formatAuditText, formatWhoCanText } from '#shared/report/format-text.ts'
import { makeTextLayout } from '#shared/report/text-layout.ts'
import type { WhoCanReport } from '#shared/report/who-can.ts'

const ACCOUNT = '123456789012'
const layout = makeTextLayout({ columns: 80, wide: false, accountId: ACCOUNT })
const wide = makeTextLayout({ columns: 80, wide: true, accountId: ACCOUNT })

const missingRequired: FindingRecord = {
  id: 'sag-0000000000000000000a',
  rule: 'SUPPORT_ACCESS_LOST',
  severity: 'high',
  accountId: ACCOUNT,
  principalArn: null,
  title: 'Required support principal SupportTeam does not exist',
  detail:
    'The guard config requires arn:aws:iam::*:role/SupportTeam to keep AWS Support access, but no user or role matches it.',
  evidence: { pattern: 'arn:aws:iam::*:role/SupportTeam' },
  remediation: { automatic: false, steps: ['Re-create the principal.'] },
}

const externalTrust: FindingRecord = {
  ...missingRequired,
  id: 'sag-0000000000000000000b',
  rule: 'SUPPORT_ACCESS_EXTERNAL_TRUST',
  principalArn: `arn:aws:iam::${ACCOUNT}:role/partners/VendorSupportAccess`,
  title: 'VendorSupportAccess has AWS Support access and can be assumed from another account',
  detail: `arn:aws:iam::${ACCOUNT}:role/partners/VendorSupportAccess can be assumed by arn:aws:iam::999988887777:root.`,
  evidence: {},
}

const report: AuditReport = {
  schemaVersion: 1,
  accountId: ACCOUNT,
  findings: [missingRequired, externalTrust],
  access: [
    {
      principalArn: `arn:aws:iam::${ACCOUNT}:role/partners/VendorSupportAccess`,
      principalType: 'role',
      decisions: {
        'support:CreateCase': 'allow',
        'support:DescribeCases': 'allow',
        'support:AddCommunicationToCase': 'conditional',
        'support:ResolveCase': 'deny',
        // Console actions are no support: action: they do not count as Support access.
        'support-console:GetAccountState': 'allow',
      },
    },
    {
      principalArn: `arn:aws:iam::${ACCOUNT}:user/console-only`,
      principalType: 'user',
      decisions: { 'support:CreateCase': 'deny', 'support-console:GetAccountState': 'allow' },
    },
  ],
}

function permitHolders(count: number): WhoCanReport {
  return {
    action: 'supportauthz:CreateSupportPermit',
    principals: Array.from({ length: count }, (_, index) => ({
      principalArn: `arn:aws:iam::${ACCOUNT}:user/admins/admin-${index}`,
      decision: 'allow' as const,
      via: ['group:Admins/arn:aws:iam::aws:policy/AdministratorAccess'],
    })),
  }
}

describe('formatAuditText', () => {
  it('names a required pattern that matches nobody where a finding names its principal', () => {
    const text = formatAuditText(report, [], { layout })
    expect(text).toMatch(
      /^ {2}SUPPORT_ACCESS_LOST {2}no principal matches arn:aws:iam::\*:role\/SupportTeam$/m,
    )
    expect(text).toMatch(/^ {2}SUPPORT_ACCESS_EXTERNAL_TRUST {2}role\/VendorSupportAccess$/m)
    expect(text).toContain('role/VendorSupportAccess can be assumed by arn:aws:iam::999988887777:root.')
  })

  it('counts support: actions only in the access table', () => {
    const text = formatAuditText(report, [], { layout })
    expect(text).toContain('Support access (1 of 2 principals hold at least one support: action)')
    expect(text).toMatch(/^ {2}role\/VendorSupportAccess\s+role\s+yes\s+yes\s+cond\s+-\s+3\/4$/m)
  })

  it('lists at most ten holders of a support control action and counts the rest', () => {
    const text = formatAuditText(report, [], {
      layout: { ...layout, width: 120 },
      whoCan: [permitHolders(14)],
    })
    expect(text).toContain(
      'Who can create support permits (supportauthz:CreateSupportPermit): 14 principal(s)',
    )
    expect(text).toMatch(/^ {2}user\/admin-9\s+allow\s+group:Admins\/aws:policy\/AdministratorAccess$/m)
    expect(text).not.toContain('user/admin-10')
    expect(text).toContain(
      '… and 4 more: support-guard who-can supportauthz:CreateSupportPermit lists them all',
    )
    expect(text).not.toContain('Who can change the Support plan')
  })

  it('says when nobody holds a support control action', () => {
    const text = formatAuditText(report, [], { layout, whoCan: [permitHolders(0)] })
    expect(text).toContain('Who can create support permits (supportauthz:CreateSupportPermit): nobody')
  })

  it('wraps every part to the width and keeps full ARNs when wide', () => {
    for (const width of [30, 50, 80]) {
      const text = formatAuditText(
        report,
        [{ policy: `arn:aws:iam::${ACCOUNT}:policy/x`, path: 'Statement[0]', message: 'a '.repeat(80) }],
        {
          layout: { ...layout, width },
          whoCan: [permitHolders(3)],
        },
      )
      for (const line of text.split('\n')) expect(line.length, line).toBeLessThanOrEqual(width)
    }
    const text = formatAuditText(report, [], { layout: wide })
    expect(text).toContain(`arn:aws:iam::${ACCOUNT}:role/partners/VendorSupportAccess`)
    expect(text.split('\n')[0]).toBe(`Support Access Guard audit of account ${ACCOUNT}`)
  })
})

describe('describeVia', () => {
  it.each([
    [
      ['arn:aws:iam::aws:policy/AWSSupportAccess', 'inline:Extra'],
      'aws:policy/AWSSupportAccess, inline:Extra',
    ],
    [
      [`assumes arn:aws:iam::${ACCOUNT}:role/teams/SupportTeam`, 'arn:aws:iam::aws:policy/AWSSupportAccess'],
      'assumes role/SupportTeam: aws:policy/AWSSupportAccess',
    ],
    [
      [
        `assumes arn:aws:iam::${ACCOUNT}:role/A`,
        'inline:One',
        'inline:Two',
        `assumes arn:aws:iam::${ACCOUNT}:role/B`,
        `arn:aws:iam::${ACCOUNT}:policy/path/Three`,
      ],
      'assumes role/A: inline:One, inline:Two; assumes role/B: policy/Three',
    ],
  ])('%j reads %j', (via, text) => {
    expect(describeVia(via, layout)).toBe(text)
  })
})

describe('formatWhoCanText', () => {
  it('counts who holds the action through a role', () => {
    const text = formatWhoCanText(
      {
        action: 'support:CreateCase',
        principals: [
          {
            principalArn: `arn:aws:iam::${ACCOUNT}:user/alice`,
            decision: 'allow',
            via: [
              `assumes arn:aws:iam::${ACCOUNT}:role/SupportTeam`,
              'arn:aws:iam::aws:policy/AWSSupportAccess',
            ],
          },
          {
            principalArn: `arn:aws:iam::${ACCOUNT}:role/SupportTeam`,
            decision: 'allow',
            via: ['arn:aws:iam::aws:policy/AWSSupportAccess'],
          },
        ],
      },
      ACCOUNT,
      layout,
    )
    expect(text.split('\n').slice(0, 2)).toEqual([
      `Account ${ACCOUNT} (short names; --wide prints full ARNs)`,
      '2 principal(s) can call support:CreateCase, 1 of them by assuming a role',
    ])
  })

  it('says when nobody is allowed the action', () => {
    expect(formatWhoCanText({ action: 'support:CreateCase', principals: [] }, ACCOUNT, wide)).toBe(
      `Account ${ACCOUNT}\nNo principal is allowed support:CreateCase.\n`,
    )
  })
})
