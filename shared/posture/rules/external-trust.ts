import { matchesAnyArnPattern, matchesArnPattern } from '#shared/config/arn-pattern.ts'
import { SEVERITIES, type Severity } from '#shared/config/rules.ts'
import {
  type ClassifiedTrustGrant,
  classifyTrust,
  type TrustClass,
  type TrustFacts,
} from '#shared/evaluator/trust-class.ts'
import type { TrustRelationshipEvidence } from '#shared/findings/evidence.ts'
import type { FindingDraft } from '#shared/findings/finding.ts'
import { nameOfArn } from '#shared/policy/arn.ts'
import type { PostureContext } from '../context.ts'

/** Severity of a finding per trust class (docs/contracts.md#trust-classes); classes not listed raise none. */
export const TRUST_CLASS_SEVERITY: Readonly<Partial<Record<TrustClass, Severity>>> = {
  public: 'critical',
  'web-identity-unrestricted': 'critical',
  'external-account': 'high',
  'web-identity-restricted': 'high',
  'workforce-federation-no-audience': 'low',
}

/** Each class in plain words, as a finding names it. */
export const CLASS_WORDS: Readonly<Record<TrustClass, string>> = {
  'same-account': 'a principal of this account',
  'identity-center': 'IAM Identity Center',
  'workforce-federation': 'a SAML identity provider of this account',
  'aws-service': 'an AWS service',
  'deleted-principal': 'a deleted principal',
  organization: 'an account of the organization',
  'workforce-federation-no-audience': 'a SAML identity provider without an audience condition',
  'external-account': 'another account',
  'web-identity-restricted': 'named subjects of a web identity provider',
  'web-identity-unrestricted': 'any identity of a web identity provider',
  public: 'anyone',
}

/**
 * Roles AWS Organizations, CloudFormation StackSets and Control Tower create in member accounts:
 * they trust the management (or StackSets administrator) account, an account of the organization.
 */
const ORGANIZATION_ROLES: readonly { readonly pattern: string; readonly createdBy: string }[] = [
  { pattern: 'OrganizationAccountAccessRole', createdBy: 'AWS Organizations' },
  { pattern: 'AWSControlTowerExecution', createdBy: 'AWS Control Tower' },
  { pattern: 'AWSCloudFormationStackSetExecutionRole', createdBy: 'CloudFormation StackSets' },
  { pattern: 'stacksets-exec-*', createdBy: 'CloudFormation StackSets' },
]

/**
 * SUPPORT_ACCESS_EXTERNAL_TRUST: a role with support access can be assumed by someone outside
 * the account and its organization. Every trust relationship of the role is classified
 * (`classifyTrust`); the finding's severity is the highest of its classes' severities, and a
 * role in `supportPrincipals.approved` is silent. `required` does not silence it: a required
 * support role is the one whose trust an intruder would widen.
 */
export function checkExternalTrust(context: PostureContext): FindingDraft[] {
  const { config } = context
  const facts: TrustFacts = {
    accountId: context.accountId,
    ...(config.organizationId === undefined ? {} : { organizationId: config.organizationId }),
    trustedAccounts: config.trustedAccounts,
  }
  const approved = config.supportPrincipals.approved
  const drafts: FindingDraft[] = []
  for (const access of context.people) {
    const trust = access.principal.trust
    if (!trust || !context.hasSupportAccess(access)) continue
    if (approved.length > 0 && matchesAnyArnPattern(approved, access.principalArn)) continue
    const summary = summarize(classifyTrust(trust, facts))
    if (!summary) continue
    const name = nameOfArn(access.principalArn)
    drafts.push({
      rule: 'SUPPORT_ACCESS_EXTERNAL_TRUST',
      principalArn: access.principalArn,
      severity: summary.severity,
      title: `${name} has AWS Support access and ${summary.title}`,
      detail: `${access.principalArn} can be assumed by ${summary.detail}`,
      evidence: {
        trustClass: summary.worst.trustClass,
        trust: summary.evidence,
        grantedActions: context.grantedActions(access),
      },
      remediation: {
        automatic: false,
        steps: [
          // A step can name the role (one created by the organisation's machinery): made per role.
          ...new Set(summary.flagged.map((grant) => stepFor(grant, name, facts))),
          `If the trust is intended, add ${access.principalArn} to supportPrincipals.approved in the guard config.`,
        ],
      },
    })
  }
  return drafts
}

/**
 * What a finding says about one classified trust policy, whichever role holds it: roles holding
 * equal trust policies share the classification, and with it this (its lists frozen: findings
 * carry them as evidence and never change them).
 */
interface TrustSummary {
  /** The grants that raise a finding, worst first. */
  readonly flagged: readonly ClassifiedTrustGrant[]
  readonly worst: ClassifiedTrustGrant
  readonly severity: Severity
  /** The title after "has AWS Support access and". */
  readonly title: string
  /** The detail after "can be assumed by". */
  readonly detail: string
  readonly evidence: readonly TrustRelationshipEvidence[]
}

/** Null: nothing to report. Kept per classification (which holds the facts it was made with). */
const summaries = new WeakMap<readonly ClassifiedTrustGrant[], TrustSummary | null>()

function summarize(grants: readonly ClassifiedTrustGrant[]): TrustSummary | undefined {
  const known = summaries.get(grants)
  if (known !== undefined) return known ?? undefined
  const flagged = grants
    .filter((grant) => severityOf(grant) !== undefined)
    .sort((a, b) => rank(a) - rank(b) || a.statementIndex - b.statementIndex)
  const worst = flagged[0]
  const severity = worst && severityOf(worst)
  if (!worst || !severity) {
    summaries.set(grants, null)
    return undefined
  }
  const inHouse = grants.length - flagged.length
  const summary: TrustSummary = {
    flagged,
    worst,
    severity,
    title: titleOf(worst),
    detail: `${flagged.map(describe).join('; ')}.${inHouse > 0 ? ` ${inHouse} other trust relationship(s) stay within the account, its organization or AWS services.` : ''}`,
    evidence: Object.freeze(
      grants.map(
        (grant): TrustRelationshipEvidence =>
          Object.freeze({
            class: grant.trustClass,
            severity: severityOf(grant) ?? 'none',
            principal: grant.principal,
            statementIndex: grant.statementIndex,
            conditionKeys: grant.conditionKeys,
            externalId: grant.externalId,
            basis: grant.basis,
          }),
      ),
    ),
  }
  summaries.set(grants, summary)
  return summary
}

function severityOf(grant: ClassifiedTrustGrant): Severity | undefined {
  return TRUST_CLASS_SEVERITY[grant.trustClass]
}

function rank(grant: ClassifiedTrustGrant): number {
  const severity = severityOf(grant)
  return severity === undefined ? SEVERITIES.length : SEVERITIES.indexOf(severity)
}

function titleOf(grant: ClassifiedTrustGrant): string {
  switch (grant.trustClass) {
    case 'public':
      return 'can be assumed by anyone'
    case 'web-identity-unrestricted':
      return `can be assumed by any identity of ${grant.provider ?? grant.principal}`
    case 'web-identity-restricted':
      return `can be assumed through the web identity provider ${grant.provider ?? grant.principal}`
    case 'workforce-federation-no-audience':
      return `trusts SAML provider ${grant.provider ?? grant.principal} without an audience condition`
    default:
      return grant.organizations
        ? `can be assumed by principals of organization ${grant.organizations.join(', ')}`
        : `can be assumed from another account (${grant.accounts?.join(', ') ?? grant.principal})`
  }
}

function describe(grant: ClassifiedTrustGrant): string {
  const what = grant.organizations
    ? `principals of organization ${grant.organizations.join(', ')}`
    : CLASS_WORDS[grant.trustClass]
  const externalId = grant.externalId ? ', requires sts:ExternalId' : ''
  return `${grant.principal} (${what}, statement ${grant.statementIndex}${externalId})`
}

/** What to do about one flagged relationship; never ExternalId for an organization's own account. */
function stepFor(grant: ClassifiedTrustGrant, roleName: string, facts: TrustFacts): string {
  const statement = `statement ${grant.statementIndex}`
  const provider = grant.provider ?? grant.principal
  switch (grant.trustClass) {
    case 'public':
      return `Replace "*" in ${statement} with the principals that need the role, or limit it with "StringEquals": {"aws:PrincipalOrgID": "${facts.organizationId ?? '<your organization ID>'}"} (not IfExists, not ForAllValues).`
    case 'web-identity-unrestricted':
      return provider.toLowerCase() === 'cognito-identity.amazonaws.com'
        ? `Limit ${statement} to one identity pool ("StringEquals": {"cognito-identity.amazonaws.com:aud": "<pool ID>"}) and to signed-in identities ("ForAnyValue:StringLike": {"cognito-identity.amazonaws.com:amr": "authenticated"}).`
        : `Add a condition on ${provider}:sub to ${statement} naming the repository or subject allowed (for GitHub: "StringEquals": {"${provider}:sub": "repo:<owner>/<repo>:ref:refs/heads/main"}); an audience (aud) condition alone lets every identity of ${provider} assume the role.`
    case 'web-identity-restricted':
      return `Confirm that the subjects ${statement} admits through ${provider} should open AWS Support cases, and narrow its condition to one repository and branch or environment.`
    case 'workforce-federation-no-audience':
      return `Add "StringEquals": {"SAML:aud": "https://signin.aws.amazon.com/saml"} to ${statement}, which trusts SAML provider ${provider}.`
    default:
      return externalStep(grant, roleName, statement)
  }
}

function externalStep(grant: ClassifiedTrustGrant, roleName: string, statement: string): string {
  if (grant.organizations)
    return `Statement ${grant.statementIndex} admits any principal of organization ${grant.organizations.join(', ')}: if it is your organization, set organizationId to it in the guard config; otherwise confirm that the partner organization should have AWS Support access.`
  const account = grant.accounts?.join(', ') ?? grant.principal
  const machinery = ORGANIZATION_ROLES.find((entry) => matchesArnPattern(entry.pattern, roleName))
  if (machinery)
    // The name is a hint, never proof: anyone who may create roles may choose it.
    return `A role named ${roleName} is normally created by ${machinery.createdBy} and trusts the organization's management (or delegated administrator) account: if ${account} is that account, add it to trustedAccounts (or set organizationId) in the guard config; if not, this role is a back door.`
  const externalId = grant.externalId
    ? `${statement} already requires sts:ExternalId`
    : `require sts:ExternalId in ${statement}`
  return `Confirm that account ${account} is a partner that should have AWS Support access and ${externalId}; if the account is yours, add it to trustedAccounts in the guard config.`
}
