import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { HANDLED_EVENT_SOURCES } from '#shared/events/change-kinds.ts'
import { AUDIT_QUEUE_MAX_RECEIVES } from '#shared/pipeline/organization-audit.ts'
import {
  type CfnResource,
  isRecord,
  listResources,
  listTemplateFunctions,
  readTemplate,
} from '#test-support/template/template.ts'
import { unwrapConditional } from './function-policies.ts'

const ROOT = fileURLToPath(new URL('../../../', import.meta.url))
const template = readTemplate(join(ROOT, 'template.yaml'))
const functions = listTemplateFunctions(template)

interface Statement {
  readonly effect: string
  readonly actions: string[]
  readonly resources: unknown[]
  readonly condition: unknown
}

function toArray(value: unknown): unknown[] {
  if (value === undefined) return []
  return Array.isArray(value) ? value : [value]
}

function record(value: unknown): Record<string, unknown> {
  return isRecord(value) ? value : {}
}

function resource(logicalId: string): CfnResource {
  const found = template.Resources[logicalId]
  if (found === undefined) throw new Error(`no resource ${logicalId}`)
  return found
}

function properties(logicalId: string): Record<string, unknown> {
  return record(resource(logicalId).Properties)
}

/** The Fn::GetAtt / Ref target of an intrinsic, e.g. `{ 'Fn::GetAtt': ['Queue', 'Arn'] }` -> `Queue`. */
function referencedId(value: unknown): string | undefined {
  const intrinsic = record(value)
  if (typeof intrinsic.Ref === 'string') return intrinsic.Ref
  const getAtt = intrinsic['Fn::GetAtt']
  return Array.isArray(getAtt) && typeof getAtt[0] === 'string' ? getAtt[0] : undefined
}

function functionStatements(logicalId: string): Statement[] {
  return toArray(properties(logicalId).Policies).flatMap((policy) =>
    toArray(record(policy).Statement).map((raw) => {
      const statement = record(unwrapConditional(raw))
      return {
        effect: String(statement.Effect),
        actions: toArray(statement.Action).map(String),
        resources: toArray(statement.Resource),
        condition: statement.Condition,
      }
    }),
  )
}

function allowedActions(logicalId: string): string[] {
  return functionStatements(logicalId)
    .filter((statement) => statement.effect === 'Allow')
    .flatMap((statement) => statement.actions)
}

function environment(logicalId: string): Record<string, unknown> {
  return record(record(properties(logicalId).Environment).Variables)
}

describe('parameters, rules and outputs', () => {
  it.each([
    ['Mode', 'monitor'],
    ['GuardConfig', '{}'],
    ['GuardConfigParameterName', ''],
    ['NotificationEmail', ''],
    ['AuditSchedule', 'rate(1 day)'],
    ['LogRetentionDays', 90],
  ])('parameter %s defaults to %j', (name, value) => {
    expect(record(record(template.Parameters)[name]).Default).toBe(value)
  })

  it('limits Mode to monitor and enforce', () => {
    expect(record(record(template.Parameters).Mode).AllowedValues).toEqual(['monitor', 'enforce'])
  })

  it('refuses every Region but us-east-1', () => {
    const assertions = Object.values(record(template.Rules)).flatMap((rule) =>
      toArray(record(rule).Assertions),
    )
    expect(assertions).toContainEqual({
      Assert: { 'Fn::Equals': [{ Ref: 'AWS::Region' }, 'us-east-1'] },
      AssertDescription: expect.stringContaining('us-east-1'),
    })
  })

  it.each([
    'TopicArn',
    'FindingsBusName',
    'BaselineTableName',
    'IdempotencyTableName',
    'DetectFunctionName',
    'RemediateFunctionName',
    'NotifyFunctionName',
    'AuditFunctionName',
  ])('outputs %s', (name) => {
    expect(record(template.Outputs)).toHaveProperty(name)
  })
})

describe('function environment contract', () => {
  it.each([
    [
      'DetectFunction',
      [
        'BASELINE_TABLE_NAME',
        'FINDINGS_BUS_NAME',
        'GUARD_CONFIG',
        'GUARD_MODE',
        'GUARD_REMEDIATION_ROLE_ARN',
        'IDEMPOTENCY_TABLE_NAME',
        'ORGANIZATION_ID',
      ],
    ],
    [
      'RemediateFunction',
      [
        'BASELINE_TABLE_NAME',
        'FINDINGS_BUS_NAME',
        'GUARD_CONFIG',
        'GUARD_MODE',
        'IDEMPOTENCY_TABLE_NAME',
        'ORGANIZATION_ID',
      ],
    ],
    [
      'NotifyFunction',
      [
        'IDEMPOTENCY_TABLE_NAME',
        'NOTIFICATION_TOPIC_ARN',
        'NOTIFY_FORMAT',
        'NOTIFY_STATE_TABLE_NAME',
        'ORGANIZATION_ID',
      ],
    ],
    [
      'AuditFunction',
      [
        'AUDIT_QUEUE_URL',
        'AUDIT_RUN_TABLE_NAME',
        'BASELINE_TABLE_NAME',
        'FINDINGS_BUS_NAME',
        'GUARD_CONFIG',
        'GUARD_MODE',
        'ORGANIZATION_ID',
      ],
    ],
  ])('%s reads exactly %j', (logicalId, names) => {
    expect(Object.keys(environment(logicalId)).sort()).toEqual(names)
  })

  it('tells detect the remediation role so it can ignore the guard’s own writes', () => {
    expect(environment('DetectFunction').GUARD_REMEDIATION_ROLE_ARN).toEqual({
      'Fn::GetAtt': ['RemediateFunctionRole', 'Arn'],
    })
  })
})

describe('least privilege', () => {
  it.each(functions)('$logicalId uses inline policy documents only, no managed policies', ({ logicalId }) => {
    const policies = toArray(properties(logicalId).Policies)
    expect(policies.length).toBeGreaterThan(0)
    for (const policy of policies) expect(record(policy)).toHaveProperty('Statement')
    expect(properties(logicalId)).not.toHaveProperty('Role')
  })

  it.each(functions)('$logicalId allows no service-wide wildcard', ({ logicalId }) => {
    expect(allowedActions(logicalId).filter((action) => action === '*' || action.endsWith(':*'))).toEqual([])
  })

  it('remediate holds no iam:* and no iam:PassRole', () => {
    const iamActions = allowedActions('RemediateFunction').filter((action) => action.startsWith('iam:'))
    expect(iamActions.length).toBeGreaterThan(0)
    expect(iamActions.filter((action) => action.includes('*') || action === 'iam:PassRole')).toEqual([])
  })

  it('remediate creates only the Service Quotas service-linked role', () => {
    const statements = functionStatements('RemediateFunction').filter(
      (statement) =>
        statement.effect === 'Allow' && statement.actions.includes('iam:CreateServiceLinkedRole'),
    )
    expect(statements).toHaveLength(1)
    for (const statement of statements) {
      expect(statement.actions).toEqual(['iam:CreateServiceLinkedRole'])
      expect(statement.condition).toEqual({
        StringEquals: { 'iam:AWSServiceName': 'servicequotas.amazonaws.com' },
      })
    }
  })

  it('remediate may not change the guard stack’s own roles', () => {
    const denied = functionStatements('RemediateFunction').filter((statement) => statement.effect === 'Deny')
    expect(denied).toContainEqual(
      expect.objectContaining({
        actions: expect.arrayContaining([
          'iam:AttachRolePolicy',
          'iam:PutRolePolicy',
          'iam:UpdateAssumeRolePolicy',
        ]),
        resources: [
          // biome-ignore lint/suspicious/noTemplateCurlyInString: Fn::Sub placeholder syntax, not a JavaScript template
          { 'Fn::Sub': 'arn:${AWS::Partition}:iam::${AWS::AccountId}:role/support-access-guard/*' },
        ],
      }),
    )
  })

  it.each(['DetectFunction', 'AuditFunction', 'NotifyFunction'])('%s only reads IAM', (logicalId) => {
    const iamActions = allowedActions(logicalId).filter((action) => action.startsWith('iam:'))
    expect(iamActions.filter((action) => !/^iam:(Get|List)[A-Za-z]+$/.test(action))).toEqual([])
  })

  it.each(functions)('$logicalId scopes every non-listing permission to a resource', ({ logicalId }) => {
    // Neither supports resource-level permissions (service authorization reference).
    const accountWide = new Set([
      'iam:GetAccountAuthorizationDetails',
      'supportapp:ListSlackChannelConfigurations',
      // The organisation's read-only calls: the management account's ID, part of every
      // Organizations ARN, is not known to the template.
      'organizations:DescribeOrganization',
      'organizations:ListRoots',
      'organizations:ListOrganizationalUnitsForParent',
      'organizations:ListAccountsForParent',
      'organizations:ListPolicies',
      'organizations:DescribePolicy',
      'organizations:ListTargetsForPolicy',
    ])
    for (const statement of functionStatements(logicalId).filter(
      (candidate) => candidate.effect === 'Allow',
    )) {
      if (!statement.resources.includes('*')) continue
      expect(statement.actions.filter((action) => !accountWide.has(action))).toEqual([])
    }
  })

  it('lets only remediate write IAM and only notify publish to SNS', () => {
    const writers = functions.filter(({ logicalId }) =>
      allowedActions(logicalId).some(
        (action) => action.startsWith('iam:') && !/^iam:(Get|List)/.test(action),
      ),
    )
    const publishers = functions.filter(({ logicalId }) => allowedActions(logicalId).includes('sns:Publish'))
    expect(writers.map((fn) => fn.logicalId)).toEqual(['RemediateFunction'])
    expect(publishers.map((fn) => fn.logicalId)).toEqual(['NotifyFunction'])
  })
})

describe('failure handling', () => {
  const queues = new Map(listResources(template, 'AWS::SQS::Queue'))
  const alarmedQueues = new Set(
    listResources(template, 'AWS::CloudWatch::Alarm').flatMap(([, alarm]) =>
      toArray(record(alarm.Properties).Dimensions).map((dimension) => referencedId(record(dimension).Value)),
    ),
  )
  const ruleTargets = listResources(template, 'AWS::Events::Rule').flatMap(([, rule]) =>
    toArray(record(rule.Properties).Targets).map(record),
  )

  it.each(functions)('$logicalId sends failed async invocations to an encrypted, alarmed SQS queue', (fn) => {
    const dlq = record(fn.properties.DeadLetterQueue)
    expect(dlq.Type).toBe('SQS')
    const queueId = referencedId(dlq.TargetArn)
    expect(queueId).toBeDefined()
    expect(record(queues.get(queueId ?? '')?.Properties).SqsManagedSseEnabled).toBe(true)
    expect(alarmedQueues.has(queueId)).toBe(true)
    expect(alarmedQueues.has(fn.logicalId)).toBe(true)
  })

  it.each(functions)('$logicalId is invoked by rule targets with retries and a dead-letter queue', (fn) => {
    const targets = ruleTargets.filter((target) => referencedId(target.Arn) === fn.logicalId)
    expect(targets.length).toBeGreaterThan(0)
    for (const target of targets) {
      expect(record(target.RetryPolicy).MaximumRetryAttempts).toBeGreaterThan(0)
      const queueId = referencedId(record(target.DeadLetterConfig).Arn)
      expect(record(queues.get(queueId ?? '')?.Properties).SqsManagedSseEnabled).toBe(true)
      expect(alarmedQueues.has(queueId)).toBe(true)
    }
  })

  it('delivers an audit assignment as often as the audit function expects before it records a failure', () => {
    expect(record(properties('AuditQueue').RedrivePolicy).maxReceiveCount).toBe(AUDIT_QUEUE_MAX_RECEIVES)
    expect(record(properties('AuditQueueMapping').ScalingConfig)).toEqual({
      MaximumConcurrency: { Ref: 'AuditConcurrency' },
    })
  })

  it('takes the dead letters of every rule, and of rules only', () => {
    const statement = record(
      toArray(record(properties('EventDeliveryDlqPolicy').PolicyDocument).Statement)[0],
    )
    const sources = toArray(record(record(statement.Condition).ArnEquals)['aws:SourceArn']).map((source) =>
      referencedId(unwrapConditional(source)),
    )
    expect(sources.sort()).toEqual(
      listResources(template, 'AWS::Events::Rule')
        .map(([ruleId]) => ruleId)
        .sort(),
    )
  })

  it('alarms notify the topic', () => {
    for (const [, alarm] of listResources(template, 'AWS::CloudWatch::Alarm')) {
      expect(record(alarm.Properties).AlarmActions).toEqual([{ Ref: 'NotificationTopic' }])
    }
  })
})

describe('event routing', () => {
  it('sends every call of the sources detect classifies to detect, failed ones included', () => {
    const pattern = record(properties('CloudTrailChangeRule').EventPattern)
    expect(pattern.source).toEqual([
      'aws.iam',
      'aws.supportapp',
      'aws.supportauthz',
      'aws.supportplans',
      'aws.sso',
    ])
    expect(pattern['detail-type']).toEqual(['AWS API Call via CloudTrail'])
    expect(record(pattern.detail).eventSource).toEqual([...HANDLED_EVENT_SOURCES])
    // EventBridge names a service's events `aws.<prefix>` after its CloudTrail event source.
    expect(pattern.source).toEqual([...HANDLED_EVENT_SOURCES].map((source) => `aws.${source.split('.')[0]}`))
    expect(record(pattern.detail)).not.toHaveProperty('errorCode')
    expect(properties('CloudTrailChangeRule')).not.toHaveProperty('EventBusName')
  })

  it('sends GetServiceLinkedRoleDeletionStatus, a read-only call, to detect through a rule of its own', () => {
    // EventBridge hands read-only management events only to rules in this state.
    expect(properties('CloudTrailReadOnlyRule').State).toBe('ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS')
    expect(properties('CloudTrailReadOnlyRule').EventPattern).toEqual({
      source: ['aws.iam'],
      'detail-type': ['AWS API Call via CloudTrail'],
      detail: { eventSource: ['iam.amazonaws.com'], eventName: ['GetServiceLinkedRoleDeletionStatus'] },
    })
    expect(properties('CloudTrailReadOnlyRule')).not.toHaveProperty('EventBusName')
    // The change rule stays ENABLED: no read reaches detect through both rules.
    expect(properties('CloudTrailChangeRule').State).toBe('ENABLED')
  })

  it('gives both detect rules the same retries and dead-letter queue', () => {
    const targetOf = (ruleId: string) => record(toArray(properties(ruleId).Targets)[0])
    const { Id: _change, ...change } = targetOf('CloudTrailChangeRule')
    const { Id: _readOnly, ...readOnly } = targetOf('CloudTrailReadOnlyRule')
    expect(readOnly).toEqual(change)
  })

  it.each(listResources(template, 'AWS::Events::Rule'))(
    '%s may invoke each of its targets',
    (ruleId, rule) => {
      const permissions = listResources(template, 'AWS::Lambda::Permission').map(([, permission]) =>
        record(permission.Properties),
      )
      for (const target of toArray(record(rule.Properties).Targets).map(record)) {
        expect(permissions).toContainEqual({
          Action: 'lambda:InvokeFunction',
          FunctionName: { Ref: referencedId(target.Arn) },
          Principal: 'events.amazonaws.com',
          SourceArn: { 'Fn::GetAtt': [ruleId, 'Arn'] },
        })
      }
    },
  )

  it('sends only enforce-mode findings with an automatic revert to remediate', () => {
    const pattern = record(properties('EnforceFindingRule').EventPattern)
    expect(pattern).toEqual({
      source: ['support-guard'],
      'detail-type': ['Support Access Finding'],
      detail: { mode: ['enforce'], remediation: { automatic: [true] } },
    })
    expect(properties('EnforceFindingRule').EventBusName).toEqual({ Ref: 'FindingsBus' })
  })

  it("sends every finding, remediation and organisation audit run's summary to notify", () => {
    expect(properties('NotifyRule').EventPattern).toEqual({
      source: ['support-guard'],
      'detail-type': ['Support Access Finding', 'Support Access Remediation', 'Support Access Audit Summary'],
    })
    expect(properties('NotifyRule').EventBusName).toEqual({ Ref: 'FindingsBus' })
  })

  it('runs the audit on the AuditSchedule parameter', () => {
    expect(properties('AuditScheduleRule').ScheduleExpression).toEqual({ Ref: 'AuditSchedule' })
  })
})

describe('state, logs and notifications', () => {
  it.each(listResources(template, 'AWS::DynamoDB::Table'))(
    '%s is encrypted with point-in-time recovery',
    (_, table) => {
      const props = record(table.Properties)
      expect(record(props.SSESpecification).SSEEnabled).toBe(true)
      expect(record(props.PointInTimeRecoverySpecification).PointInTimeRecoveryEnabled).toBe(true)
      expect(props.BillingMode).toBe('PAY_PER_REQUEST')
    },
  )

  it('keys the idempotency table the way Powertools writes it', () => {
    const props = properties('IdempotencyTable')
    expect(props.KeySchema).toEqual([{ AttributeName: 'id', KeyType: 'HASH' }])
    expect(props.TimeToLiveSpecification).toEqual({ AttributeName: 'expiration', Enabled: true })
  })

  it('expires the change records in the baseline table, not the baselines', () => {
    // Change records carry expiresAt; baselines carry none, and DynamoDB deletes only items that do.
    expect(properties('BaselineTable').TimeToLiveSpecification).toEqual({
      AttributeName: 'expiresAt',
      Enabled: true,
    })
  })

  it('keeps the baseline when the stack goes away', () => {
    expect(resource('BaselineTable').DeletionPolicy).toBe('Retain')
    expect(resource('BaselineTable').UpdateReplacePolicy).toBe('Retain')
  })

  it.each(functions)('$logicalId logs to a log group with the configured retention', (fn) => {
    const logGroupId = referencedId(record(fn.properties.LoggingConfig).LogGroup)
    expect(logGroupId).toBeDefined()
    expect(properties(logGroupId ?? '').RetentionInDays).toEqual({ Ref: 'LogRetentionDays' })
  })

  it('encrypts the topic with a key CloudWatch alarms may use', () => {
    expect(properties('NotificationTopic').KmsMasterKeyId).toEqual({ Ref: 'NotificationKey' })
    const keyStatements = toArray(record(properties('NotificationKey').KeyPolicy).Statement).map(record)
    expect(
      keyStatements.some((statement) => record(statement.Principal).Service === 'cloudwatch.amazonaws.com'),
    ).toBe(true)
  })

  it('subscribes the email only when one is given', () => {
    expect(resource('NotificationEmailSubscription').Condition).toBe('HasNotificationEmail')
  })
})
