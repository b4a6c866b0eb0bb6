import { type CfnTemplate, isRecord, listResources } from '#test-support/template/template.ts'

/** The account, Region and stack name the template is deployed to, on paper. */
export const SAMPLE_ACCOUNT = '123456789012'
export const SAMPLE_REGION = 'us-east-1'
export const SAMPLE_STACK = 'support-access-guard'
/** The sample stack is the central guard of this organisation: its widest form. */
export const SAMPLE_ORGANIZATION = 'o-sample12345'

/** How the template's conditions come out for the sample stack (an organisation's central guard). */
const SAMPLE_CONDITIONS: Readonly<Record<string, boolean>> = {
  IsOrganization: true,
  HasNotificationEmail: true,
  HasConfigParameter: false,
  HasDetectConcurrency: true,
}

/** The path every role of the guard is created under (template.yaml, RolePath). */
export const GUARD_ROLE_PATH = '/support-access-guard/'

/** `!Ref AWS::NoValue`: the property or list item is left out. */
const NO_VALUE = Symbol('AWS::NoValue')

const PSEUDO: Readonly<Record<string, string>> = {
  'AWS::Partition': 'aws',
  'AWS::AccountId': SAMPLE_ACCOUNT,
  'AWS::Region': SAMPLE_REGION,
  'AWS::StackName': SAMPLE_STACK,
  'AWS::URLSuffix': 'amazonaws.com',
}

/** A physical name the way CloudFormation generates one: stack name, logical ID, random suffix. */
function generatedName(logicalId: string): string {
  return `${SAMPLE_STACK}-${logicalId}-SAMPLE`
}

/** The ARN of the role SAM creates for a function (`<FunctionLogicalId>Role`), under the guard's role path. */
export function sampleRoleArn(roleLogicalId: string): string {
  return `arn:aws:iam::${SAMPLE_ACCOUNT}:role${GUARD_ROLE_PATH}${generatedName(roleLogicalId)}`
}

/** The role SAM generates for each AWS::Serverless::Function that names no Role of its own. */
function samRoleIds(template: CfnTemplate): Set<string> {
  return new Set(
    listResources(template, 'AWS::Serverless::Function')
      .filter(([, resource]) => resource.Properties?.Role === undefined)
      .map(([logicalId]) => `${logicalId}Role`),
  )
}

/**
 * Resolves the intrinsics the template's policies and environments use (`Ref`, `Fn::GetAtt … Arn`,
 * `Fn::Sub`) into the values CloudFormation would produce in the sample account. Any other intrinsic
 * is returned unresolved, so a test comparing it fails visibly instead of matching by accident.
 */
export function resolveIntrinsics(template: CfnTemplate, value: unknown): unknown {
  const roles = samRoleIds(template)

  const ref = (name: string): string => {
    const pseudo = PSEUDO[name]
    if (pseudo !== undefined) return pseudo
    if (name === 'OrganizationId') return SAMPLE_ORGANIZATION
    const type = template.Resources[name]?.Type
    switch (type) {
      case 'AWS::Events::EventBus':
        return String(resolveValue(template.Resources[name]?.Properties?.Name ?? generatedName(name)))
      case 'AWS::SNS::Topic':
        return `arn:aws:sns:${SAMPLE_REGION}:${SAMPLE_ACCOUNT}:${generatedName(name)}`
      case 'AWS::KMS::Key':
        return `sample-key-${name}`
      default:
        return generatedName(name)
    }
  }

  const arn = (name: string): string => {
    if (roles.has(name)) return sampleRoleArn(name)
    const type = template.Resources[name]?.Type
    switch (type) {
      case 'AWS::Events::EventBus':
        return `arn:aws:events:${SAMPLE_REGION}:${SAMPLE_ACCOUNT}:event-bus/${ref(name)}`
      case 'AWS::Events::Rule':
        return `arn:aws:events:${SAMPLE_REGION}:${SAMPLE_ACCOUNT}:rule/${generatedName(name)}`
      case 'AWS::DynamoDB::Table':
        return `arn:aws:dynamodb:${SAMPLE_REGION}:${SAMPLE_ACCOUNT}:table/${generatedName(name)}`
      case 'AWS::KMS::Key':
        return `arn:aws:kms:${SAMPLE_REGION}:${SAMPLE_ACCOUNT}:key/${ref(name)}`
      case 'AWS::SQS::Queue':
        return `arn:aws:sqs:${SAMPLE_REGION}:${SAMPLE_ACCOUNT}:${generatedName(name)}`
      case 'AWS::Serverless::Function':
        return `arn:aws:lambda:${SAMPLE_REGION}:${SAMPLE_ACCOUNT}:function:${generatedName(name)}`
      default:
        throw new Error(`no sample ARN for ${name} (${type ?? 'not in the template'})`)
    }
  }

  const getAtt = (name: string, attribute: string): string => {
    if (attribute === 'Arn') return arn(name)
    throw new Error(`no sample value for ${name}.${attribute}`)
  }

  const sub = (text: string): string =>
    text.replace(/\$\{([^}.!]+)(?:\.([A-Za-z]+))?\}/g, (_, name: string, attribute?: string) =>
      attribute === undefined ? ref(name) : getAtt(name, attribute),
    )

  function resolveValue(node: unknown): unknown {
    if (Array.isArray(node)) return node.map(resolveValue).filter((item) => item !== NO_VALUE)
    if (!isRecord(node)) return node
    if (node.Ref === 'AWS::NoValue') return NO_VALUE
    if (typeof node.Ref === 'string') return ref(node.Ref)
    const choice = node['Fn::If']
    if (Array.isArray(choice) && typeof choice[0] === 'string') {
      const holds = SAMPLE_CONDITIONS[choice[0]]
      if (holds === undefined) throw new Error(`no sample value for the condition ${choice[0]}`)
      return resolveValue(holds ? choice[1] : choice[2])
    }
    const target = node['Fn::GetAtt']
    if (Array.isArray(target) && typeof target[0] === 'string' && typeof target[1] === 'string') {
      return getAtt(target[0], target[1])
    }
    const text = node['Fn::Sub']
    if (typeof text === 'string') return sub(text)
    return Object.fromEntries(
      Object.entries(node)
        .map(([key, entry]) => [key, resolveValue(entry)] as const)
        .filter(([, entry]) => entry !== NO_VALUE),
    )
  }

  return resolveValue(value)
}
