import { randomUUID } from 'node:crypto'
import {
  AttachRolePolicyCommand,
  CreateRoleCommand,
  CreateUserCommand,
  IAMClient,
  ListAttachedRolePoliciesCommand,
  PutUserPolicyCommand,
} from '@aws-sdk/client-iam'
import {
  AttachPolicyCommand,
  CreateAccountCommand,
  CreateOrganizationCommand,
  CreatePolicyCommand,
  OrganizationsClient,
} from '@aws-sdk/client-organizations'
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts'
import type { GuardMode } from '#shared/pipeline/bus-events.ts'
import type { EmulatorClientConfig } from '../emulator/moto-server.ts'
import { ensureServiceLinkedRole } from '../seed/seed-account.ts'
import { loadBundles } from './bundles.ts'
import { type CloudTrailEvent, E2E_ACCOUNT_ID } from './cloudtrail-event.ts'
import { FindingsBusFollower } from './findings-bus-follower.ts'
import { applyEnvironment, buildGuardEnvironment } from './guard-environment.ts'
import { createTable } from './guard-stack.ts'
import { BUNDLE_DIR, type GuardWorld, startGuardWorld } from './guard-world.ts'
import { Pipeline } from './harness.ts'
import { mergeTraces, type PipelineTrace } from './pipeline-trace.ts'
import { SUPPORT_ACCESS_ARN } from './seed-guard-account.ts'

/** The template's logical ID of the bus member accounts forward to. */
export const INTAKE_BUS_ID = 'IntakeBus'

/** A member account of the emulated organisation, and IAM acting in it. */
export interface MemberAccount {
  readonly id: string
  readonly name: string
  readonly iam: IAMClient
}

/**
 * The central guard of a two-member organisation on the emulator: the central account (the
 * harness's usual one, also the organisation's management account) runs the stack with
 * ORGANIZATION_ID set; `workload` and `sandbox` are members, each with SupportTeam and
 * SupportEscalation roles that hold AWSSupportAccess, and the member role. An SCP attached to
 * `sandbox` denies `support:*` there.
 */
export interface OrganizationGuard {
  readonly world: GuardWorld
  readonly organizationId: string
  readonly centralAccountId: string
  readonly workload: MemberAccount
  readonly sandbox: MemberAccount
  /** An event put on the intake bus by a member's forwarding rule, then the findings bus until quiet. */
  deliverForwarded(event: CloudTrailEvent): Promise<PipelineTrace>
  /**
   * The scheduled audit: the schedule's invocation plans the run and queues one message per
   * account; each message is then handed to the audit function as its event source mapping would
   * (one per batch), and the findings bus followed. One trace for the whole run.
   */
  runOrganizationAudit(): Promise<PipelineTrace>
  /** The policies attached to a role of a member account, as IAM there lists them. */
  attachedPolicies(member: MemberAccount, roleName: string): Promise<string[]>
  stop(): Promise<void>
}

const MEMBER_ROLE_TRUST = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Principal: { AWS: `arn:aws:iam::${E2E_ACCOUNT_ID}:root` },
      Action: 'sts:AssumeRole',
    },
  ],
})

/**
 * Starts moto and the central guard's stack, creates the organisation and its members, and loads
 * the bundles with the central guard's environment. Throws EmulatorMissingError without moto.
 */
export async function startOrganizationGuard(
  options: { mode?: GuardMode; logLevel?: string } = {},
): Promise<OrganizationGuard> {
  const world = await startGuardWorld()
  try {
    const { clientConfig } = world
    const organizations = new OrganizationsClient(clientConfig)
    const created = await organizations.send(new CreateOrganizationCommand({ FeatureSet: 'ALL' }))
    const organizationId = created.Organization?.Id ?? ''
    const member = async (name: string): Promise<MemberAccount> => {
      const account = await organizations.send(
        new CreateAccountCommand({ AccountName: name, Email: `${name}@example.com` }),
      )
      const id = account.CreateAccountStatus?.AccountId ?? ''
      const iam = await iamInAccount(clientConfig, id)
      await seedMember(iam, id)
      return { id, name, iam }
    }
    const workload = await member('workload')
    const sandbox = await member('sandbox')
    await shareSupportRole(workload, sandbox)
    // Sandboxes open no support cases: an SCP the central audit must evaluate for that account.
    const scp = await organizations.send(
      new CreatePolicyCommand({
        Name: 'NoSupportInSandbox',
        Description: 'sandboxes open no support cases',
        Type: 'SERVICE_CONTROL_POLICY',
        Content: JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Deny', Action: 'support:*', Resource: '*' }],
        }),
      }),
    )
    await organizations.send(
      new AttachPolicyCommand({ PolicyId: scp.Policy?.PolicySummary?.Id ?? '', TargetId: sandbox.id }),
    )
    organizations.destroy()

    const queue = await world.sqs.createQueue('support-guard-audit')
    // The functions reach every service through the name proxy; a queue URL of the emulator's own
    // host would make the SDK warn that it differs from the client's endpoint.
    const auditQueue = { ...queue, url: new URL(new URL(queue.url).pathname, world.proxy.endpoint).href }
    const auditRunTable = 'support-guard-audit-runs'
    await createTable(
      world.dynamo,
      auditRunTable,
      [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      'expiresAt',
    )
    const environment = {
      ...buildGuardEnvironment(
        world.proxy.endpoint,
        world.stack,
        options.mode ?? 'enforce',
        options.logLevel ?? 'SILENT',
      ),
      ORGANIZATION_ID: organizationId,
      AUDIT_QUEUE_URL: auditQueue.url,
      AUDIT_RUN_TABLE_NAME: auditRunTable,
    }
    world.onStop(applyEnvironment(environment))
    const bundles = await loadBundles(BUNDLE_DIR, world.functionIds)
    const follower = new FindingsBusFollower(world.routes, world.sqs, world.stack)
    const pipeline = new Pipeline(follower, () => bundles, world.proxy.iamActions)
    return {
      world,
      organizationId,
      centralAccountId: E2E_ACCOUNT_ID,
      workload,
      sandbox,
      deliverForwarded: (event) => pipeline.deliver(event, INTAKE_BUS_ID),
      async runOrganizationAudit() {
        const traces = [await pipeline.schedule()]
        for (const message of await world.sqs.drain(auditQueue.url))
          traces.push(
            await pipeline.invoke('AuditFunction', 'audit-queue', sqsBatch(message.body, auditQueue.arn)),
          )
        return mergeTraces(traces)
      },
      async attachedPolicies(account, roleName) {
        const listed = await account.iam.send(new ListAttachedRolePoliciesCommand({ RoleName: roleName }))
        return (listed.AttachedPolicies ?? []).map((policy) => policy.PolicyArn ?? '')
      },
      stop: () => world.stop(),
    }
  } catch (error) {
    await world.stop()
    throw error
  }
}

/** An SQS event of one message, as Lambda's event source mapping delivers it (first delivery). */
function sqsBatch(body: string, queueArn: string) {
  return {
    Records: [
      {
        messageId: randomUUID(),
        receiptHandle: 'emulated',
        body,
        attributes: { ApproximateReceiveCount: '1' },
        messageAttributes: {},
        eventSource: 'aws:sqs',
        eventSourceARN: queueArn,
        awsRegion: 'us-east-1',
      },
    ],
  }
}

/**
 * The event `event` would be had its call been made in `accountId` and forwarded by `sentBy`'s
 * rule: the record names `accountId` (recipient, caller), the envelope names the sender.
 */
export function madeIn(
  event: CloudTrailEvent,
  accountId: string,
  sentBy: string = accountId,
): CloudTrailEvent {
  const text = JSON.stringify(event.detail).replaceAll(E2E_ACCOUNT_ID, accountId)
  return { ...event, account: sentBy, detail: JSON.parse(text) }
}

/**
 * IAM in another account of the emulator, through a role assumed there: moto keeps each
 * account's resources apart by the caller's key, whichever role is named.
 */
export async function iamInAccount(
  config: EmulatorClientConfig,
  accountId: string,
  roleName = 'OrganizationAccountAccessRole',
): Promise<IAMClient> {
  const sts = new STSClient(config)
  const { Credentials } = await sts.send(
    new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${accountId}:role/${roleName}`, RoleSessionName: 'seed' }),
  )
  sts.destroy()
  return new IAMClient({
    ...config,
    credentials: {
      accessKeyId: Credentials?.AccessKeyId ?? '',
      secretAccessKey: Credentials?.SecretAccessKey ?? '',
      sessionToken: Credentials?.SessionToken ?? '',
    },
  })
}

/**
 * Cross-account reach: the workload's AdminSharedSupport role (support access) trusts the sandbox
 * account, and the sandbox's `sandbox-dev` user may assume it. Support runs as the workload role,
 * so the sandbox's SCP does not stop it.
 */
async function shareSupportRole(owner: MemberAccount, reacher: MemberAccount): Promise<void> {
  await owner.iam.send(
    new CreateRoleCommand({
      RoleName: 'AdminSharedSupport',
      AssumeRolePolicyDocument: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { AWS: `arn:aws:iam::${reacher.id}:root` },
            Action: 'sts:AssumeRole',
          },
        ],
      }),
    }),
  )
  await owner.iam.send(
    new AttachRolePolicyCommand({ RoleName: 'AdminSharedSupport', PolicyArn: SUPPORT_ACCESS_ARN }),
  )
  await reacher.iam.send(new CreateUserCommand({ UserName: 'sandbox-dev' }))
  await reacher.iam.send(
    new PutUserPolicyCommand({
      UserName: 'sandbox-dev',
      PolicyName: 'assume-shared-support',
      PolicyDocument: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Action: 'sts:AssumeRole',
            Resource: `arn:aws:iam::${owner.id}:role/AdminSharedSupport`,
          },
        ],
      }),
    }),
  )
}

/**
 * A member as the guard config wants it: SupportTeam and SupportEscalation with AWSSupportAccess,
 * assumable from the member's own account, the Support service-linked role, and the member role
 * the central guard assumes.
 */
async function seedMember(iam: IAMClient, accountId: string): Promise<void> {
  const ownTrust = JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      { Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${accountId}:root` }, Action: 'sts:AssumeRole' },
    ],
  })
  for (const RoleName of ['SupportTeam', 'SupportEscalation']) {
    await iam.send(new CreateRoleCommand({ RoleName, AssumeRolePolicyDocument: ownTrust }))
    await iam.send(new AttachRolePolicyCommand({ RoleName, PolicyArn: SUPPORT_ACCESS_ARN }))
  }
  await ensureServiceLinkedRole(iam, 'support.amazonaws.com')
  await iam.send(
    new CreateRoleCommand({
      RoleName: 'SupportAccessGuardMember',
      AssumeRolePolicyDocument: MEMBER_ROLE_TRUST,
    }),
  )
}
