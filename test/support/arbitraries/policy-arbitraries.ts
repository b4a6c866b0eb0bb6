import fc from 'fast-check'

/**
 * Generators of policy documents for property tests and the fuzz script: mostly the shapes
 * IAM accepts, often slightly wrong (wrong types, empty lists, unknown operators), so the
 * parser is driven down every branch, not only its first check.
 */

const elementValue = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.constantFrom(
      'support:*',
      'support:CreateCase',
      'support:Describe*',
      '*',
      'iam:Create?erviceLinkedRole',
    ),
  },
  {
    weight: 3,
    arbitrary: fc.constantFrom('arn:aws:support::123456789012:case/*', 'arn:aws:iam::123456789012:root'),
  },
  { weight: 1, arbitrary: fc.string({ maxLength: 12 }) },
)
const oddValue = fc.oneof(
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
  fc.dictionary(fc.string(), fc.string(), { maxKeys: 2 }),
)

/** `Action`, `Resource` and friends: one string, a list, or occasionally something else. */
const elementList = fc.oneof(
  { weight: 12, arbitrary: elementValue },
  { weight: 12, arbitrary: fc.array(elementValue, { minLength: 1, maxLength: 4 }) },
  { weight: 1, arbitrary: fc.array(fc.oneof(elementValue, oddValue), { maxLength: 3 }) },
  { weight: 1, arbitrary: oddValue },
)

const principal = fc.oneof(
  fc.constant('*'),
  fc.record(
    {
      AWS: elementList,
      Service: fc.oneof(fc.constant('supportapp.amazonaws.com'), elementList),
      Federated: elementList,
      CanonicalUser: elementList,
    },
    { requiredKeys: [] },
  ),
  fc.dictionary(fc.constantFrom('AWS', 'Service', 'Account', 'Group'), elementList, { maxKeys: 2 }),
  oddValue,
)

const operator = fc.oneof(
  fc.constantFrom('StringEquals', 'StringLike', 'Bool', 'NumericLessThan', 'ArnLike', 'Null'),
  fc.constantFrom(
    'ForAnyValue:StringLike',
    'ForAllValues:StringEquals',
    'StringEqualsIfExists',
    'Not-An-Op',
    '',
  ),
  fc.string({ maxLength: 10 }),
)
const conditionValue = fc.oneof(
  fc.string({ maxLength: 10 }),
  fc.integer(),
  fc.boolean(),
  fc.array(fc.oneof(fc.string({ maxLength: 6 }), fc.integer(), fc.boolean(), fc.constant(null)), {
    maxLength: 3,
  }),
  oddValue,
)
const condition = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.dictionary(
      operator,
      fc.dictionary(fc.string({ maxLength: 12 }), conditionValue, { maxKeys: 3 }),
      { maxKeys: 3 },
    ),
  },
  { weight: 1, arbitrary: fc.dictionary(operator, oddValue, { maxKeys: 2 }) },
  { weight: 1, arbitrary: oddValue },
)

/** One of two exclusive keys (`Action`/`NotAction`), mostly valid: one of them, sometimes neither or both. */
function pairOf(
  plain: string,
  not: string,
  value: fc.Arbitrary<unknown>,
  weights: { plain: number; not: number; none: number; both: number },
): fc.Arbitrary<Record<string, unknown>> {
  return fc.oneof(
    { weight: weights.plain, arbitrary: value.map((v) => ({ [plain]: v })) },
    { weight: weights.not, arbitrary: value.map((v) => ({ [not]: v })) },
    { weight: weights.none, arbitrary: fc.constant({}) },
    { weight: weights.both, arbitrary: fc.tuple(value, value).map(([a, b]) => ({ [plain]: a, [not]: b })) },
  )
}

const optional = (key: string, value: fc.Arbitrary<unknown>, weight: number) =>
  fc.oneof({ weight, arbitrary: value.map((v) => ({ [key]: v })) }, { weight: 3, arbitrary: fc.constant({}) })

const effect = fc.oneof(
  { weight: 10, arbitrary: fc.constantFrom('Allow', 'Deny') },
  { weight: 1, arbitrary: fc.constantFrom('allow', '') },
  { weight: 1, arbitrary: oddValue },
)

export const statementArbitrary = fc.oneof(
  {
    weight: 19,
    arbitrary: fc
      .tuple(
        optional('Effect', effect, 30),
        pairOf('Action', 'NotAction', elementList, { plain: 12, not: 4, none: 1, both: 1 }),
        pairOf('Resource', 'NotResource', elementList, { plain: 8, not: 2, none: 4, both: 1 }),
        pairOf('Principal', 'NotPrincipal', principal, { plain: 5, not: 1, none: 6, both: 1 }),
        optional('Condition', condition, 2),
        optional(
          'Sid',
          fc.oneof(
            { weight: 9, arbitrary: fc.string({ maxLength: 8 }) },
            { weight: 1, arbitrary: fc.integer() },
          ),
          1,
        ),
      )
      .map((parts) => Object.assign({}, ...parts) as Record<string, unknown>),
  },
  { weight: 1, arbitrary: fc.oneof(oddValue, fc.string({ maxLength: 5 })) },
)

const version = fc.oneof(
  { weight: 18, arbitrary: fc.constantFrom('2012-10-17', '2008-10-17') },
  { weight: 1, arbitrary: fc.constantFrom('2012-10-18', '') },
  { weight: 1, arbitrary: oddValue },
)

/** Statements with every field drawn independently: most documents have something wrong. */
const noisyDocument = fc
  .tuple(
    optional('Version', version, 12),
    fc.oneof(
      { weight: 2, arbitrary: statementArbitrary },
      { weight: 5, arbitrary: fc.array(statementArbitrary, { minLength: 1, maxLength: 4 }) },
      { weight: 1, arbitrary: fc.constantFrom(undefined, []) },
    ),
    optional('Id', fc.string({ maxLength: 6 }), 1),
  )
  .map(([head, statement, id]) => ({
    ...head,
    ...(statement === undefined ? {} : { Statement: statement }),
    ...id,
  }))

const validValue = fc.constantFrom(
  'support:*',
  'support:CreateCase',
  'support:Describe*',
  '*',
  'sts:AssumeRole',
)
const validList = fc.oneof(validValue, fc.array(validValue, { minLength: 1, maxLength: 3 }))
const validCondition = fc.dictionary(
  fc.constantFrom('StringEquals', 'ForAnyValue:StringLike', 'BoolIfExists', 'NumericLessThan'),
  fc.dictionary(
    fc.constantFrom('aws:PrincipalOrgID', 'aws:MultiFactorAuthPresent', 'sts:ExternalId'),
    fc.oneof(
      fc.string({ maxLength: 6 }),
      fc.integer(),
      fc.boolean(),
      fc.array(fc.string({ maxLength: 6 }), { minLength: 1, maxLength: 2 }),
    ),
    { minKeys: 1, maxKeys: 2 },
  ),
  { maxKeys: 2 },
)
const validPrincipal = fc.oneof(
  fc.constant('*'),
  fc.record({
    AWS: fc.constantFrom('*', 'arn:aws:iam::999988887777:root', ['arn:aws:iam::123456789012:root']),
  }),
  fc.record({ Service: fc.constantFrom('supportapp.amazonaws.com', ['support.amazonaws.com']) }),
)

function validDocument(kind: 'identity' | 'trust') {
  const statement = fc
    .tuple(
      fc.constantFrom('Allow', 'Deny'),
      pairOf('Action', 'NotAction', validList, { plain: 4, not: 1, none: 0, both: 0 }),
      kind === 'identity'
        ? pairOf('Resource', 'NotResource', validList, { plain: 4, not: 1, none: 0, both: 0 })
        : fc.constant({}),
      kind === 'trust'
        ? pairOf('Principal', 'NotPrincipal', validPrincipal, { plain: 4, not: 1, none: 0, both: 0 })
        : fc.constant({}),
      optional('Condition', validCondition, 1),
    )
    .map(([Effect, ...parts]) => Object.assign({ Effect }, ...parts) as Record<string, unknown>)
  return fc.record(
    {
      Version: fc.constantFrom('2012-10-17', '2008-10-17'),
      Statement: fc.oneof(statement, fc.array(statement, { minLength: 1, maxLength: 4 })),
    },
    { requiredKeys: ['Statement'] },
  )
}

/** A document as an object: a third valid identity or trust policies, the rest noisy. */
export const policyObjectArbitrary: fc.Arbitrary<Record<string, unknown>> = fc.oneof(
  validDocument('identity'),
  validDocument('trust'),
  noisyDocument,
  noisyDocument,
)

/** A document as IAM or a tool may hand it out: object, JSON text, URL-encoded JSON text. */
export const policyInputArbitrary = fc.oneof(
  policyObjectArbitrary,
  policyObjectArbitrary.map((document) => JSON.stringify(document)),
  policyObjectArbitrary.map((document) => encodeURIComponent(JSON.stringify(document))),
  policyObjectArbitrary.map((document) =>
    encodeURIComponent(JSON.stringify(document, null, 2)).replace(/%20/g, '+'),
  ),
)

/** Text that looks encoded: percent escapes (valid or not), plus signs and JSON punctuation. */
export const encodedLookingStringArbitrary = fc
  .array(
    fc.constantFrom(
      '%7B',
      '%22',
      '%3A',
      '%7D',
      '%5B',
      '%5D',
      '%2',
      '%',
      '+',
      '{',
      '"',
      'a',
      ' ',
      '%E0%A4',
      '%20',
    ),
    {
      maxLength: 20,
    },
  )
  .map((parts) => parts.join(''))
