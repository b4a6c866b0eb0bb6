/** IAM service prefixes whose actions the guard expands wildcards against. */
export const CATALOG_NAMESPACES = [
  'support',
  'support-console',
  'supportapp',
  'supportplans',
  'supportauthz',
  'trustedadvisor',
  'servicequotas',
  'iam',
  'sts',
] as const

export type CatalogNamespace = (typeof CATALOG_NAMESPACES)[number]
