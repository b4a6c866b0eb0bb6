import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { basename, extname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { readTemplateFunctions } from '#test-support/template/template.ts'
import { toEsbuildOptions } from '../../../scripts/build.ts'

const ROOT = fileURLToPath(new URL('../../../', import.meta.url))
const functions = readTemplateFunctions(join(ROOT, 'template.yaml'))

function listHandlerFiles(): string[] {
  const functionsDir = join(ROOT, 'functions')
  if (!existsSync(functionsDir)) return []
  return readdirSync(functionsDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(functionsDir, entry.name, 'handler.ts')))
    .map((entry) => `functions/${entry.name}/handler.ts`)
}

describe('template functions and handler files', () => {
  it('declares the four guard functions', () => {
    expect(functions.map((fn) => fn.logicalId).sort()).toEqual([
      'AuditFunction',
      'DetectFunction',
      'NotifyFunction',
      'RemediateFunction',
    ])
  })

  it.each(functions)('$logicalId has exactly one entry point, present on disk', ({ entryPoints }) => {
    expect(entryPoints).toHaveLength(1)
    for (const entry of entryPoints) expect(existsSync(join(ROOT, entry)), `${entry} is missing`).toBe(true)
  })

  it.each(functions)('$logicalId entry point exports `handler`', ({ entryPoints }) => {
    for (const entry of entryPoints) {
      const path = join(ROOT, entry)
      expect(existsSync(path), `${entry} is missing`).toBe(true)
      expect(readFileSync(path, 'utf8')).toMatch(/export const handler\b/)
    }
  })

  it.each(functions)('$logicalId Handler names the file esbuild writes and its export', (fn) => {
    const [entry] = fn.entryPoints
    expect(entry).toBeDefined()
    const options = toEsbuildOptions(fn.buildProperties, {
      logicalId: fn.logicalId,
      entryPoints: fn.entryPoints,
      outdir: 'out',
    })
    // With one entry point esbuild writes <entry basename><out extension> at the artifact root.
    const stem = basename(entry ?? '', extname(entry ?? ''))
    expect(fn.properties.Handler).toBe(`${stem}.handler`)
    expect(options.outExtension?.['.js']).toBe('.mjs')
  })

  it('references every functions/*/handler.ts from the template', () => {
    const referenced = new Set(functions.flatMap((fn) => fn.entryPoints))
    const handlers = listHandlerFiles()
    expect(handlers.filter((file) => !referenced.has(file))).toEqual([])
  })
})
