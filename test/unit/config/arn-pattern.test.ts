import { describe, expect, it } from 'vitest'
import { isArnPattern, matchesAnyArnPattern, matchesArnPattern } from '#shared/config/arn-pattern.ts'

describe('matchesArnPattern', () => {
  it.each([
    ['arn:aws:iam::*:role/SupportTeam', 'arn:aws:iam::123456789012:role/SupportTeam', true],
    ['arn:aws:iam::*:role/SupportTeam', 'arn:aws:iam::123456789012:role/SupportTeamX', false],
    ['arn:aws:iam::*:role/SupportTeam', 'arn:aws:iam::123456789012:role/supportteam', false],
    ['arn:aws:iam::*:role/Admin*', 'arn:aws:iam::123456789012:role/AdminRole', true],
    ['arn:aws:iam::*:role/Admin*', 'arn:aws:iam::123456789012:role/Admin', true],
    ['arn:aws:iam::*:role/Admin*', 'arn:aws:iam::123456789012:role/ops/AdminRole', false],
    ['arn:aws:iam::*:role/*Admin*', 'arn:aws:iam::123456789012:role/ops/AdminRole', true],
    ['arn:aws:iam::*:role/ops-?', 'arn:aws:iam::123456789012:role/ops-1', true],
    ['arn:aws:iam::*:role/ops-?', 'arn:aws:iam::123456789012:role/ops-', false],
    ['arn:aws:iam::*:role/ops-?', 'arn:aws:iam::123456789012:role/ops-12', false],
    ['arn:aws:iam::123456789012:user/*', 'arn:aws:iam::123456789012:user/ops-admin', true],
    ['arn:aws:iam::123456789012:user/*', 'arn:aws:iam::999988887777:user/ops-admin', false],
    ['arn:aws:iam::*:*', 'arn:aws:iam::123456789012:role/x', true],
    ['*', 'arn:aws:iam::123456789012:role/x', true],
    ['arn:aws:iam::*:role/a.b', 'arn:aws:iam::123456789012:role/aXb', false],
    ['arn:aws:iam::*:role/a+b', 'arn:aws:iam::123456789012:role/a+b', true],
    ['arn:aws:iam::*:role/(x)', 'arn:aws:iam::123456789012:role/(x)', true],
    [
      'arn:aws:sts::*:assumed-role/deploy-pipeline/*',
      'arn:aws:sts::123456789012:assumed-role/deploy-pipeline/s1',
      true,
    ],
  ])('%s vs %s -> %s', (pattern, arn, expected) => {
    expect(matchesArnPattern(pattern, arn)).toBe(expected)
  })

  it('gives the same answer when a compiled pattern is reused', () => {
    const pattern = 'arn:aws:iam::*:role/Support*'
    expect(matchesArnPattern(pattern, 'arn:aws:iam::1:role/SupportA')).toBe(true)
    expect(matchesArnPattern(pattern, 'arn:aws:iam::1:role/Other')).toBe(false)
    expect(matchesArnPattern(pattern, 'arn:aws:iam::1:role/SupportB')).toBe(true)
  })

  it('matches a list when any pattern matches', () => {
    const patterns = ['arn:aws:iam::*:role/A', 'arn:aws:iam::*:role/B*']
    expect(matchesAnyArnPattern(patterns, 'arn:aws:iam::1:role/Bee')).toBe(true)
    expect(matchesAnyArnPattern(patterns, 'arn:aws:iam::1:role/C')).toBe(false)
    expect(matchesAnyArnPattern([], 'arn:aws:iam::1:role/C')).toBe(false)
  })
})

describe('isArnPattern', () => {
  it.each([
    ['arn:aws:iam::*:role/SupportTeam', true],
    ['arn:aws:iam::123456789012:user/ops-admin', true],
    ['arn:aws:iam::123456789012:root', true],
    ['arn:aws-us-gov:iam::*:role/x', true],
    ['arn:*:iam::*:role/x', true],
    ['arn:aws:sts::*:assumed-role/deploy/*', true],
    ['arn:aws:iam::*:role/path/with:colon', true],
    ['role/SupportTeam', false],
    ['arn:aws:iam::*:', false],
    ['arn:aws:iam::*', false],
    ['arn:aws:s3:::bucket', false],
    ['arn:aws:iam::abc:role/x', false],
    ['arn:aws:iam::*:role/with space', false],
    ['ARN:aws:iam::*:role/x', false],
    ['', false],
  ])('%s -> %s', (text, expected) => {
    expect(isArnPattern(text)).toBe(expected)
  })
})
