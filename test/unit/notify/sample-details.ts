import type { RuleId } from '#shared/config/rules.ts'
import { DEFAULT_SEVERITY } from '#shared/config/rules.ts'
import type {
  ChangeSummary,
  FindingEventDetail,
  RemediationEventDetail,
} from '#shared/pipeline/bus-events.ts'
import type { RemediationStep } from '#shared/pipeline/remediation-steps.ts'

const ACCOUNT = '123456789012'

export const ACTOR = `arn:aws:iam::${ACCOUNT}:user/contractor-temp`
export const SOURCE_IP = '192.0.2.201'
export const EVENT_TIME = '2025-03-26T20:44:37Z'

/** A change as detect summarizes it: who, when, from where, and the request parameters. */
export function makeChange(overrides: Partial<ChangeSummary> = {}): ChangeSummary {
  return {
    eventName: 'DetachRolePolicy',
    eventId: 'ebfff22f-6590-4523-ab63-7a1fc5779580',
    eventTime: EVENT_TIME,
    actorArn: ACTOR,
    sourceIp: SOURCE_IP,
    userAgent: 'aws-cli/2.22.35 md/command#iam.detach-role-policy',
    failed: false,
    targets: [`arn:aws:iam::${ACCOUNT}:role/SupportTeam`],
    parameters: { roleName: 'SupportTeam', policyArn: 'arn:aws:iam::aws:policy/AWSSupportAccess' },
    ...overrides,
  }
}

interface RuleSample {
  readonly principalArn: string
  readonly title: string
  readonly change?: ChangeSummary
  readonly plan?: readonly RemediationStep[]
}

const SUPPORT_TEAM = `arn:aws:iam::${ACCOUNT}:role/SupportTeam`
const APP_ROLE = `arn:aws:iam::${ACCOUNT}:role/AWSSupportAppRole`

/** One realistic finding per rule: the change that triggers it (absent for audit-only rules). */
export const RULE_SAMPLES: Readonly<Record<RuleId, RuleSample>> = {
  SLR_DELETION_ATTEMPT: {
    principalArn: `arn:aws:iam::${ACCOUNT}:role/aws-service-role/support.amazonaws.com/AWSServiceRoleForSupport`,
    title: 'AWSServiceRoleForSupport deletion attempted',
    change: makeChange({
      eventName: 'DeleteServiceLinkedRole',
      failed: true,
      errorCode: 'UnmodifiableEntity',
      targets: [
        `arn:aws:iam::${ACCOUNT}:role/aws-service-role/support.amazonaws.com/AWSServiceRoleForSupport`,
      ],
      parameters: { roleName: 'AWSServiceRoleForSupport' },
    }),
  },
  SLR_MISSING: {
    principalArn: `arn:aws:iam::${ACCOUNT}:root`,
    title: 'AWSServiceRoleForServiceQuotas is missing while a Support App role exists',
    plan: [{ action: 'create-service-linked-role', awsServiceName: 'servicequotas.amazonaws.com' }],
  },
  NO_SUPPORT_ROLE: {
    principalArn: `arn:aws:iam::${ACCOUNT}:root`,
    title: 'No user or role is allowed the core support actions',
  },
  SUPPORT_ACCESS_LOST: {
    principalArn: SUPPORT_TEAM,
    title: 'SupportTeam no longer has support access',
    change: makeChange(),
    plan: [
      {
        action: 'attach-policy',
        principalType: 'role',
        principalName: 'SupportTeam',
        policyArn: 'arn:aws:iam::aws:policy/AWSSupportAccess',
      },
    ],
  },
  SUPPORT_ACCESS_GRANTED: {
    principalArn: ACTOR,
    title: 'contractor-temp gained support access outside the allowlist',
    change: makeChange({
      eventName: 'AttachUserPolicy',
      targets: [ACTOR],
      parameters: { userName: 'contractor-temp', policyArn: 'arn:aws:iam::aws:policy/AWSSupportAccess' },
    }),
  },
  SUPPORT_ACCESS_EXTERNAL_TRUST: {
    principalArn: `arn:aws:iam::${ACCOUNT}:role/PartnerSupportAccess`,
    title: 'PartnerSupportAccess has support access and is assumable by account 210987654321',
    change: makeChange({
      eventName: 'CreateRole',
      actorArn: `arn:aws:iam::${ACCOUNT}:role/deploy-pipeline`,
      sourceIp: 'cloudformation.amazonaws.com',
      targets: [`arn:aws:iam::${ACCOUNT}:role/PartnerSupportAccess`],
      parameters: { roleName: 'PartnerSupportAccess' },
    }),
  },
  SUPPORT_APP_TRUST_INVALID: {
    principalArn: APP_ROLE,
    title: 'AWSSupportAppRole trusts principals other than supportapp.amazonaws.com',
    change: makeChange({
      eventName: 'UpdateAssumeRolePolicy',
      targets: [APP_ROLE],
      parameters: {
        roleName: 'AWSSupportAppRole',
        policyDocument: encodeURIComponent(
          JSON.stringify({
            Version: '2012-10-17',
            Statement: [{ Effect: 'Allow', Principal: { AWS: '210987654321' }, Action: 'sts:AssumeRole' }],
          }),
        ),
      },
    }),
    plan: [
      {
        action: 'update-trust-policy',
        roleName: 'AWSSupportAppRole',
        document: {
          Version: '2012-10-17',
          Statement: [
            { Effect: 'Allow', Principal: { Service: 'supportapp.amazonaws.com' }, Action: 'sts:AssumeRole' },
          ],
        },
      },
    ],
  },
  SUPPORT_APP_MISSING_PERMISSIONS: {
    principalArn: APP_ROLE,
    title: 'AWSSupportAppRole lacks 3 actions the Support App needs in full mode',
    change: makeChange({
      eventName: 'DetachRolePolicy',
      targets: [APP_ROLE],
      parameters: {
        roleName: 'AWSSupportAppRole',
        policyArn: 'arn:aws:iam::aws:policy/AWSSupportAppFullAccess',
      },
    }),
  },
  SUPPORT_APP_EXCESSIVE_PERMISSIONS: {
    principalArn: APP_ROLE,
    title: 'AWSSupportAppRole is allowed actions beyond what the Support App needs',
    change: makeChange({
      eventName: 'AttachRolePolicy',
      targets: [APP_ROLE],
      parameters: { roleName: 'AWSSupportAppRole', policyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' },
    }),
    plan: [
      {
        action: 'detach-policy',
        principalType: 'role',
        principalName: 'AWSSupportAppRole',
        policyArn: 'arn:aws:iam::aws:policy/AdministratorAccess',
      },
    ],
  },
  SUPPORT_APP_UNSCOPED_SLR_CREATION: {
    principalArn: APP_ROLE,
    title: 'AWSSupportAppRole may create any service-linked role',
    change: makeChange({
      eventName: 'PutRolePolicy',
      targets: [APP_ROLE],
      parameters: {
        roleName: 'AWSSupportAppRole',
        policyName: 'CreateSlr',
        policyDocument:
          '{"Statement":[{"Effect":"Allow","Action":"iam:CreateServiceLinkedRole","Resource":"*"}]}',
      },
    }),
  },
  SUPPORT_CONSOLE_ACCESS_MISSING: {
    principalArn: SUPPORT_TEAM,
    title: 'SupportTeam cannot use the Support Center console',
  },
  SUPPORT_PERMIT_CREATED: {
    principalArn: ACTOR,
    title: 'Unbounded support permit case-7 created by contractor-temp',
    change: makeChange({
      eventName: 'CreateSupportPermit',
      targets: [`arn:aws:supportauthz:us-east-1:${ACCOUNT}:supportpermit/case-7`],
      parameters: {},
    }),
  },
  SUPPORT_PLAN_CHANGED: {
    principalArn: ACTOR,
    title: 'Support plan change started by contractor-temp',
    change: makeChange({ eventName: 'StartSupportPlanUpdate', targets: [], parameters: {} }),
  },
  SUPPORT_RESOURCE_SCOPE_INEFFECTIVE: {
    principalArn: `arn:aws:iam::${ACCOUNT}:policy/SupportCasesScoped`,
    title: 'SupportCasesScoped names support actions on a resource other than *: it grants nothing',
  },
  GUARD_ROLE_CHANGED: {
    principalArn: `arn:aws:iam::${ACCOUNT}:role/SupportAccessGuardMember`,
    title: "UpdateAssumeRolePolicy on the guard's SupportAccessGuardMember by ops-admin",
    change: makeChange({
      eventName: 'UpdateAssumeRolePolicy',
      targets: [`arn:aws:iam::${ACCOUNT}:role/SupportAccessGuardMember`],
      parameters: { roleName: 'SupportAccessGuardMember' },
    }),
  },
}

/** The finding event detail for a rule, in the given mode. */
export function makeFindingDetail(
  rule: RuleId,
  mode: FindingEventDetail['mode'] = 'monitor',
  overrides: Partial<FindingEventDetail> = {},
): FindingEventDetail {
  const sample = RULE_SAMPLES[rule]
  const planned = sample.plan !== undefined
  return {
    id: `sag-${rule.toLowerCase().replaceAll('_', '').slice(0, 20)}`,
    rule,
    severity: DEFAULT_SEVERITY[rule],
    accountId: ACCOUNT,
    principalArn: sample.principalArn,
    title: sample.title,
    detail: `Detail for ${rule}: what the guard found and why it matters.`,
    evidence: { rule, checked: ['support:CreateCase', 'support:DescribeCases'] },
    remediation: {
      automatic: planned,
      steps: [`Manual step for ${rule}.`],
    },
    mode,
    ...(sample.change === undefined ? {} : { change: sample.change }),
    ...(sample.plan === undefined
      ? {}
      : { plan: { steps: sample.plan, reason: `Undo the change behind ${rule}.` } }),
    ...overrides,
  }
}

/** A remediation event detail for the SUPPORT_ACCESS_LOST revert (re-attach AWSSupportAccess). */
export function makeRemediationDetail(
  overrides: Partial<RemediationEventDetail> = {},
): RemediationEventDetail {
  return {
    findingId: 'sag-supportaccesslost',
    rule: 'SUPPORT_ACCESS_LOST',
    severity: 'high',
    accountId: ACCOUNT,
    principalArn: SUPPORT_TEAM,
    title: 'SupportTeam no longer has support access',
    outcome: 'reverted',
    steps: [
      {
        action: 'attach-policy',
        principalType: 'role',
        principalName: 'SupportTeam',
        policyArn: 'arn:aws:iam::aws:policy/AWSSupportAccess',
      },
    ],
    reason: 'AWSSupportAccess was detached from the required support role SupportTeam.',
    change: makeChange(),
    ...overrides,
  }
}

/**
 * A policy document whose compact JSON is exactly `length` characters (at least 120): support
 * statements, the last one's `Sid` padded to the length. Its final statement holds `TAIL_SID`.
 */
export function makeLongDocument(length: number): { Version: string; Statement: Record<string, unknown>[] } {
  const statement = (index: number) => ({
    Sid: `Stmt${index}`,
    Effect: 'Allow',
    Action: [`support:Describe${index}`, 'support:CreateCase'],
    Resource: '*',
  })
  const document = { Version: '2012-10-17', Statement: [] as Record<string, unknown>[] }
  const last = { Sid: TAIL_SID, Effect: 'Allow', Action: 'support:ResolveCase', Resource: '*' }
  document.Statement.push(last)
  while (JSON.stringify(document).length + 120 < length) {
    document.Statement.splice(document.Statement.length - 1, 0, statement(document.Statement.length))
  }
  last.Sid = `${TAIL_SID}${'x'.repeat(length - JSON.stringify(document).length)}`
  return document
}

/** The `Sid` that starts the last statement of `makeLongDocument`. */
export const TAIL_SID = 'TailStatement'
