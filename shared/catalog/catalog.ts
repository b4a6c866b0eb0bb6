import catalogData from './catalog-data.json' with { type: 'json' }
import type { CatalogNamespace } from './namespaces.ts'

/** One IAM action of the catalog, named as in the service authorization reference. */
export interface CatalogAction {
  /** Canonical name with prefix, e.g. `support:CreateCase`. */
  readonly name: string
  readonly namespace: CatalogNamespace
  readonly accessLevel: string
  /** True when the action supports resource-level permissions (its requests name a resource ARN). */
  readonly resourceLevel: boolean
}

const byLowerName = new Map<string, CatalogAction>()
const all: CatalogAction[] = []
for (const [namespace, actions] of Object.entries(catalogData.services)) {
  for (const action of actions) {
    const entry: CatalogAction = {
      name: `${namespace}:${action.name}`,
      namespace: namespace as CatalogNamespace,
      accessLevel: action.accessLevel,
      resourceLevel: action.resourceLevel,
    }
    all.push(entry)
    byLowerName.set(entry.name.toLowerCase(), entry)
  }
}

/** Version of the data package the catalog was generated from. */
export const CATALOG_VERSION: string = catalogData.version

/** Every action of every catalog namespace, in catalog order. */
export function listCatalogActions(): readonly CatalogAction[] {
  return all
}

/** The actions of one namespace, canonical names, in catalog order. */
export function listNamespaceActions(namespace: CatalogNamespace): string[] {
  return all.filter((action) => action.namespace === namespace).map((action) => action.name)
}

/** Looks an action up case-insensitively; undefined when the catalog does not know it. */
export function findCatalogAction(name: string): CatalogAction | undefined {
  return byLowerName.get(name.toLowerCase())
}

/** True when `namespace` is one the catalog covers, so a wildcard in it can be expanded exactly. */
export function isCatalogNamespace(namespace: string): namespace is CatalogNamespace {
  return Object.hasOwn(catalogData.services, namespace.toLowerCase())
}

/** The services the catalog covers, as lower-cased prefixes: `support`, `supportapp`, `sts`, … */
export const CATALOG_NAMESPACES: readonly string[] = Object.keys(catalogData.services).map((namespace) =>
  namespace.toLowerCase(),
)
