import { describe, expect, it } from 'vitest'
import { loadRuntimeGuardConfig, RuntimeConfigError, requireEnv } from '#shared/aws/runtime-config.ts'
import { ConfigError } from '#shared/config/guard-config.ts'

describe('requireEnv', () => {
  it('returns a set variable', () => {
    expect(requireEnv('FINDINGS_BUS_NAME', { FINDINGS_BUS_NAME: 'support-guard-findings' })).toBe(
      'support-guard-findings',
    )
  })

  it.each([[{}], [{ FINDINGS_BUS_NAME: '' }]])('fails naming a missing or empty variable (%o)', (env) => {
    expect(() => requireEnv('FINDINGS_BUS_NAME', env)).toThrow(RuntimeConfigError)
    expect(() => requireEnv('FINDINGS_BUS_NAME', env)).toThrow(
      'environment variable FINDINGS_BUS_NAME is not set',
    )
  })
})

describe('loadRuntimeGuardConfig', () => {
  const required = { supportPrincipals: { required: ['arn:aws:iam::*:role/SupportTeam'], approved: [] } }

  it('applies the defaults when GUARD_CONFIG is absent or blank', () => {
    for (const env of [{}, { GUARD_CONFIG: '  ' }]) {
      const { config, mode } = loadRuntimeGuardConfig(env)
      expect(mode).toBe('monitor')
      expect(config.requiredSupportActions.length).toBeGreaterThan(0)
    }
  })

  it('reads the config JSON and its mode', () => {
    const { config, mode } = loadRuntimeGuardConfig({
      GUARD_CONFIG: JSON.stringify({ ...required, mode: 'enforce' }),
    })
    expect(mode).toBe('enforce')
    expect(config.supportPrincipals.required).toEqual(['arn:aws:iam::*:role/SupportTeam'])
  })

  it('lets GUARD_MODE override the mode of the config', () => {
    const env = { GUARD_CONFIG: JSON.stringify({ mode: 'enforce' }), GUARD_MODE: 'monitor' }
    expect(loadRuntimeGuardConfig(env).mode).toBe('monitor')
    expect(loadRuntimeGuardConfig({ GUARD_MODE: 'enforce' }).mode).toBe('enforce')
  })

  it('rejects an unknown GUARD_MODE', () => {
    expect(() => loadRuntimeGuardConfig({ GUARD_MODE: 'revert' })).toThrow(
      new RuntimeConfigError('GUARD_MODE', 'must be monitor or enforce, got revert'),
    )
  })

  it.each([
    ['not JSON', '{mode: enforce}'],
    ['an invalid config', JSON.stringify({ mode: 'sometimes' })],
  ])('fails at load with ConfigError naming GUARD_CONFIG for %s', (_case, text) => {
    let error: unknown
    try {
      loadRuntimeGuardConfig({ GUARD_CONFIG: text })
    } catch (caught) {
      error = caught
    }
    expect(error).toBeInstanceOf(ConfigError)
    expect((error as Error).message).toMatch(/^GUARD_CONFIG: /)
  })
})
