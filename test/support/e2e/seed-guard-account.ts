import {
  AttachRolePolicyCommand,
  CreatePolicyCommand,
  CreateRoleCommand,
  CreateUserCommand,
  type IAMClient,
} from '@aws-sdk/client-iam'
import { type DemoAccountSummary, SeedError, seedDemoAccount } from '../seed/seed-account.ts'
import { E2E_ACCOUNT_ID } from './cloudtrail-event.ts'

export const SUPPORT_ACCESS_ARN = 'arn:aws:iam::aws:policy/AWSSupportAccess'
export const SUPPORT_APP_FULL_ACCESS_ARN = 'arn:aws:iam::aws:policy/AWSSupportAppFullAccess'
export const ADMINISTRATOR_ACCESS_ARN = 'arn:aws:iam::aws:policy/AdministratorAccess'

/** The demo account plus what the end-to-end scenarios act on. */
export interface GuardAccount extends DemoAccountSummary {
  /** A second required support role whose access comes from a customer managed policy only. */
  readonly escalation: { readonly roleName: string; readonly roleArn: string; readonly policyArn: string }
  /** A user outside the allowlist, with no access. */
  readonly contractor: { readonly userName: string; readonly userArn: string }
  /** A deployment role the config neither requires nor approves nor protects, with no policies. */
  readonly ciDeployer: { readonly roleName: string; readonly roleArn: string }
  /** The Support App role's trust policy as the Support App documentation gives it. */
  readonly supportAppTrust: object
}

const VERSION = '2012-10-17'

/** The documented trust of a Support App role: only the Support App service may assume it. */
export const SUPPORT_APP_TRUST = {
  Version: VERSION,
  Statement: [
    { Effect: 'Allow', Principal: { Service: 'supportapp.amazonaws.com' }, Action: 'sts:AssumeRole' },
  ],
}

/**
 * Seeds the demo account (SupportTeam with AWSSupportAccess, the Support App role with its
 * documented trust and AWSSupportAppFullAccess, admins, developers in groups, the Support and
 * Service Quotas service-linked roles), then SupportEscalation with its own customer managed
 * support policy, the user contractor-temp and the role ci-deployer. Expects a fresh emulator.
 */
export async function seedGuardAccount(iam: IAMClient): Promise<GuardAccount> {
  const demo = await seedDemoAccount({ iam }, { accountId: E2E_ACCOUNT_ID })
  const accountTrust = JSON.stringify({
    Version: VERSION,
    Statement: [
      {
        Effect: 'Allow',
        Principal: { AWS: `arn:aws:iam::${E2E_ACCOUNT_ID}:root` },
        Action: 'sts:AssumeRole',
      },
    ],
  })
  const escalation = await seedStep('role SupportEscalation', async () => {
    const role = await iam.send(
      new CreateRoleCommand({ RoleName: 'SupportEscalation', AssumeRolePolicyDocument: accountTrust }),
    )
    const policy = await iam.send(
      new CreatePolicyCommand({
        PolicyName: 'SupportEscalationAccess',
        PolicyDocument: JSON.stringify({
          Version: VERSION,
          // A required principal needs the Support Center console actions besides support:*.
          Statement: [
            {
              Sid: 'SupportCases',
              Effect: 'Allow',
              Action: ['support:*', 'support-console:*'],
              Resource: '*',
            },
          ],
        }),
      }),
    )
    const policyArn = required(policy.Policy?.Arn, 'policy SupportEscalationAccess')
    await iam.send(new AttachRolePolicyCommand({ RoleName: 'SupportEscalation', PolicyArn: policyArn }))
    return {
      roleName: 'SupportEscalation',
      roleArn: required(role.Role?.Arn, 'role SupportEscalation'),
      policyArn,
    }
  })
  const contractor = await seedStep('user contractor-temp', async () => {
    const user = await iam.send(new CreateUserCommand({ UserName: 'contractor-temp' }))
    return { userName: 'contractor-temp', userArn: required(user.User?.Arn, 'user contractor-temp') }
  })
  const ciDeployer = await seedStep('role ci-deployer', async () => {
    const role = await iam.send(
      new CreateRoleCommand({ RoleName: 'ci-deployer', AssumeRolePolicyDocument: accountTrust }),
    )
    return { roleName: 'ci-deployer', roleArn: required(role.Role?.Arn, 'role ci-deployer') }
  })
  return { ...demo, escalation, contractor, ciDeployer, supportAppTrust: SUPPORT_APP_TRUST }
}

async function seedStep<T>(entity: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run()
  } catch (error) {
    if (error instanceof SeedError) throw error
    const detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error)
    throw new SeedError(`could not seed ${entity}: ${detail}`, { cause: error })
  }
}

function required(arn: string | undefined, entity: string): string {
  if (arn === undefined) throw new SeedError(`IAM returned no ARN for ${entity}`)
  return arn
}
