import { parseArn } from '#shared/policy/arn.ts'

const compiled = new Map<string, RegExp>()

function compileArnPattern(pattern: string): RegExp {
  const cached = compiled.get(pattern)
  if (cached) return cached
  let source = '^'
  for (const char of pattern) {
    if (char === '*') source += '.*'
    else if (char === '?') source += '.'
    else source += char.replace(/[.+^${}()|[\]\\/-]/g, '\\$&')
  }
  const regex = new RegExp(`${source}$`, 's')
  compiled.set(pattern, regex)
  return regex
}

/**
 * True when `arn` matches `pattern`, where `*` matches any run of characters (also across
 * `:` and `/`) and `?` exactly one. Case-sensitive: IAM role and user names are unique
 * case-insensitively but ARNs are compared as written. Each pattern is compiled once.
 */
export function matchesArnPattern(pattern: string, arn: string): boolean {
  return compileArnPattern(pattern).test(arn)
}

/** True when `arn` matches any of `patterns`. */
export function matchesAnyArnPattern(patterns: readonly string[], arn: string): boolean {
  return patterns.some((pattern) => matchesArnPattern(pattern, arn))
}

/**
 * True when `text` has the shape of an IAM or STS ARN, with `*`/`?` allowed anywhere:
 * `arn:<partition>:<iam|sts>:<region>:<account>:<resource>`. STS is accepted because
 * actors appear in CloudTrail as `arn:aws:sts::<account>:assumed-role/<role>/<session>`.
 */
export function isArnPattern(text: string): boolean {
  if (/\s/.test(text)) return false
  const parts = parseArn(text)
  if (!parts) return false
  const { partition, service, region, account, resource } = parts
  return (
    /^[a-z*?-]+$/.test(partition) &&
    (matchesArnPattern(service, 'iam') || matchesArnPattern(service, 'sts')) &&
    /^[a-z0-9*?-]*$/.test(region) &&
    /^[0-9*?]+$/.test(account) &&
    resource.length > 0
  )
}
