// Preloaded with `node --import` into a measured child: on exit it writes the child's own
// resource usage (maxRSS in KB, CPU times in µs) as JSON to the file named by the env var.
import { writeFileSync } from 'node:fs'

const file = process.env.SUPPORT_GUARD_BENCH_RUSAGE
if (file) {
  process.on('exit', () => {
    const usage = process.resourceUsage()
    writeFileSync(
      file,
      JSON.stringify({
        maxRSS: usage.maxRSS,
        userCPUTime: usage.userCPUTime,
        systemCPUTime: usage.systemCPUTime,
      }),
    )
  })
}
