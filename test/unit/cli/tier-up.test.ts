import { execFileSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { laterTierUpFlag } from '../../../bin/cli/tier-up.ts'

const MODULE = fileURLToPath(new URL('../../../bin/cli/tier-up.ts', import.meta.url))

/**
 * A process of its own that calls a small function 20,000 times, with or without optimizeLater:
 * the flag it set, and whether V8 optimised the function. By default V8 optimises such a function
 * after fewer than 10,000 calls; waiting eight times as long, it is not optimised before 40,000.
 */
function callsHotFunction(later: boolean): { flag: string | null; optimized: boolean } {
  const script = `
    const { optimizeLater } = await import(${JSON.stringify(MODULE)})
    const flag = ${later} ? optimizeLater() : undefined
    function hotFunctionOfTheTest(x) { return (x * 2 + 1) | 0 }
    let sum = 0
    for (let i = 0; i < 20_000; i++) sum = (sum + hotFunctionOfTheTest(i)) | 0
    console.log('result ' + JSON.stringify({ flag: flag ?? null, sum }))`
  const output = execFileSync(
    process.execPath,
    ['--trace-opt', '--import', 'tsx', '--input-type=module', '-e', script],
    { encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } },
  )
  const result = output.split('\n').find((line) => line.startsWith('result '))
  const { flag } = JSON.parse(result?.slice('result '.length) ?? '{}') as { flag: string | null }
  return { flag, optimized: /completed optimizing[^\n]*hotFunctionOfTheTest/.test(output) }
}

describe('optimizeLater and laterTierUpFlag', () => {
  it('sets the flag of the V8 versions it was measured on, eight times their default', () => {
    expect(laterTierUpFlag('11.3.244.8-node.33', [])).toBe('--interrupt-budget=540672')
    expect(laterTierUpFlag('12.4.254.21-node.57', [])).toBe('--invocation-count-for-turbofan=24000')
  })

  it('leaves alone a V8 it was not measured on', () => {
    expect(laterTierUpFlag('10.2.154.26-node.26', [])).toBeUndefined()
    expect(laterTierUpFlag('13.6.233.17-node.63', [])).toBeUndefined()
    expect(laterTierUpFlag('not a version', [])).toBeUndefined()
  })

  it("leaves alone a tiering the user chose on Node's command line or in NODE_OPTIONS", () => {
    expect(laterTierUpFlag('11.3.244.8', ['--interrupt-budget=1000'])).toBeUndefined()
    expect(laterTierUpFlag('12.4.254.21', ['--enable-source-maps --invocation_count_for_turbofan=10'])).toBe(
      undefined,
    )
  })

  it('makes this V8 wait longer before it optimises a hot function', () => {
    const byDefault = callsHotFunction(false)
    const later = callsHotFunction(true)
    expect(byDefault).toEqual({ flag: null, optimized: true })
    expect(later.flag).toMatch(/^--(?:interrupt-budget|invocation-count-for-turbofan)=/)
    expect(later.optimized).toBe(false)
  })
})
