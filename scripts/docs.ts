/**
 * Writes docs/contracts.md and docs/schemas/*.schema.json from the zod schemas and constants the
 * code itself uses: the CLI's usage, options and exit codes, the JSON it prints, the findings-bus
 * events, the guard config, the rule IDs, the trust classes and the event routing of the template.
 * The headings and the sentences between the tables are written here; every table is read from
 * the code. test/unit/docs/contracts-doc.test.ts fails when a file differs from what this writes.
 *
 *   npm run docs               write the files
 *   npm run docs -- --check    exit 1 when a file differs from what the code gives
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, realpathSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import * as z from 'zod'
import { DEFAULT_CONFIG, parseGuardConfig } from '#shared/config/guard-config.ts'
import { guardConfigSchema } from '#shared/config/guard-config-schema.ts'
import {
  DEFAULT_ENFORCE_RULES,
  DEFAULT_SEVERITY,
  RULE_IDS,
  RULE_SUMMARIES,
  SEVERITIES,
} from '#shared/config/rules.ts'
import { TRUST_CLASSES } from '#shared/evaluator/trust-class.ts'
import {
  changeSummarySchema,
  FINDING_DETAIL_TYPE,
  findingEventDetailSchema,
  GUARD_EVENT_SOURCE,
  guardBusEventSchema,
  REMEDIATION_DETAIL_TYPE,
  remediationEventDetailSchema,
} from '#shared/pipeline/bus-events.ts'
import { remediationPlanSchema, remediationStepSchema } from '#shared/pipeline/remediation-steps.ts'
import { CLASS_WORDS, TRUST_CLASS_SEVERITY } from '#shared/posture/rules/external-trust.ts'
import {
  auditReportSchema,
  organizationAuditReportSchema,
  replaySchema,
  reportFindingSchema,
  whoCanSchema,
} from '#shared/report/contract-schemas.ts'
import { organizationFileSchema } from '#shared/snapshot/organization.ts'
import { isRecord, listResources, readTemplate } from '#test-support/template/template.ts'
import { COMMAND_OPTIONS, DEFAULT_FAIL_ON, EXIT_CODES, USAGE } from '../bin/cli/run-cli.ts'

/** The project root: every path this script writes or reads is relative to it. */
export const ROOT = fileURLToPath(new URL('..', import.meta.url))

export const CONTRACTS_FILE = 'docs/contracts.md'
export const SCHEMAS_DIR = 'docs/schemas'

/** What each exit code means; the codes themselves are the CLI's. */
const EXIT_CODE_MEANINGS: Readonly<Record<keyof typeof EXIT_CODES, string>> = {
  clean: `Nothing at or above \`--fail-on\` (default \`${DEFAULT_FAIL_ON}\`); \`--help\`; \`who-can\` and \`snapshot\` when they finish.`,
  findings: '`audit` and `replay`: a finding at or above `--fail-on`.',
  error:
    'Bad usage or bad input: one line on stderr (a missing, unreadable, empty or too large file, invalid JSON, an invalid snapshot, config or event), no stack trace. Also output that cannot be written (a full disk); a reader that stops reading (`| head`) ends the output quietly and leaves the exit code as it was.',
}

/**
 * Meanings of the fields whose schema has no `.describe()` (the findings-bus schemas), keyed by
 * table and field path. Every field needs a meaning, and every entry here a field: the script
 * stops on either gap, so a new field cannot go undocumented and a removed one leaves nothing.
 */
const FIELD_NOTES: Readonly<Record<string, string>> = {
  'finding-event:id': 'Stable ID of the finding (see [findings](#findings)).',
  'finding-event:rule': 'The rule that raised the finding.',
  'finding-event:severity': 'The rule default, or what the rule or the config chose.',
  'finding-event:accountId': 'The account of the finding.',
  'finding-event:principalArn':
    'The user, role or policy; null when the finding is about a config pattern that matches nobody.',
  'finding-event:title': 'One line; the SNS subject is made from it.',
  'finding-event:detail': 'What was found.',
  'finding-event:evidence': 'What the rule saw; the keys depend on the rule.',
  'finding-event:remediation': 'What the guard can do, and what a person should do.',
  'finding-event:remediation.automatic':
    'Enforce mode reverts it: the remediate rule matches `mode: enforce` and `remediation.automatic: true`.',
  'finding-event:remediation.steps': 'What a person should do, in order.',
  'finding-event:mode': 'The mode the finding was raised in.',
  'finding-event:change': 'The change that raised it; absent for the scheduled audit.',
  'finding-event:plan':
    'The revert detect or the audit planned. remediate re-plans on its own and never applies it.',
  'finding-event:withheld': 'Why enforce mode does not apply the plan (`not in enforceRules`, …).',
  'remediation-event:findingId': 'The `id` of the finding answered.',
  'remediation-event:rule': 'The rule of the finding.',
  'remediation-event:severity': 'The severity of the finding.',
  'remediation-event:accountId': 'The account of the finding.',
  'remediation-event:principalArn': 'The principal of the finding.',
  'remediation-event:title': 'The title of the finding.',
  'remediation-event:outcome': 'What remediate did.',
  'remediation-event:steps':
    'For `reverted` and `failed`, the steps attempted; for `skipped`, those it would have applied.',
  'remediation-event:reason': 'Why it was skipped, or what failed.',
  'remediation-event:error': 'The error of a failed write.',
  'remediation-event:refused':
    'The finding event asked for writes outside the plan of the guard itself: nothing was written.',
  'remediation-event:change': 'The change the finding answered; absent for the scheduled audit.',
  'change-summary:eventName': 'The API call.',
  'change-summary:eventId': 'The CloudTrail event ID.',
  'change-summary:eventTime': 'When the call was made (ISO 8601).',
  'change-summary:actorArn': 'Who made the call (the role behind an assumed-role session).',
  'change-summary:sourceIp': 'Where the call came from.',
  'change-summary:userAgent': 'The client that made the call.',
  'change-summary:failed': 'CloudTrail recorded an `errorCode`: an attempt.',
  'change-summary:errorCode': 'The error of a failed call.',
  'change-summary:targets': 'ARNs the call touches, principals first.',
  'change-summary:parameters':
    'Request parameters that matter to a reader (policy ARN, names, document), documents decoded.',
  'change-summary:principalsChecked': 'Roles and users the guard read and judged for this change.',
  'remediation-plan:steps': 'The IAM writes, in order.',
  'remediation-plan:reason': 'The change it undoes, in words.',
  'remediation-plan:source':
    '`change`: the inverse of the change; `baseline`: an element restored from the last known-good baseline; `recreate`: the Service Quotas service-linked role re-created.',
}

type Node = Readonly<Record<string, unknown>>

interface Field {
  readonly path: string
  readonly type: string
  readonly required: boolean
  readonly meaning: string
}

interface Named {
  readonly schema: z.ZodType
  readonly link: string
}

/** Schemas that have a section of their own: where they appear in another, the row links there. */
const NAMED: readonly Named[] = [
  { schema: z.enum(RULE_IDS), link: '[rule ID](#rule-ids)' },
  { schema: z.enum(SEVERITIES), link: '[severity](#severities)' },
  { schema: reportFindingSchema, link: '[finding](#findings)' },
  { schema: auditReportSchema, link: '[audit report](#audit-json)' },
  { schema: findingEventDetailSchema, link: '[finding event detail](#finding-event)' },
  { schema: changeSummarySchema, link: '[change summary](#change-summary)' },
  { schema: remediationPlanSchema, link: '[remediation plan](#remediation-plan)' },
  { schema: remediationStepSchema, link: '[remediation step](#remediation-steps)' },
]

function jsonSchema(schema: z.ZodType, io: 'input' | 'output' = 'output'): Node {
  return z.toJSONSchema(schema, { io, unrepresentable: 'throw' }) as Node
}

/** A node as compared with the named schemas: without `$schema` and its own description. */
function shapeKey(node: Node): string {
  const { $schema: _schema, description: _description, ...shape } = node
  return JSON.stringify(shape)
}

class FieldTables {
  readonly #named = new Map(NAMED.map((entry) => [shapeKey(jsonSchema(entry.schema)), entry.link]))
  readonly #usedNotes = new Set<string>()

  /** One row per field of `schema`, nested objects flattened into `a.b` and `a[].b` paths. */
  rows(table: string, schema: z.ZodType, io: 'input' | 'output' = 'output'): Field[] {
    const root = jsonSchema(schema, io)
    const rows: Field[] = []
    this.#properties(table, root, '', rows)
    return rows
  }

  /** Notes of FIELD_NOTES that no field used. */
  unusedNotes(): string[] {
    return Object.keys(FIELD_NOTES).filter((key) => !this.#usedNotes.has(key))
  }

  #properties(table: string, node: Node, prefix: string, rows: Field[]): void {
    const properties = isRecord(node.properties) ? node.properties : {}
    const required = Array.isArray(node.required) ? node.required : []
    for (const [name, child] of Object.entries(properties)) {
      if (!isRecord(child)) throw new Error(`${table}: ${prefix}${name} is not a schema`)
      this.#field(table, `${prefix}${name}`, child, required.includes(name), rows)
    }
  }

  #field(table: string, path: string, node: Node, required: boolean, rows: Field[]): void {
    const { inner, nullable } = unwrapNullable(node)
    const meaning = this.#meaning(table, path, node, inner)
    const orNull = nullable ? ' or null' : ''
    const named = this.#named.get(shapeKey(inner))
    if (named) {
      rows.push({ path, type: `${named}${orNull}`, required, meaning })
      return
    }
    if (inner.type === 'object' && isRecord(inner.properties)) {
      rows.push({ path, type: `object${orNull}`, required, meaning })
      this.#properties(table, inner, `${path}.`, rows)
      return
    }
    if (inner.type === 'array' && isRecord(inner.items)) {
      const items = inner.items
      if (!this.#named.has(shapeKey(items)) && items.type === 'object' && isRecord(items.properties)) {
        rows.push({ path, type: `list of objects${orNull}`, required, meaning })
        this.#properties(table, items, `${path}[].`, rows)
        return
      }
    }
    rows.push({ path, type: `${this.#type(table, path, inner)}${orNull}`, required, meaning })
  }

  #type(table: string, path: string, node: Node): string {
    const named = this.#named.get(shapeKey(node))
    if (named) return named
    if (Object.keys(node).filter((key) => key !== 'description').length === 0) return 'any JSON value'
    if ('const' in node) return `\`${JSON.stringify(node.const)}\``
    if (Array.isArray(node.enum)) return `one of ${node.enum.map((value) => `\`${value}\``).join(', ')}`
    if (node.anyOf || node.oneOf) throw new Error(`${table}: ${path} is a union without a section of its own`)
    switch (node.type) {
      case 'string':
        if (typeof node.pattern === 'string') return `string matching \`${node.pattern}\``
        return node.minLength === 1 ? 'non-empty string' : 'string'
      case 'boolean':
        return 'boolean'
      case 'integer':
        return node.minimum === 0 ? 'integer, 0 or more' : 'integer'
      case 'number':
        return 'number'
      case 'array': {
        const items = isRecord(node.items) ? this.#type(table, `${path}[]`, node.items) : 'any JSON value'
        const least = typeof node.minItems === 'number' ? `, at least ${node.minItems}` : ''
        return `list of ${items}${least}`
      }
      case 'object': {
        const keys = isRecord(node.propertyNames) ? this.#type(table, path, node.propertyNames) : 'string'
        const values = isRecord(node.additionalProperties)
          ? this.#type(table, path, node.additionalProperties)
          : 'any JSON value'
        return `map of ${keys} to ${values}`
      }
    }
    throw new Error(`${table}: ${path} has a type this script cannot name: ${JSON.stringify(node)}`)
  }

  #meaning(table: string, path: string, node: Node, inner: Node): string {
    const described = node.description ?? inner.description
    if (typeof described === 'string') return described
    const key = `${table}:${path}`
    const note = FIELD_NOTES[key]
    if (note === undefined)
      throw new Error(`no meaning for ${key}: describe it in its schema or in FIELD_NOTES of scripts/docs.ts`)
    this.#usedNotes.add(key)
    return note
  }
}

function unwrapNullable(node: Node): { inner: Node; nullable: boolean } {
  const options = Array.isArray(node.anyOf) ? node.anyOf.filter(isRecord) : []
  const nonNull = options.filter((option) => option.type !== 'null')
  if (options.length === 2 && nonNull.length === 1 && nonNull[0]) return { inner: nonNull[0], nullable: true }
  return { inner: node, nullable: false }
}

function cell(text: string): string {
  return text.replaceAll('|', '\\|').replaceAll('\n', ' ')
}

function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const lines = [
    `| ${header.join(' | ')} |`,
    `|${header.map(() => '---').join('|')}|`,
    ...rows.map((row) => `| ${row.map(cell).join(' | ')} |`),
  ]
  return lines.join('\n')
}

function fieldTable(rows: readonly Field[]): string {
  return table(
    ['field', 'type', 'required', 'meaning'],
    rows.map((row) => [`\`${row.path}\``, row.type, row.required ? 'yes' : 'no', row.meaning]),
  )
}

function code(value: string): string {
  return `\`${value}\``
}

function codeList(values: readonly string[]): string {
  return values.length === 0 ? '`[]`' : values.map(code).join(', ')
}

/** The value of a config field when the config leaves it out, as the code parses `{}`. */
function defaultAt(path: string): string {
  let value: unknown = DEFAULT_CONFIG
  for (const key of path.split('.')) value = isRecord(value) ? value[key] : undefined
  if (value === undefined) return '(none)'
  if (Array.isArray(value)) return codeList(value.map(String))
  if (isRecord(value)) return Object.keys(value).length === 0 ? '`{}`' : code(JSON.stringify(value))
  return code(String(value))
}

/** What the CLI takes: its usage text, the options of each command and its exit codes. */
function cliSection(): string {
  const commands = [...COMMAND_OPTIONS].map(([command, options]) => [
    code(command),
    options.map((option) => code(`--${option}`)).join(', '),
  ])
  const exits = (Object.keys(EXIT_CODES) as (keyof typeof EXIT_CODES)[]).map((name) => [
    code(String(EXIT_CODES[name])),
    code(name),
    EXIT_CODE_MEANINGS[name],
  ])
  return `## CLI

Source: \`bin/cli/run-cli.ts\` (\`USAGE\`, \`COMMAND_OPTIONS\`, \`EXIT_CODES\`). \`support-guard --help\` prints:

\`\`\`text
${USAGE}
\`\`\`

A command refuses every option it does not take:

${table(['command', 'options'], commands)}

### Exit codes

${table(['code', 'name', 'meaning'], exits)}`
}

function ruleSection(): string {
  const rows = RULE_IDS.map((rule) => [
    code(rule),
    DEFAULT_SEVERITY[rule],
    DEFAULT_ENFORCE_RULES.includes(rule) ? 'yes' : 'no',
    RULE_SUMMARIES[rule],
  ])
  return `## Rule IDs

Source: \`shared/config/rules.ts\` (\`RULE_IDS\`, \`DEFAULT_SEVERITY\`, \`DEFAULT_ENFORCE_RULES\`, \`RULE_SUMMARIES\`). A rule may lower or raise its own severity in the cases its sentence names; \`severityOverrides\` in the config wins over both. "Enforced by default": the rule is in the default \`enforceRules\`.

${table(['rule', 'default severity', 'enforced by default', 'fires when'], rows)}

## Severities

Most severe first: ${SEVERITIES.map(code).join(', ')}. \`--fail-on\` and the enforce-mode floor (never below \`medium\`) compare in this order.`
}

function trustSection(): string {
  const rows = TRUST_CLASSES.map((trustClass) => [
    code(trustClass),
    CLASS_WORDS[trustClass],
    TRUST_CLASS_SEVERITY[trustClass] ?? 'none',
  ])
  return `## Trust classes

Source: \`shared/evaluator/trust-class.ts\` (\`TRUST_CLASSES\`) and \`shared/posture/rules/external-trust.ts\` (\`CLASS_WORDS\`, \`TRUST_CLASS_SEVERITY\`). Each trust relationship of a role with support access gets a class, in \`evidence.trust[].class\` of a \`SUPPORT_ACCESS_EXTERNAL_TRUST\` finding. The classes go from the narrowest reach to the widest. The finding takes the highest severity of its classes (its class is \`evidence.trustClass\`); classes without a severity raise none, and a role in \`supportPrincipals.approved\` raises none.

${table(['class', 'in words', 'finding severity'], rows)}`
}

function configSection(tables: FieldTables): string {
  const fields = tables
    .rows('guard-config', guardConfigSchema, 'input')
    .filter((row) => row.type !== 'object')
  const rows = fields.map((row) => [code(row.path), row.type, defaultAt(row.path), row.meaning])
  const examplePath = 'shared/examples/example-config.json'
  const example = readFileSync(join(ROOT, examplePath), 'utf8')
  parseGuardConfig(JSON.parse(example))
  return `## Guard config

Source: \`shared/config/guard-config-schema.ts\` (\`guardConfigSchema\`); defaults as \`parseGuardConfig({})\` gives them. JSON Schema: [schemas/guard-config.schema.json](schemas/guard-config.schema.json). Every field is optional; unknown keys are errors. Action names are matched in any case and kept in the catalog's spelling. The functions read the config from the \`GUARD_CONFIG\` environment variable; the deploy parameter \`Mode\` wins over \`mode\`.

${table(['field', 'type', 'default', 'meaning'], rows)}

\`${examplePath}\`, which the example account goes with:

\`\`\`json
${example.trimEnd()}
\`\`\``
}

function stepsTable(): string {
  const root = jsonSchema(remediationStepSchema)
  const variants = Array.isArray(root.oneOf) ? root.oneOf.filter(isRecord) : []
  if (variants.length === 0) throw new Error('remediation steps: expected a discriminated union')
  const rows = variants.map((variant) => {
    const properties = isRecord(variant.properties) ? variant.properties : {}
    const action = isRecord(properties.action) ? String(properties.action.const) : '?'
    const fields = Object.entries(properties)
      .filter(([name]) => name !== 'action')
      .map(([name, field]) => {
        const values = isRecord(field) && Array.isArray(field.enum) ? ` (${field.enum.join(', ')})` : ''
        return `\`${name}\`${values}`
      })
    return [code(action), fields.join(', ')]
  })
  return table(['action', 'fields'], rows)
}

/** The EventBridge rules of the template: which events reach which function. */
function routingTable(): string {
  const template = readTemplate(join(ROOT, 'template.yaml'))
  const rows = listResources(template, 'AWS::Events::Rule').map(([logicalId, resource]) => {
    const properties = resource.Properties ?? {}
    const bus = properties.EventBusName
    const busName = isRecord(bus) && typeof bus.Ref === 'string' ? bus.Ref : 'default'
    const schedule = properties.ScheduleExpression
    const scheduleText =
      isRecord(schedule) && typeof schedule.Ref === 'string'
        ? `the parameter ${code(schedule.Ref)}`
        : code(JSON.stringify(schedule))
    const pattern =
      properties.EventPattern !== undefined
        ? code(JSON.stringify(properties.EventPattern))
        : `schedule: ${scheduleText}`
    const targets = Array.isArray(properties.Targets) ? properties.Targets.filter(isRecord) : []
    const functions = targets.map((target) => {
      const arn = target.Arn
      const getAtt = isRecord(arn) && Array.isArray(arn['Fn::GetAtt']) ? arn['Fn::GetAtt'][0] : undefined
      return code(typeof getAtt === 'string' ? getAtt : JSON.stringify(arn))
    })
    return [code(logicalId), busName, pattern, functions.join(', ')]
  })
  return table(['rule', 'bus', 'matches', 'target'], rows)
}

function contractsMarkdown(): string {
  const tables = new FieldTables()
  const sections = [
    `# Contracts

<!-- Generated by \`npm run docs\` (scripts/docs.ts) from the code. Do not edit by hand: change the code or the script, then run npm run docs. -->

What the guard promises to those who read its output or write its input. Each table is read from the schema or constant the code uses, named under each heading. \`test/unit/docs/contracts-doc.test.ts\` fails when this file differs from what \`npm run docs\` writes. \`docs/schemas/\` holds the JSON Schema (draft 2020-12) of each JSON document. How the parts fit together: [architecture.md](architecture.md).

- [CLI](#cli) and its [exit codes](#exit-codes)
- JSON output: [audit](#audit-json), [audit of several accounts](#organization-audit-json), [who-can](#who-can-json), [replay](#replay-json), [findings](#findings)
- [Bus events](#bus-events): [finding event](#finding-event), [remediation event](#remediation-event), [change summary](#change-summary), [remediation plan](#remediation-plan), [remediation steps](#remediation-steps), [event routing](#event-routing)
- [Guard config](#guard-config), [rule IDs](#rule-ids), [severities](#severities), [trust classes](#trust-classes)
- [Organization file](#organization-file)`,
    cliSection(),
    `## Audit JSON

\`support-guard audit --format json\` prints one object. Source: \`auditReportSchema\` in \`shared/report/contract-schemas.ts\`; JSON Schema: [schemas/audit-report.schema.json](schemas/audit-report.schema.json). Objects have no other keys. Policies the guard cannot read are not in the report: each is a \`warning:\` line on stderr.

${fieldTable(tables.rows('audit-json', auditReportSchema))}`,
    `## Organization audit JSON

\`support-guard audit --format json\` with several \`--snapshot\` files, or a directory of exports, prints one object. Source: \`organizationAuditReportSchema\` in \`shared/report/contract-schemas.ts\`; JSON Schema: [schemas/organization-audit-report.schema.json](schemas/organization-audit-report.schema.json). The accounts are audited one at a time, each with the organisation's SCPs when an [organization file](#organization-file) goes with the exports (\`--org FILE\`, or \`organization.json\` in the directory). A principal that can assume a support role of another of the audited accounts (the role lets its account, it, or any account in, and its policies allow \`sts:AssumeRole\` on the role) has \`SUPPORT_ACCESS_GRANTED\` naming that role, as within an account. Unreadable policies are \`warning: account <id>:\` lines on stderr, and so is every account of the organisation file without an export.

${fieldTable(tables.rows('organization-audit-json', organizationAuditReportSchema))}`,
    `## Who-can JSON

\`support-guard who-can ACTION --format json\` prints one object. Source: \`whoCanSchema\` in \`shared/report/contract-schemas.ts\`; JSON Schema: [schemas/who-can.schema.json](schemas/who-can.schema.json).

${fieldTable(tables.rows('who-can-json', whoCanSchema))}`,
    `## Replay JSON

\`support-guard replay EVENT_FILE --format json\` prints one object. Source: \`replaySchema\` in \`shared/report/contract-schemas.ts\`; JSON Schema: [schemas/replay.schema.json](schemas/replay.schema.json).

${fieldTable(tables.rows('replay-json', replaySchema))}`,
    `## Findings

A finding of the audit report. Source: \`reportFindingSchema\` in \`shared/report/contract-schemas.ts\`; the type is \`Finding\` in \`shared/findings/finding.ts\`. A finding about a config pattern that matches nobody has \`principalArn: null\`: a pattern is not a principal, so it is in \`evidence.pattern\` and tells such findings apart. On the findings bus and in \`replay\` a finding carries more: see [finding event](#finding-event).

${fieldTable(tables.rows('findings', reportFindingSchema))}`,
    `## Bus events

The guard puts two kinds of event on its own EventBridge bus, with \`source\` \`${GUARD_EVENT_SOURCE}\`. Source: \`shared/pipeline/bus-events.ts\` (\`guardBusEventSchema\`); JSON Schema: [schemas/bus-event.schema.json](schemas/bus-event.schema.json). Producers build these types and consumers parse with these schemas.

${table(
  ['detail-type', 'detail', 'put by'],
  [
    [code(FINDING_DETAIL_TYPE), '[finding event detail](#finding-event)', 'detect, audit'],
    [code(REMEDIATION_DETAIL_TYPE), '[remediation event detail](#remediation-event)', 'remediate'],
  ],
)}

### Finding event

The \`detail\` of a \`${FINDING_DETAIL_TYPE}\` event; \`replay\` prints the same objects in \`findings\`. Source: \`findingEventDetailSchema\`.

${fieldTable(tables.rows('finding-event', findingEventDetailSchema))}

### Remediation event

The \`detail\` of a \`${REMEDIATION_DETAIL_TYPE}\` event. Source: \`remediationEventDetailSchema\`.

${fieldTable(tables.rows('remediation-event', remediationEventDetailSchema))}

### Change summary

The change that raised a finding, as findings and notifications show it. Source: \`changeSummarySchema\`.

${fieldTable(tables.rows('change-summary', changeSummarySchema))}

### Remediation plan

A revert: the steps, and why. Source: \`remediationPlanSchema\` in \`shared/pipeline/remediation-steps.ts\`.

${fieldTable(tables.rows('remediation-plan', remediationPlanSchema))}

### Remediation steps

One IAM write the guard can make, told apart by \`action\`. Source: \`remediationStepSchema\` in \`shared/pipeline/remediation-steps.ts\`. Documents are JSON objects.

${stepsTable()}

### Event routing

The EventBridge rules of \`template.yaml\`: which events reach which function.

${routingTable()}`,
    configSection(tables),
    ruleSection(),
    trustSection(),
    `## Organization file

What AWS Organizations says about the organisation, for \`support-guard audit\`, \`who-can\` and \`replay\` with \`--org FILE\`, or inside an account export as \`Organization\`. Source: \`organizationFileSchema\` in \`shared/snapshot/organization.ts\`; JSON Schema: [schemas/organization.schema.json](schemas/organization.schema.json). Other keys are allowed and ignored, so the outputs of the \`aws organizations\` commands named below can be pasted in whole.

The account's SCPs are evaluated level by level, as AWS does: an action must be allowed by an SCP attached at every level from the root through each OU to the account, and a Deny at any level denies. SCPs never restrict service-linked roles, nor the users and roles of the management account. An account the file does not place under a root, and a level without any SCP (AWS always keeps one), are reported and left out: the audit then shows more access than the account may have, never less.

${fieldTable(tables.rows('organization-file', organizationFileSchema, 'input'))}`,
  ]
  const unused = tables.unusedNotes()
  if (unused.length > 0) throw new Error(`FIELD_NOTES names fields that do not exist: ${unused.join(', ')}`)
  return `${sections.join('\n\n')}\n`
}

function schemaFile(schema: z.ZodType, io: 'input' | 'output' = 'output'): string {
  return `${JSON.stringify(jsonSchema(schema, io), null, 2)}\n`
}

/** Every file this script writes, by path from the project root, with its content. */
export function buildDocs(): ReadonlyMap<string, string> {
  return new Map([
    [CONTRACTS_FILE, contractsMarkdown()],
    [`${SCHEMAS_DIR}/audit-report.schema.json`, schemaFile(auditReportSchema)],
    [`${SCHEMAS_DIR}/organization-audit-report.schema.json`, schemaFile(organizationAuditReportSchema)],
    [`${SCHEMAS_DIR}/who-can.schema.json`, schemaFile(whoCanSchema)],
    [`${SCHEMAS_DIR}/replay.schema.json`, schemaFile(replaySchema)],
    [`${SCHEMAS_DIR}/bus-event.schema.json`, schemaFile(guardBusEventSchema)],
    [`${SCHEMAS_DIR}/guard-config.schema.json`, schemaFile(guardConfigSchema, 'input')],
    [`${SCHEMAS_DIR}/organization.schema.json`, schemaFile(organizationFileSchema, 'input')],
  ])
}

/** Paths whose file is missing or differs from `docs`, and files of docs/schemas that none writes. */
export function staleDocs(docs: ReadonlyMap<string, string>): string[] {
  const stale = [...docs].filter(([path, content]) => {
    const file = join(ROOT, path)
    return !existsSync(file) || readFileSync(file, 'utf8') !== content
  })
  const schemasDir = join(ROOT, SCHEMAS_DIR)
  const extra = existsSync(schemasDir)
    ? readdirSync(schemasDir)
        .map((name) => `${SCHEMAS_DIR}/${name}`)
        .filter((path) => !docs.has(path))
    : []
  return [...stale.map(([path]) => path), ...extra]
}

/** True when this file was started (`tsx scripts/docs.ts`), false when a test imports it. */
function isMain(): boolean {
  const entry = process.argv[1]
  return entry !== undefined && existsSync(entry) && realpathSync(entry) === fileURLToPath(import.meta.url)
}

if (isMain()) {
  const docs = buildDocs()
  if (process.argv.includes('--check')) {
    const stale = staleDocs(docs)
    if (stale.length > 0) {
      console.error(`stale: ${stale.join(', ')}: run npm run docs`)
      process.exit(1)
    }
  } else {
    for (const [path, content] of docs) {
      const file = join(ROOT, path)
      mkdirSync(dirname(file), { recursive: true })
      writeFileSync(file, content)
    }
  }
}
