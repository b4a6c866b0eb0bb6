import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import { build, type Metafile } from 'esbuild'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cliBuildOptions } from '../../../scripts/build.ts'

/** Every output the entry loads before running: its static imports, followed transitively. */
function staticClosure(metafile: Metafile, entry: string): Set<string> {
  const seen = new Set<string>()
  const visit = (file: string) => {
    if (seen.has(file)) return
    seen.add(file)
    for (const item of metafile.outputs[file]?.imports ?? [])
      if (item.kind === 'import-statement' && !item.external) visit(item.path)
  }
  visit(entry)
  return seen
}

describe('the CLI bundle', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cli-bundle-'))
  let metafile: Metafile
  let entry: string

  beforeAll(async () => {
    const result = await build({ ...cliBuildOptions(dir), metafile: true, write: false })
    metafile = result.metafile
    const found = Object.keys(metafile.outputs).find((file) => file.endsWith('/support-guard.js'))
    if (!found) throw new Error('no support-guard.js output')
    entry = found
  })
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('is one entry file named as package.json bin says, minified', () => {
    expect(relative(dir, join(process.cwd(), entry))).toBe('support-guard.js')
    expect(cliBuildOptions(dir).minify).toBe(true)
  })

  it('loads no AWS SDK code for an offline command: the live commands are a chunk loaded on demand', () => {
    const loaded = staticClosure(metafile, entry)
    const inputs = [...loaded].flatMap((file) => Object.keys(metafile.outputs[file]?.inputs ?? {}))
    expect(inputs.some((input) => input.includes('bin/cli/run-cli.ts'))).toBe(true)
    expect(inputs.filter((input) => input.includes('@aws-sdk/') || input.includes('@smithy/'))).toEqual([])
    const all = Object.values(metafile.outputs).flatMap((output) => Object.keys(output.inputs))
    expect(all.some((input) => input.includes('@aws-sdk/client-iam'))).toBe(true)
  })
})
