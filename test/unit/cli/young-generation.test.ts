import { execFileSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { keepYoungGenerationSmall } from '../../../bin/cli/young-generation.ts'

const MODULE = fileURLToPath(new URL('../../../bin/cli/young-generation.ts', import.meta.url))

/**
 * A process of its own that keeps two million small objects, as an audit keeps what it reads,
 * with or without the young generation kept small: its young generation's size at the end.
 */
function youngGenerationAfterKeeping(keepSmall: boolean): { set: boolean; young: number } {
  const script = `
    import { getHeapSpaceStatistics } from 'node:v8'
    const { keepYoungGenerationSmall } = await import(${JSON.stringify(MODULE)})
    const set = ${keepSmall} ? keepYoungGenerationSmall() : false
    const kept = []
    for (let i = 0; i < 2_000_000; i++) kept.push({ i })
    const young = getHeapSpaceStatistics().find((space) => space.space_name === 'new_space')
    console.log(JSON.stringify({ set, young: young.space_size, kept: kept.length }))`
  const output = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    encoding: 'utf8',
  })
  return JSON.parse(output) as { set: boolean; young: number }
}

describe('keepYoungGenerationSmall', () => {
  it('leaves a V8 alone that may not know the flag', () => {
    expect(keepYoungGenerationSmall('9.4.146.26-node.26')).toBe(false)
    expect(keepYoungGenerationSmall('14.0.1')).toBe(false)
    expect(keepYoungGenerationSmall('not a version')).toBe(false)
  })

  it("leaves a young generation the user sized on Node's command line or in NODE_OPTIONS", () => {
    expect(keepYoungGenerationSmall('11.3.244.8', ['--max-semi-space-size=64'])).toBe(false)
    expect(keepYoungGenerationSmall('11.3.244.8', ['--enable-source-maps --min_semi_space_size=8'])).toBe(
      false,
    )
  })

  it.runIf(Number.parseInt(process.versions.v8, 10) <= 11)(
    'keeps the young generation at a few MB where it would grow to 32 MB',
    () => {
      const grown = youngGenerationAfterKeeping(false)
      const kept = youngGenerationAfterKeeping(true)
      expect(kept.set).toBe(true)
      expect(grown.young).toBeGreaterThanOrEqual(16 * 2 ** 20)
      expect(kept.young).toBeLessThanOrEqual(4 * 2 ** 20)
    },
  )
})
