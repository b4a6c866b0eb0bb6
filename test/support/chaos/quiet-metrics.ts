/** The line Powertools Metrics prints for every invocation that recorded no metric. */
const EMPTY_METRICS_WARNING = 'No application metrics to publish'

/**
 * Environment that makes the functions' Powertools Metrics write to the process's `console`
 * (`POWERTOOLS_DEV`) instead of a private one; metrics stay disabled
 * (`POWERTOOLS_METRICS_DISABLED`, which takes precedence).
 */
export const METRICS_TO_CONSOLE_ENV = { POWERTOOLS_DEV: 'true' } as const

/**
 * Drops the empty-metrics warning from `console.warn` (thousands of failed or deduplicated
 * invocations would print it) and returns a function that puts `console.warn` back.
 */
export function muteEmptyMetricsWarning(): () => void {
  const original = console.warn
  console.warn = (...args: unknown[]) => {
    if (typeof args[0] === 'string' && args[0].startsWith(EMPTY_METRICS_WARNING)) return
    original(...args)
  }
  return () => {
    console.warn = original
  }
}
