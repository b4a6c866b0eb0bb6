import { readFileSync } from 'node:fs'
import { posix } from 'node:path'
import type { YAMLMap, YAMLSeq } from 'yaml'
import { parse, type Tags } from 'yaml'

/** A template that cannot be read the way the build and the tests need it. */
export class TemplateError extends Error {
  override readonly name = 'TemplateError'
}

/** A CloudFormation/SAM template as plain data; short-form intrinsics become their long form. */
export interface CfnTemplate {
  readonly [section: string]: unknown
  readonly Resources: Readonly<Record<string, CfnResource>>
}

export interface CfnResource {
  readonly Type: string
  readonly Properties?: Readonly<Record<string, unknown>>
  readonly Metadata?: Readonly<Record<string, unknown>>
  readonly Condition?: string
  readonly DeletionPolicy?: string
  readonly UpdateReplacePolicy?: string
}

/** One AWS::Serverless::Function with its build definition. */
export interface TemplateFunction {
  readonly logicalId: string
  readonly properties: Readonly<Record<string, unknown>>
  /** `Metadata.BuildMethod`, e.g. `esbuild`; undefined when SAM builds the function its default way. */
  readonly buildMethod: string | undefined
  readonly buildProperties: Readonly<Record<string, unknown>>
  /** `BuildProperties.EntryPoints` joined to the function's CodeUri: paths from the project root. */
  readonly entryPoints: readonly string[]
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

const FUNCTION_NAMES = [
  'And',
  'Base64',
  'Cidr',
  'Contains',
  'EachMemberEquals',
  'EachMemberIn',
  'Equals',
  'FindInMap',
  'GetAZs',
  'If',
  'ImportValue',
  'Join',
  'Length',
  'Not',
  'Or',
  'RefAll',
  'Select',
  'Split',
  'Sub',
  'ToJsonString',
  'Transform',
  'ValueOf',
  'ValueOfAll',
]

function collectionTags(tag: string, toLongForm: (value: unknown) => unknown): Tags {
  const resolve = (node: YAMLMap.Parsed | YAMLSeq.Parsed): unknown => toLongForm(node.toJSON())
  return [
    { tag, collection: 'seq', resolve },
    { tag, collection: 'map', resolve },
  ]
}

function splitGetAtt(value: string): string[] {
  const dot = value.indexOf('.')
  return dot < 0 ? [value] : [value.slice(0, dot), value.slice(dot + 1)]
}

/** YAML tags for CloudFormation's short-form intrinsic functions (`!Ref`, `!Sub`, `!GetAtt`, `!If`, …). */
export const CLOUDFORMATION_TAGS: Tags = [
  { tag: '!Ref', resolve: (value: string) => ({ Ref: value }) },
  { tag: '!Condition', resolve: (value: string) => ({ Condition: value }) },
  { tag: '!GetAtt', resolve: (value: string) => ({ 'Fn::GetAtt': splitGetAtt(value) }) },
  ...collectionTags('!GetAtt', (value) => ({ 'Fn::GetAtt': value })),
  ...FUNCTION_NAMES.flatMap((name): Tags => {
    const key = `Fn::${name}`
    return [
      { tag: `!${name}`, resolve: (value: string) => ({ [key]: value }) },
      ...collectionTags(`!${name}`, (value) => ({ [key]: value })),
    ]
  }),
]

/** Parses template text; throws TemplateError when it is not a mapping with a Resources mapping. */
export function parseTemplate(text: string, source = 'template'): CfnTemplate {
  const document: unknown = parse(text, { customTags: CLOUDFORMATION_TAGS, uniqueKeys: true })
  if (!isRecord(document)) throw new TemplateError(`${source}: not a YAML mapping`)
  const resources = document.Resources
  if (!isRecord(resources)) throw new TemplateError(`${source}: Resources is missing or not a mapping`)
  for (const [logicalId, resource] of Object.entries(resources)) {
    if (!isRecord(resource) || typeof resource.Type !== 'string') {
      throw new TemplateError(`${source}: Resources.${logicalId} has no Type`)
    }
  }
  return document as CfnTemplate
}

/** Reads and parses a template file. */
export function readTemplate(path = 'template.yaml'): CfnTemplate {
  return parseTemplate(readFileSync(path, 'utf8'), path)
}

/** The resources of one type, as `[logicalId, resource]` pairs in template order. */
export function listResources(template: CfnTemplate, type: string): Array<[string, CfnResource]> {
  return Object.entries(template.Resources).filter(([, resource]) => resource.Type === type)
}

function readGlobalFunctionProperty(template: CfnTemplate, name: string): unknown {
  const globals = template.Globals
  if (!isRecord(globals) || !isRecord(globals.Function)) return undefined
  return globals.Function[name]
}

function readEntryPoints(
  logicalId: string,
  codeUri: unknown,
  buildProperties: Record<string, unknown>,
): string[] {
  const entries = buildProperties.EntryPoints
  if (entries === undefined) return []
  if (!Array.isArray(entries) || !entries.every((entry) => typeof entry === 'string')) {
    throw new TemplateError(`${logicalId}: Metadata.BuildProperties.EntryPoints must be a list of paths`)
  }
  if (typeof codeUri !== 'string') {
    throw new TemplateError(`${logicalId}: CodeUri must be a local path to build EntryPoints`)
  }
  return entries.map((entry) => posix.normalize(posix.join(codeUri, entry)))
}

/** Every AWS::Serverless::Function of the template with its esbuild Metadata and entry points. */
export function listTemplateFunctions(template: CfnTemplate): TemplateFunction[] {
  return listResources(template, 'AWS::Serverless::Function').map(([logicalId, resource]) => {
    const properties = resource.Properties ?? {}
    const metadata = resource.Metadata ?? {}
    const buildMethod = metadata.BuildMethod
    if (buildMethod !== undefined && typeof buildMethod !== 'string') {
      throw new TemplateError(`${logicalId}: Metadata.BuildMethod must be a string`)
    }
    const buildProperties = metadata.BuildProperties ?? {}
    if (!isRecord(buildProperties)) {
      throw new TemplateError(`${logicalId}: Metadata.BuildProperties must be a mapping`)
    }
    const codeUri = properties.CodeUri ?? readGlobalFunctionProperty(template, 'CodeUri') ?? '.'
    return {
      logicalId,
      properties,
      buildMethod,
      buildProperties,
      entryPoints: readEntryPoints(logicalId, codeUri, buildProperties),
    }
  })
}

/** Reads the template file and lists its functions (see `listTemplateFunctions`). */
export function readTemplateFunctions(path = 'template.yaml'): TemplateFunction[] {
  return listTemplateFunctions(readTemplate(path))
}
