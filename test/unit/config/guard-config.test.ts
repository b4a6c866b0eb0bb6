import { describe, expect, it } from 'vitest'
import {
  ConfigError,
  DEFAULT_CONFIG,
  loadGuardConfigText,
  parseGuardConfig,
} from '#shared/config/guard-config.ts'

function captureConfigError(input: unknown): ConfigError {
  try {
    parseGuardConfig(input)
  } catch (error) {
    if (error instanceof ConfigError) return error
    throw error
  }
  throw new Error('expected a ConfigError')
}

describe('parseGuardConfig defaults', () => {
  it('reads organizationId, trustedAccounts and requiredConsoleActions', () => {
    const config = parseGuardConfig({
      organizationId: 'o-abc123def4',
      trustedAccounts: ['111122223333', '111122223333'],
      requiredConsoleActions: ['SUPPORT-CONSOLE:getaccountstate'],
    })
    expect(config.organizationId).toBe('o-abc123def4')
    expect(config.trustedAccounts).toEqual(['111122223333'])
    expect(config.requiredConsoleActions).toEqual(['support-console:GetAccountState'])
  })

  it.each([
    [{ organizationId: 'org-1' }, 'config.organizationId'],
    [{ trustedAccounts: ['12345'] }, 'config.trustedAccounts[0]'],
    [{ requiredConsoleActions: ['support:CreateCase'] }, 'config.requiredConsoleActions[0]'],
  ])('rejects %j at %s', (raw, path) => {
    expect(() => parseGuardConfig(raw)).toThrow(path)
  })

  it('fills every field of an empty config', () => {
    expect(parseGuardConfig({})).toEqual({
      mode: 'monitor',
      supportPrincipals: { required: [], approved: [] },
      requiredSupportActions: [
        'support:CreateCase',
        'support:DescribeCases',
        'support:AddCommunicationToCase',
        'support:ResolveCase',
      ],
      supportApp: { roles: [], access: 'full' },
      ignoreActors: [],
      enforceRules: [
        'SUPPORT_ACCESS_LOST',
        'SUPPORT_APP_TRUST_INVALID',
        'SUPPORT_APP_EXCESSIVE_PERMISSIONS',
        'SUPPORT_APP_UNSCOPED_SLR_CREATION',
        'SLR_MISSING',
      ],
      neverModify: [
        'arn:aws:iam::*:role/aws-reserved/sso.amazonaws.com/*',
        'arn:aws:iam::*:role/aws-service-role/*',
        'arn:aws:iam::*:role/OrganizationAccountAccessRole',
        'arn:aws:iam::*:role/stacksets-exec-*',
        'arn:aws:iam::*:role/AWSControlTower*',
        'arn:aws:iam::*:role/cdk-*',
      ],
      trustedAccounts: [],
      requiredConsoleActions: [
        'support-console:GetAccountState',
        'support-console:GetAccountGovCloudEnabled',
        'support-console:CheckSubscription',
        'support-console:GetBanner',
        'support-console:DescribeDynamicHelp',
        'support-console:GetCaseDraft',
        'support-console:CreateCaseDraft',
        'support-console:DeleteCaseDraft',
        'support-console:CreateContact',
      ],
      severityOverrides: {},
    })
  })

  it('exports the same defaults as DEFAULT_CONFIG, frozen', () => {
    expect(DEFAULT_CONFIG).toEqual(parseGuardConfig({}))
    expect(Object.isFrozen(DEFAULT_CONFIG.supportPrincipals.required)).toBe(true)
  })

  it('fills the defaults inside a partly given nested object', () => {
    const config = parseGuardConfig({
      supportApp: { access: 'read-only' },
      supportPrincipals: { approved: [] },
    })
    expect(config.supportApp).toEqual({ roles: [], access: 'read-only' })
    expect(config.supportPrincipals).toEqual({ required: [], approved: [] })
  })

  it('accepts the example of the README', () => {
    const config = parseGuardConfig({
      mode: 'enforce',
      supportPrincipals: {
        required: ['arn:aws:iam::*:role/SupportTeam'],
        approved: ['arn:aws:iam::*:role/Admin*'],
      },
      requiredSupportActions: ['support:CreateCase', 'support:DescribeCases'],
      supportApp: { roles: ['arn:aws:iam::*:role/AWSSupportAppRole'], access: 'full' },
      ignoreActors: ['arn:aws:iam::*:role/deploy-pipeline'],
      severityOverrides: { SUPPORT_RESOURCE_SCOPE_INEFFECTIVE: 'info' },
    })
    expect(config.mode).toBe('enforce')
    expect(config.severityOverrides).toEqual({ SUPPORT_RESOURCE_SCOPE_INEFFECTIVE: 'info' })
    expect(config.ignoreActors).toEqual(['arn:aws:iam::*:role/deploy-pipeline'])
  })

  it('normalizes action names to the catalog spelling and drops duplicates', () => {
    const config = parseGuardConfig({
      requiredSupportActions: [
        'SUPPORT:createcase',
        'support:DescribeTrustedAdvisorChecks',
        'support:CreateCase',
      ],
    })
    expect(config.requiredSupportActions).toEqual([
      'support:CreateCase',
      'support:DescribeTrustedAdvisorChecks',
    ])
  })
})

describe('parseGuardConfig errors', () => {
  it.each([
    { name: 'not an object', input: [], path: 'config', message: 'expected a JSON object' },
    {
      name: 'bad mode',
      input: { mode: 'block' },
      path: 'config.mode',
      message: 'expected "monitor" or "enforce"',
    },
    {
      name: 'required pattern not an ARN',
      input: { supportPrincipals: { required: ['role/SupportTeam'] } },
      path: 'config.supportPrincipals.required[0]',
      message: 'expected an IAM ARN pattern',
    },
    {
      name: 'approved pattern of another service',
      input: { supportPrincipals: { approved: ['arn:aws:iam::*:role/ok', 'arn:aws:s3:::bucket'] } },
      path: 'config.supportPrincipals.approved[1]',
      message: 'expected an IAM ARN pattern',
    },
    {
      name: 'misspelt nested key',
      input: { supportPrincipals: { requried: [] } },
      path: 'config.supportPrincipals.requried',
      message: 'unknown key',
    },
    {
      name: 'misspelt top-level key',
      input: { ignoreActor: [] },
      path: 'config.ignoreActor',
      message: 'unknown key',
    },
    {
      name: 'unknown support action',
      input: { requiredSupportActions: ['support:OpenCase'] },
      path: 'config.requiredSupportActions[0]',
      message: 'expected a support: action from the catalog, got "support:OpenCase"',
    },
    {
      name: 'action outside the support namespace',
      input: { requiredSupportActions: ['support:CreateCase', 'iam:GetRole'] },
      path: 'config.requiredSupportActions[1]',
      message: 'expected a support: action',
    },
    {
      name: 'empty action list',
      input: { requiredSupportActions: [] },
      path: 'config.requiredSupportActions',
      message: 'expected at least one support: action',
    },
    {
      name: 'Support App role not an ARN',
      input: { supportApp: { roles: ['AWSSupportAppRole'] } },
      path: 'config.supportApp.roles[0]',
      message: 'expected an IAM ARN pattern',
    },
    {
      name: 'bad Support App access',
      input: { supportApp: { access: 'write' } },
      path: 'config.supportApp.access',
      message: 'expected "full" or "read-only"',
    },
    {
      name: 'ignoreActors not a list',
      input: { ignoreActors: 'arn:aws:iam::*:role/deploy' },
      path: 'config.ignoreActors',
      message: 'expected a list of IAM ARN patterns',
    },
    {
      name: 'unknown rule ID',
      input: { severityOverrides: { NO_SUPPORT_USER: 'low' } },
      path: 'config.severityOverrides.NO_SUPPORT_USER',
      message: 'unknown rule ID',
    },
    {
      name: 'unknown severity',
      input: { severityOverrides: { SLR_MISSING: 'urgent' } },
      path: 'config.severityOverrides.SLR_MISSING',
      message: 'expected a severity (critical, high, medium, low, info)',
    },
  ])('$name names $path', ({ input, path, message }) => {
    const error = captureConfigError(input)
    expect(error.name).toBe('ConfigError')
    expect(error.issues).toContainEqual({ path, message: expect.stringContaining(message) })
    expect(error.message).toContain(`${path}: ${message}`)
  })

  it('reports every problem, not only the first', () => {
    const error = captureConfigError({ mode: 1, supportApp: { access: 'x' } })
    expect(error.issues.map((issue) => issue.path)).toEqual(['config.mode', 'config.supportApp.access'])
  })
})

describe('loadGuardConfigText', () => {
  it('parses JSON text', () => {
    expect(loadGuardConfigText('{"mode":"enforce"}', 'guard.json').mode).toBe('enforce')
  })

  it('names the source when the text is not JSON', () => {
    expect(() => loadGuardConfigText('{"mode":', 'guard.json')).toThrow(
      expect.objectContaining({
        name: 'ConfigError',
        message: expect.stringMatching(/^guard\.json: not valid JSON/),
      }),
    )
  })

  it('names the source and the field when the JSON is not a valid config', () => {
    expect(() => loadGuardConfigText('{"mode":"audit"}', 'guard.json')).toThrow(
      'guard.json: config.mode: expected "monitor" or "enforce"',
    )
  })
})
