import type { AccountBuilder } from './account-builder.ts'
import type { PolicyDocumentJson, RawAttachedPolicy, RawRole, RawSlackChannel } from './account-types.ts'
import { buildTrustPolicy, type TrustKind, trustService } from './aws-documents.ts'
import { buildDocument } from './policy-templates.ts'

/** The roles of a synthetic account: service-linked, Support App, and the everyday kinds. */

const SLR = [
  {
    name: 'AWSServiceRoleForSupport',
    service: 'support.amazonaws.com',
    policy: 'AWSSupportServiceRolePolicy',
  },
  {
    name: 'AWSServiceRoleForTrustedAdvisor',
    service: 'trustedadvisor.amazonaws.com',
    policy: 'AWSTrustedAdvisorServiceRolePolicy',
  },
  {
    name: 'AWSServiceRoleForServiceQuotas',
    service: 'servicequotas.amazonaws.com',
    policy: 'ServiceQuotasServiceRolePolicy',
  },
]
const PERMISSION_SETS = ['Admin', 'PowerUser', 'ReadOnly', 'SupportCases', 'SupportDescribe', 'Contractor']

function buildRole(
  builder: AccountBuilder,
  name: string,
  path: string,
  trust: PolicyDocumentJson,
  attached: RawAttachedPolicy[],
  inlineCount: number,
  withBoundary: boolean,
): RawRole {
  return {
    Path: path,
    RoleName: name,
    RoleId: builder.id('AROA'),
    Arn: builder.arn('role', path, name),
    CreateDate: builder.date(),
    AssumeRolePolicyDocument: builder.encode(trust),
    RolePolicyList: builder.inline(inlineCount),
    AttachedManagedPolicies: attached,
    ...(withBoundary ? builder.boundary() : {}),
    Tags: builder.tags(),
  }
}

export function buildFixedRoles(
  builder: AccountBuilder,
  supportAppRoles: number,
  channels: RawSlackChannel[],
): RawRole[] {
  const roles = SLR.map((slr) =>
    buildRole(
      builder,
      slr.name,
      `/aws-service-role/${slr.service}/`,
      trustService(slr.service),
      [builder.aws(slr.policy)],
      0,
      false,
    ),
  )
  const rootTrust = buildDocument({
    Effect: 'Allow',
    Principal: { AWS: `arn:aws:iam::${builder.accountId}:root` },
    Action: 'sts:AssumeRole',
  })
  roles.push(buildRole(builder, 'SupportTeam', '/', rootTrust, [builder.aws('AWSSupportAccess')], 0, false))
  for (let index = 0; index < supportAppRoles; index++) {
    const readOnly = index === 1
    const attached = [builder.aws(readOnly ? 'AWSSupportAppReadOnlyAccess' : 'AWSSupportAppFullAccess')]
    if (index === 2) attached.push(builder.aws('AWSSupportAccess'))
    const trust = trustService('supportapp.amazonaws.com')
    if (index === 3) trust.Statement = [rootTrust.Statement, trust.Statement].flat()
    const name =
      index === 0
        ? 'AWSSupportAppRole'
        : readOnly
          ? 'AWSSupportAppReadOnlyRole'
          : `AWSSupportAppRole-${index}`
    const role = buildRole(builder, name, '/', trust, attached, 0, false)
    roles.push(role)
    channels.push({
      teamId: 'T012EXAMPLE',
      channelId: `C0${1000 + index}EXAMPLE`,
      channelName: `support-${index}`,
      channelRoleArn: role.Arn,
      notifyOnCaseSeverity: 'high',
    })
  }
  return roles
}

export function buildRoles(builder: AccountBuilder, count: number): RawRole[] {
  const { random } = builder
  const roles: RawRole[] = []
  for (let index = 0; index < count; index++) {
    const roll = random.next()
    const attached: RawAttachedPolicy[] = []
    let trust: TrustKind = 'service'
    let path = '/'
    let name = `workload-${index}`
    let inlineCount = random.chance(0.6) ? random.int(1, 2) : 0
    let boundaryShare = 0.15
    if (roll < 0.55) {
      for (let count = random.int(1, 3); count > 0; count--) attached.push(builder.fromFamily('app'))
      if (random.chance(0.05)) attached.push(builder.fromFamily('read-only-copy'))
      if (random.chance(0.03)) attached.push(builder.fromFamily('support-describe'))
      if (random.chance(0.02)) attached.push(builder.aws('AdministratorAccess'))
    } else if (roll < 0.8) {
      const set = random.pick(PERMISSION_SETS)
      trust = 'federated'
      path = '/aws-reserved/sso.amazonaws.com/'
      name = `AWSReservedSSO_${set}_${index.toString(16).padStart(16, '0')}`
      inlineCount = random.chance(0.3) ? 1 : 0
      boundaryShare = 0
      if (set === 'Admin') attached.push(builder.aws('AdministratorAccess'))
      else if (set === 'PowerUser') attached.push(builder.aws('PowerUserAccess'))
      else if (set === 'ReadOnly') attached.push(builder.fromFamily('read-only-copy'))
      else if (set === 'SupportCases')
        attached.push(builder.fromFamily('support-cases'), builder.aws('AWSSupportAccess'))
      else if (set === 'SupportDescribe') attached.push(builder.fromFamily('support-describe'))
      else attached.push(builder.fromFamily('contractor'))
    } else if (roll < 0.92) {
      trust = 'other-account'
      name = `cross-account-${index}`
      boundaryShare = 0.2
      const grant = random.next()
      if (grant < 0.1) attached.push(builder.aws('AWSSupportAccess'))
      else if (grant < 0.15) attached.push(builder.aws('AdministratorAccess'))
      else attached.push(builder.fromFamily(grant < 0.6 ? 'read-only-copy' : 'support-describe'))
    } else if (roll < 0.98) {
      trust = random.chance(0.5) ? 'account-root' : 'federated'
      name = `deploy-${index}`
      boundaryShare = 0.5
      attached.push(builder.fromFamily(random.chance(0.6) ? 'power-user-copy' : 'admin-from-office'))
      if (random.chance(0.2)) attached.push(builder.aws('AdministratorAccess'))
    } else if (roll < 0.995) {
      trust = 'anyone'
      name = `shared-${index}`
      attached.push(
        random.chance(0.5) ? builder.aws('AWSSupportAccess') : builder.fromFamily('support-describe'),
      )
    } else {
      trust = 'account-root'
      name = `break-glass-${index}`
      attached.push(builder.aws('AdministratorAccess'))
      boundaryShare = 1
    }
    const scaledInline = builder.inlineCount(inlineCount)
    const scaledAttached = builder.scaleAttached(attached)
    const document = buildTrustPolicy(trust, random, builder.accountId)
    const bounded = builder.bounded(boundaryShare)
    roles.push(buildRole(builder, name, path, document, scaledAttached, scaledInline, bounded))
  }
  return roles
}
