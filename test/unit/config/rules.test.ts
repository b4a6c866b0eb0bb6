import { describe, expect, it } from 'vitest'
import {
  DEFAULT_SEVERITY,
  isRuleId,
  isSeverity,
  isSeverityAtLeast,
  RULE_IDS,
  SEVERITIES,
} from '#shared/config/rules.ts'

describe('rules and severities', () => {
  it('lists the fifteen rules of docs/contracts.md#rule-ids with their default severities', () => {
    expect(RULE_IDS).toHaveLength(15)
    expect(Object.keys(DEFAULT_SEVERITY).sort()).toEqual([...RULE_IDS].sort())
    expect(DEFAULT_SEVERITY.SLR_DELETION_ATTEMPT).toBe('critical')
    expect(DEFAULT_SEVERITY.SUPPORT_RESOURCE_SCOPE_INEFFECTIVE).toBe('low')
    expect(DEFAULT_SEVERITY.GUARD_ROLE_CHANGED).toBe('critical')
  })

  it('orders severities from critical to info', () => {
    expect(SEVERITIES).toEqual(['critical', 'high', 'medium', 'low', 'info'])
  })

  it.each([
    ['critical', 'high', true],
    ['high', 'high', true],
    ['medium', 'high', false],
    ['info', 'info', true],
    ['info', 'low', false],
    ['low', 'info', true],
  ] as const)('%s at least %s -> %s', (severity, threshold, expected) => {
    expect(isSeverityAtLeast(severity, threshold)).toBe(expected)
  })

  it('recognizes rule IDs and severities', () => {
    expect(isRuleId('NO_SUPPORT_ROLE')).toBe(true)
    expect(isRuleId('no_support_role')).toBe(false)
    expect(isSeverity('medium')).toBe(true)
    expect(isSeverity('urgent')).toBe(false)
    expect(isSeverity(3)).toBe(false)
  })
})
