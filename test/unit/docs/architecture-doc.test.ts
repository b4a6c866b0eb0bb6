import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { headingAnchors, withoutCodeBlocks } from './markdown.ts'

const ROOT = resolve(import.meta.dirname, '../../..')
const DOCS = join(ROOT, 'docs')
const ARCHITECTURE = join(DOCS, 'architecture.md')

/** Where code comments may point into docs/: the sources, the template and the README. */
const CITING = ['bench', 'bin', 'functions', 'scripts', 'shared', 'test', 'template.yaml', 'README.md']

/** A code span that names a file or folder of the project, e.g. `shared/pipeline/assess-change.ts`. */
const PATH_SPAN = /^[\w.-]+(\/[\w.-]+)*\/?$/
const FILE_ENDINGS = ['.ts', '.json', '.yaml', '.toml', '.md']

function mentionedPaths(markdown: string): string[] {
  const spans = [...withoutCodeBlocks(markdown).matchAll(/`([^`\n]+)`/g)].map((match) => match[1] ?? '')
  const paths = spans.filter(
    (span) => PATH_SPAN.test(span) && (span.includes('/') || FILE_ENDINGS.some((end) => span.endsWith(end))),
  )
  return [...new Set(paths)]
}

/** The files at or under `path`, without dependencies, build output and hidden entries. */
function filesUnder(path: string): string[] {
  if (!existsSync(path)) return []
  if (!statSync(path).isDirectory()) return [path]
  return readdirSync(path, { withFileTypes: true }).flatMap((entry) =>
    entry.name === 'node_modules' || entry.name === 'dist' || entry.name.startsWith('.')
      ? []
      : filesUnder(join(path, entry.name)),
  )
}

function docsFiles(): string[] {
  return readdirSync(DOCS)
    .filter((name) => name.endsWith('.md'))
    .map((name) => join(DOCS, name))
}

describe('docs/architecture.md', () => {
  const text = readFileSync(ARCHITECTURE, 'utf8')

  it('names only files and folders that exist', () => {
    const paths = mentionedPaths(text)
    expect(paths.length).toBeGreaterThan(40)
    expect(paths.filter((path) => !existsSync(join(ROOT, path)))).toEqual([])
  })

  it('names every folder of shared/ in its layers', () => {
    const layers = text.slice(text.indexOf('## Layers'), text.indexOf('## One finding'))
    const folders = readdirSync(join(ROOT, 'shared'), { withFileTypes: true })
      .filter((entry) => entry.isDirectory() && filesUnder(join(ROOT, 'shared', entry.name)).some(isSource))
      .map((entry) => `shared/${entry.name}/`)
    expect(folders.filter((folder) => !layers.includes(`\`${folder}\``))).toEqual([])
  })
})

describe('links into docs/', () => {
  it('point at files and headings that exist, from the docs themselves', () => {
    const broken: string[] = []
    for (const file of docsFiles()) {
      const markdown = withoutCodeBlocks(readFileSync(file, 'utf8'))
      for (const match of markdown.matchAll(/\]\(([^)\s]+)\)/g)) {
        const link = match[1] ?? ''
        if (/^[a-z]+:/.test(link)) continue
        const [target = '', anchor] = link.split('#')
        const targetFile = target === '' ? file : resolve(dirname(file), target)
        if (!existsSync(targetFile)) broken.push(`${relative(ROOT, file)}: ${link}`)
        else if (anchor && !headingAnchors(readFileSync(targetFile, 'utf8')).has(anchor))
          broken.push(`${relative(ROOT, file)}: ${link}`)
      }
    }
    expect(broken).toEqual([])
  })

  it('point at headings that exist, from code comments, tests and the README', () => {
    const anchors = new Map(
      docsFiles().map((file) => [relative(ROOT, file), headingAnchors(readFileSync(file, 'utf8'))]),
    )
    const cited: string[] = []
    const broken: string[] = []
    for (const file of CITING.flatMap((entry) => filesUnder(join(ROOT, entry))).filter(isText)) {
      const source = readFileSync(file, 'utf8')
      for (const match of source.matchAll(/\b(docs\/[\w.-]+\.md)#([\w-]+)/g)) {
        const [cite = '', doc = '', anchor = ''] = match
        cited.push(cite)
        if (!anchors.get(doc)?.has(anchor)) broken.push(`${relative(ROOT, file)}: ${cite}`)
      }
    }
    expect(cited.length).toBeGreaterThan(5)
    expect(broken).toEqual([])
  })
})

function isSource(file: string): boolean {
  return file.endsWith('.ts')
}

function isText(file: string): boolean {
  return FILE_ENDINGS.some((end) => file.endsWith(end))
}
