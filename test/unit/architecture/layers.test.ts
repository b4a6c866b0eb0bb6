import { readdirSync, readFileSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'

/**
 * The core's layers, bottom first (docs/architecture.md#layers). A module may import from its own
 * layer or any layer below it, never from one above: the catalog and the policy language know
 * nothing of snapshots, the evaluator nothing of events, and so on up to the AWS adapters.
 */
const LAYERS: readonly (readonly string[])[] = [
  ['errors'],
  ['catalog', 'policy'],
  ['config'],
  ['snapshot'],
  ['evaluator'],
  ['events'],
  // A finding's evidence is what the evaluator explained and the event said (statements, trust).
  ['findings'],
  ['posture'],
  ['pipeline'],
  ['notify', 'report'],
  ['aws'],
]

const root = resolve(import.meta.dirname, '../../..')
const sharedDir = join(root, 'shared')

function rankOf(folder: string): number {
  return LAYERS.findIndex((layer) => layer.includes(folder))
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) return sourceFiles(path)
    return entry.name.endsWith('.ts') ? [path] : []
  })
}

/** The top-level folder under shared/ an import specifier points into, or where else it goes. */
function importTarget(file: string, specifier: string): string | undefined {
  if (specifier.startsWith('#shared/')) return specifier.split('/')[1]
  if (!specifier.startsWith('.')) return specifier.startsWith('#') ? specifier : undefined
  const target = relative(sharedDir, resolve(dirname(file), specifier))
  return target.startsWith('..') ? target : target.split('/')[0]
}

function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8')
  return [...text.matchAll(/(?:^|\n)\s*(?:import|export)\b[^'"]*?\bfrom\s+'([^']+)'/g)].map(
    (match) => match[1] ?? '',
  )
}

describe('layers of shared/', () => {
  const files = sourceFiles(sharedDir)

  it('places every folder of shared/ in a layer', () => {
    const folders = readdirSync(sharedDir, { withFileTypes: true })
      .filter((entry) => entry.isDirectory() && sourceFiles(join(sharedDir, entry.name)).length > 0)
      .map((entry) => entry.name)
    expect(folders.filter((folder) => rankOf(folder) < 0)).toEqual([])
  })

  it('imports only sideways or downwards', () => {
    const violations: string[] = []
    for (const file of files) {
      const from = relative(sharedDir, file).split('/')[0] ?? ''
      for (const specifier of importsOf(file)) {
        const to = importTarget(file, specifier)
        if (to === undefined || to === from) continue
        if (rankOf(to) < 0 || rankOf(to) > rankOf(from))
          violations.push(`${relative(root, file)} -> ${specifier}`)
      }
    }
    expect(violations).toEqual([])
  })

  it('sees the imports it checks', () => {
    const pipelineImports = files
      .filter((file) => file.includes('/pipeline/'))
      .flatMap((file) => importsOf(file).map((specifier) => importTarget(file, specifier)))
    expect(pipelineImports).toContain('evaluator')
    expect(pipelineImports).toContain('events')
  })
})
