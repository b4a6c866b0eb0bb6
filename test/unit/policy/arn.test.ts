import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  accountIdOfArn,
  accountIdOfIamArn,
  accountOfArn,
  buildAccountRootArn,
  buildAwsManagedPolicyArn,
  buildGroupArn,
  buildInstanceProfileArn,
  buildOidcProviderArn,
  buildPolicyArn,
  buildPrincipalArn,
  buildRoleArn,
  buildSamlProviderArn,
  buildServiceLinkedRoleArn,
  buildUserArn,
  isAccountId,
  isAccountRootArn,
  isArnOfService,
  isAwsManagedPolicyArn,
  isIdentityProviderArn,
  isManagedPolicyArn,
  isServiceLinkedRolePath,
  isServiceRolePolicyArn,
  isSupportPermitArn,
  nameOfArn,
  parseArn,
  parseArnResource,
  parseAssumedRoleArn,
  parseIamArn,
  parseIamEntityArn,
  regionOfArn,
  replaceIamArnsInText,
  resourceTypeOfArn,
  roleArnOfAssumedRole,
  sameIamName,
  serviceLinkedRolePath,
  toCommercialPartition,
} from '#shared/policy/arn.ts'

const ACCT = '123456789012'

describe('parseArn', () => {
  it('reads the six fields, keeping colons and slashes of the resource', () => {
    expect(parseArn(`arn:aws:iam::${ACCT}:role/ops/Admin`)).toEqual({
      partition: 'aws',
      service: 'iam',
      region: '',
      account: ACCT,
      resource: 'role/ops/Admin',
    })
    expect(parseArn(`arn:aws:rds:us-east-1:${ACCT}:db:orders-prod`)?.resource).toBe('db:orders-prod')
    expect(parseArn('arn:aws:s3:::bucket/key')).toMatchObject({
      region: '',
      account: '',
      resource: 'bucket/key',
    })
  })

  it('reads every partition', () => {
    expect(parseArn(`arn:aws-cn:iam::${ACCT}:user/u`)?.partition).toBe('aws-cn')
    expect(parseArn(`arn:aws-us-gov:iam::${ACCT}:user/u`)?.partition).toBe('aws-us-gov')
  })

  it('keeps wildcards: patterns have the same shape', () => {
    expect(parseArn('arn:*:iam::*:role/*')).toMatchObject({
      partition: '*',
      account: '*',
      resource: 'role/*',
    })
  })

  it.each([
    '',
    'arn',
    'arn:aws:iam::123456789012',
    'ARN:aws:iam::1:root',
    'support.amazonaws.com',
    '*',
    'unknown',
  ])('reads %j as no ARN', (text) => {
    expect(parseArn(text)).toBeUndefined()
  })
})

describe('parseArnResource', () => {
  it('reads type, path and name', () => {
    expect(parseArnResource('role/Admin')).toEqual({ type: 'role', id: 'Admin', path: '/', name: 'Admin' })
    expect(parseArnResource('role/a/b/Admin')).toEqual({
      type: 'role',
      id: 'a/b/Admin',
      path: '/a/b/',
      name: 'Admin',
    })
  })

  it('reads a resource without a slash as a bare type', () => {
    expect(parseArnResource('root')).toEqual({ type: 'root', id: '', path: '/', name: '' })
  })

  it('keeps what follows the type whole as the id (an OIDC issuer with a path)', () => {
    expect(parseArnResource('oidc-provider/token.example.com/tenant').id).toBe('token.example.com/tenant')
  })
})

describe('parseIamArn', () => {
  it('reads IAM ARNs of any partition, AWS managed policies included', () => {
    expect(parseIamArn('arn:aws-cn:iam::aws:policy/service-role/AWSSupportServiceRolePolicy')).toMatchObject({
      partition: 'aws-cn',
      account: 'aws',
      type: 'policy',
      path: '/service-role/',
      name: 'AWSSupportServiceRolePolicy',
    })
  })

  it('reads nothing of another service', () => {
    expect(parseIamArn(`arn:aws:sts::${ACCT}:assumed-role/R/S`)).toBeUndefined()
  })
})

describe('parseIamEntityArn', () => {
  it.each([
    [`arn:aws:iam::${ACCT}:role/SupportTeam`, { type: 'role', name: 'SupportTeam', path: '/' }],
    [
      `arn:aws:iam::${ACCT}:user/automation/ci-deployer`,
      { type: 'user', name: 'ci-deployer', path: '/automation/' },
    ],
    [`arn:aws:iam::${ACCT}:group/Admins`, { type: 'group', name: 'Admins', path: '/' }],
    [
      `arn:aws:iam::${ACCT}:role/aws-service-role/support.amazonaws.com/AWSServiceRoleForSupport`,
      { type: 'role', name: 'AWSServiceRoleForSupport', path: '/aws-service-role/support.amazonaws.com/' },
    ],
    [`arn:aws-us-gov:iam::${ACCT}:role/R`, { type: 'role', name: 'R', partition: 'aws-us-gov' }],
    [`arn:aws-cn:iam::${ACCT}:user/U`, { type: 'user', name: 'U', partition: 'aws-cn' }],
  ])('reads %s', (arn, expected) => {
    expect(parseIamEntityArn(arn)).toMatchObject({ accountId: ACCT, ...expected })
  })

  it.each([
    `arn:aws:iam::${ACCT}:policy/P`,
    `arn:aws:iam::${ACCT}:root`,
    `arn:aws:sts::${ACCT}:assumed-role/R/S`,
    `arn:aws:iam::*:role/SupportTeam`,
    `arn:aws:iam::${ACCT}:role/Support*`,
    `arn:aws:iam::${ACCT}:role/ops*/Admin`,
    `arn:aws:iam::${ACCT}:role/`,
    `arn:aws:iam:us-east-1:${ACCT}:role/R`,
    'arn:aws:iam::12345:role/R',
    `arn::iam::${ACCT}:role/R`,
    'SupportTeam',
  ])('reads %s as no user, role or group', (arn) => {
    expect(parseIamEntityArn(arn)).toBeUndefined()
  })
})

describe('STS assumed-role sessions', () => {
  it('reads the role and session, in any partition', () => {
    expect(parseAssumedRoleArn(`arn:aws-cn:sts::${ACCT}:assumed-role/Admin/deploy`)).toEqual({
      partition: 'aws-cn',
      accountId: ACCT,
      roleName: 'Admin',
      sessionName: 'deploy',
    })
  })

  it('names the role behind the session, without the path the session ARN does not carry', () => {
    expect(roleArnOfAssumedRole(`arn:aws:sts::${ACCT}:assumed-role/Admin/deploy`)).toBe(
      `arn:aws:iam::${ACCT}:role/Admin`,
    )
    expect(roleArnOfAssumedRole(`arn:aws-us-gov:sts::${ACCT}:assumed-role/Admin/s`)).toBe(
      `arn:aws-us-gov:iam::${ACCT}:role/Admin`,
    )
  })

  it.each([
    `arn:aws:sts::${ACCT}:federated-user/alice`,
    `arn:aws:sts::${ACCT}:assumed-role/Admin`,
    `arn:aws:iam::${ACCT}:role/Admin`,
    'arn:aws:sts::*:assumed-role/Admin/s',
    'unknown',
  ])('reads %s as no session', (arn) => {
    expect(parseAssumedRoleArn(arn)).toBeUndefined()
    expect(roleArnOfAssumedRole(arn)).toBeUndefined()
  })
})

describe('accounts, Regions and types', () => {
  it('reads the account field as written, for any ARN-shaped text', () => {
    expect(accountOfArn(`arn:aws:iam::${ACCT}:root`)).toBe(ACCT)
    expect(accountOfArn('arn:aws:iam::*:role/x')).toBe('*')
    expect(accountOfArn('arn:aws:iam::aws:policy/P')).toBe('aws')
    expect(accountOfArn(ACCT)).toBeUndefined()
    expect(accountOfArn('cognito-identity.amazonaws.com')).toBeUndefined()
  })

  it('reads a 12-digit account only, of any service', () => {
    expect(accountIdOfArn(`arn:aws:lambda:us-east-1:${ACCT}:function:audit`)).toBe(ACCT)
    expect(accountIdOfArn('arn:aws:iam::aws:policy/P')).toBeUndefined()
    expect(accountIdOfArn('arn:aws:iam::*:role/x')).toBeUndefined()
    expect(accountIdOfIamArn(`arn:aws-cn:iam::${ACCT}:role/x`)).toBe(ACCT)
    expect(accountIdOfIamArn(`arn:aws:sts::${ACCT}:assumed-role/R/S`)).toBeUndefined()
  })

  it('reads the account of an IAM ARN as parseIamArn does, whatever the text', () => {
    const fields = fc.constantFrom('arn', 'iam', 'sts', '', 'aws', ACCT, '12345678901', 'role/a:b', '*')
    const text = fc.oneof(
      fc.array(fields, { maxLength: 8 }).map((parts) => parts.join(':')),
      fc.string({ unit: fc.constantFrom('a', ':', '1', '/', 'i', 'm', 'r', 'n') }),
    )
    fc.assert(
      fc.property(text, (arn) => {
        const parsed = parseIamArn(arn)
        expect(accountIdOfIamArn(arn)).toBe(
          parsed && isAccountId(parsed.account) ? parsed.account : undefined,
        )
      }),
      { numRuns: 2000 },
    )
    expect(accountIdOfIamArn(`arn:aws:iam::${ACCT}:role/a:b:c`)).toBe(ACCT)
    expect(accountIdOfIamArn(`arn:aws:iam::${ACCT}`)).toBeUndefined()
  })

  it('reads the Region, absent for global resources', () => {
    expect(regionOfArn(`arn:aws:kms:eu-west-1:${ACCT}:key/k`)).toBe('eu-west-1')
    expect(regionOfArn(`arn:aws:iam::${ACCT}:role/R`)).toBeUndefined()
    expect(regionOfArn('alias/my-key')).toBeUndefined()
  })

  it('reads the resource type', () => {
    expect(resourceTypeOfArn(`arn:aws:supportauthz:us-east-1:${ACCT}:supportpermit/p1`)).toBe('supportpermit')
    expect(resourceTypeOfArn('arn:aws:sso:::permissionSet/ssoins-1/ps-1')).toBe('permissionSet')
    expect(resourceTypeOfArn(`arn:aws:iam::${ACCT}:root`)).toBe('root')
    expect(resourceTypeOfArn('PartnerIdP')).toBeUndefined()
  })

  it('tells the kinds of IAM ARN apart', () => {
    expect(isAccountRootArn(`arn:aws:iam::${ACCT}:root`)).toBe(true)
    expect(isAccountRootArn(`arn:aws:iam::${ACCT}:user/root`)).toBe(false)
    expect(isManagedPolicyArn(`arn:aws:iam::${ACCT}:policy/team/P`)).toBe(true)
    expect(isManagedPolicyArn(`arn:aws:iam::${ACCT}:role/policy`)).toBe(false)
    expect(isAwsManagedPolicyArn('arn:aws:iam::aws:policy/AWSSupportAccess')).toBe(true)
    expect(isAwsManagedPolicyArn('arn:aws-cn:iam::aws:policy/AWSSupportAccess')).toBe(true)
    expect(isAwsManagedPolicyArn(`arn:aws:iam::${ACCT}:policy/AWSSupportAccess`)).toBe(false)
    expect(
      isServiceRolePolicyArn('arn:aws:iam::aws:policy/aws-service-role/AWSSupportServiceRolePolicy'),
    ).toBe(true)
    expect(isServiceRolePolicyArn('arn:aws:iam::aws:policy/service-role/AWSLambdaRole')).toBe(false)
    expect(isIdentityProviderArn(`arn:aws:iam::${ACCT}:saml-provider/PartnerIdP`)).toBe(true)
    expect(isIdentityProviderArn(`arn:aws:iam::${ACCT}:oidc-provider/token.example.com`)).toBe(true)
    expect(isIdentityProviderArn(`arn:aws:iam::${ACCT}:saml-provider/`)).toBe(false)
    expect(isIdentityProviderArn(`arn:aws:iam::${ACCT}:role/saml-provider`)).toBe(false)
  })

  it('tells support permits and services apart', () => {
    expect(isSupportPermitArn(`arn:aws:supportauthz:us-east-1:${ACCT}:supportpermit/a1c4e7f0`)).toBe(true)
    expect(isSupportPermitArn(`arn:aws:supportauthz:us-east-1:${ACCT}:permitrequest/r1`)).toBe(false)
    expect(isSupportPermitArn(`arn:aws:supportauthz:us-east-1:*:supportpermit/a1`)).toBe(false)
    expect(isArnOfService(`arn:aws:supportauthz:us-east-1:${ACCT}:permitrequest/r1`, 'supportauthz')).toBe(
      true,
    )
    expect(isArnOfService('arn:aws:other:us-east-1:1:thing/x', 'supportauthz')).toBe(false)
  })
})

describe('nameOfArn', () => {
  it.each([
    [`arn:aws:iam::${ACCT}:role/ops/Admin`, 'Admin'],
    ['arn:aws:iam::aws:policy/service-role/NAME', 'NAME'],
    [
      `arn:aws:iam::${ACCT}:role/aws-service-role/support.amazonaws.com/AWSServiceRoleForSupport`,
      'AWSServiceRoleForSupport',
    ],
    ['arn:aws:iam::*:role/Support*', 'Support*'],
    [`arn:aws:iam::${ACCT}:root`, `arn:aws:iam::${ACCT}:root`],
    ['support.amazonaws.com', 'support.amazonaws.com'],
    ['unknown', 'unknown'],
  ])('names %s %s', (arn, name) => {
    expect(nameOfArn(arn)).toBe(name)
  })
})

describe('building ARNs', () => {
  it('builds principals, path-less unless a path is given', () => {
    expect(buildRoleArn(ACCT, 'SupportTeam')).toBe(`arn:aws:iam::${ACCT}:role/SupportTeam`)
    expect(buildRoleArn(ACCT, 'SupportTeam', { path: '/support/' })).toBe(
      `arn:aws:iam::${ACCT}:role/support/SupportTeam`,
    )
    expect(buildUserArn(ACCT, 'ops-admin')).toBe(`arn:aws:iam::${ACCT}:user/ops-admin`)
    expect(buildGroupArn(ACCT, 'Admins')).toBe(`arn:aws:iam::${ACCT}:group/Admins`)
    expect(buildPrincipalArn('user', ACCT, 'u', { path: '/a/b/' })).toBe(`arn:aws:iam::${ACCT}:user/a/b/u`)
  })

  it('reads a path without slashes around it as no path', () => {
    expect(buildPolicyArn(ACCT, 'SupportCases', { path: 'bad' })).toBe(
      `arn:aws:iam::${ACCT}:policy/SupportCases`,
    )
    expect(buildPolicyArn(ACCT, 'SupportCases', { path: '/bad' })).toBe(
      `arn:aws:iam::${ACCT}:policy/SupportCases`,
    )
  })

  it('builds in the partition given', () => {
    expect(buildRoleArn(ACCT, 'R', { partition: 'aws-cn' })).toBe(`arn:aws-cn:iam::${ACCT}:role/R`)
    expect(buildAccountRootArn(ACCT, { partition: 'aws-us-gov' })).toBe(`arn:aws-us-gov:iam::${ACCT}:root`)
    expect(buildAwsManagedPolicyArn('AWSSupportAccess', { partition: 'aws-cn' })).toBe(
      'arn:aws-cn:iam::aws:policy/AWSSupportAccess',
    )
  })

  it('builds policies, instance profiles, the account root and providers', () => {
    expect(buildAwsManagedPolicyArn('AWSSupportAccess')).toBe('arn:aws:iam::aws:policy/AWSSupportAccess')
    expect(buildInstanceProfileArn(ACCT, 'web', { path: '/app/' })).toBe(
      `arn:aws:iam::${ACCT}:instance-profile/app/web`,
    )
    expect(buildAccountRootArn(ACCT)).toBe(`arn:aws:iam::${ACCT}:root`)
    expect(buildSamlProviderArn(ACCT, 'PartnerIdP')).toBe(`arn:aws:iam::${ACCT}:saml-provider/PartnerIdP`)
    expect(buildOidcProviderArn(ACCT, 'HTTPS://token.example.com/tenant')).toBe(
      `arn:aws:iam::${ACCT}:oidc-provider/token.example.com/tenant`,
    )
    expect(buildOidcProviderArn(ACCT, 'https://')).toBeUndefined()
  })

  it('builds service-linked roles under their service path, and that path alone without a name', () => {
    const role = { service: 'support.amazonaws.com', roleName: 'AWSServiceRoleForSupport' }
    expect(buildServiceLinkedRoleArn(ACCT, role)).toBe(
      `arn:aws:iam::${ACCT}:role/aws-service-role/support.amazonaws.com/AWSServiceRoleForSupport`,
    )
    expect(buildServiceLinkedRoleArn(ACCT, { ...role, roleName: '' })).toBe(
      `arn:aws:iam::${ACCT}:role/aws-service-role/support.amazonaws.com/`,
    )
    expect(serviceLinkedRolePath('support.amazonaws.com')).toBe('/aws-service-role/support.amazonaws.com/')
    expect(isServiceLinkedRolePath('/aws-service-role/support.amazonaws.com/')).toBe(true)
    expect(isServiceLinkedRolePath('/service-role/')).toBe(false)
  })

  it('builds what it parses back', () => {
    const arn = buildUserArn(ACCT, 'ci-deployer', { path: '/automation/', partition: 'aws-cn' })
    expect(parseIamEntityArn(arn)).toEqual({
      type: 'user',
      name: 'ci-deployer',
      path: '/automation/',
      accountId: ACCT,
      partition: 'aws-cn',
    })
  })
})

describe('toCommercialPartition', () => {
  it('moves an ARN of any aws partition to the commercial one, and leaves other text alone', () => {
    expect(toCommercialPartition('arn:aws-cn:iam::aws:policy/AWSSupportAccess')).toBe(
      'arn:aws:iam::aws:policy/AWSSupportAccess',
    )
    expect(toCommercialPartition('arn:aws:iam::aws:policy/P')).toBe('arn:aws:iam::aws:policy/P')
    expect(toCommercialPartition('AWSSupportAccess')).toBe('AWSSupportAccess')
  })
})

describe('sameIamName', () => {
  it('compares names regardless of case', () => {
    expect(sameIamName('SupportTeam', 'supportteam')).toBe(true)
    expect(sameIamName('SupportTeam', 'SupportTeam2')).toBe(false)
  })
})

describe('replaceIamArnsInText', () => {
  it('finds IAM and STS ARNs of every partition in text, leaving a sentence’s punctuation out', () => {
    const seen: string[] = []
    const text = `Attach arn:aws-cn:iam::${ACCT}:role/R, then arn:aws:sts::${ACCT}:assumed-role/R/s. And arn:aws:s3:::b.`
    const out = replaceIamArnsInText(text, (arn, parts) => {
      seen.push(arn)
      return `<${parts.service}>`
    })
    expect(seen).toEqual([`arn:aws-cn:iam::${ACCT}:role/R`, `arn:aws:sts::${ACCT}:assumed-role/R/s`])
    expect(out).toBe('Attach <iam>, then <sts>. And arn:aws:s3:::b.')
  })
})
