import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { loadGuardConfigText } from '#shared/config/guard-config.ts'
import { parseAccountSnapshot } from '#shared/snapshot/parse-snapshot.ts'
import { type DryRunEvent, runEnforceDryRun } from '#test-support/dry-run/enforce-dry-run.ts'

/**
 * `npm run enforce-dry-run [-- CONFIG_FILE]`: every CloudTrail record of the test fixtures and
 * every sample event, played through detect and remediate in enforce mode against the example
 * account; prints each IAM write the guard would make and the finding that justifies it.
 */
const root = new URL('..', import.meta.url).pathname
const configFile = process.argv[2] ?? join(root, 'shared/examples/example-config.json')
const config = loadGuardConfigText(readFileSync(configFile, 'utf8'), configFile)
const account = parseAccountSnapshot(
  JSON.parse(readFileSync(join(root, 'shared/examples/example-account.json'), 'utf8')),
)
const events: DryRunEvent[] = ['test/fixtures/cloudtrail', 'events'].flatMap((dir) =>
  readdirSync(join(root, dir))
    .filter((file) => file.endsWith('.json') && file !== 'index.json')
    .sort()
    .map((file) => ({
      name: `${dir}/${file}`,
      event: JSON.parse(readFileSync(join(root, dir, file), 'utf8')),
    })),
)
const summary = await runEnforceDryRun(events, account, config)
console.log(
  `${summary.events} events, ${summary.changes} changes judged, ${summary.findings} findings (${summary.withheld} left alone by enforce mode), ${summary.writes.length} IAM writes`,
)
for (const write of summary.writes) {
  console.log(`\n${write.event} (${write.eventName})`)
  console.log(`  finding: ${write.finding.rule} ${write.finding.severity} on ${write.finding.principalArn}`)
  console.log(`  write:   ${write.command}`)
}
