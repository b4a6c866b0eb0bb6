import { DescribeAccountCommand, OrganizationsClient } from '@aws-sdk/client-organizations'
import { mockClient } from 'aws-sdk-client-mock'
import { beforeEach, describe, expect, it } from 'vitest'
import { ACCOUNT_NAME_MISS_TTL_MS, OrganizationsAccountNames } from '#shared/aws/account-names.ts'

const organizations = mockClient(OrganizationsClient)
const PROD = '111122223333'
const SANDBOX = '444455556666'

function makeNames() {
  const warnings: { message: string; attributes: Readonly<Record<string, unknown>> }[] = []
  let clock = 1_000_000
  const names = new OrganizationsAccountNames(
    new OrganizationsClient({ region: 'us-east-1' }),
    { warn: (message, attributes) => warnings.push({ message, attributes }) },
    () => clock,
  )
  return {
    names,
    warnings,
    advance: (ms: number) => {
      clock += ms
    },
  }
}

const described = () =>
  organizations.commandCalls(DescribeAccountCommand).map((call) => call.args[0].input.AccountId)

beforeEach(() => {
  organizations.reset()
})

describe('OrganizationsAccountNames', () => {
  it('reads a name once and keeps it for the life of the container', async () => {
    organizations
      .on(DescribeAccountCommand, { AccountId: PROD })
      .resolves({ Account: { Id: PROD, Name: 'workload-prod' } })
      .on(DescribeAccountCommand, { AccountId: SANDBOX })
      .resolves({ Account: { Id: SANDBOX, Name: 'sandbox' } })
    const { names, advance } = makeNames()
    await expect(names.nameOf(PROD)).resolves.toBe('workload-prod')
    await expect(names.nameOf(SANDBOX)).resolves.toBe('sandbox')
    advance(7 * 24 * 3600 * 1000)
    await expect(names.nameOf(PROD)).resolves.toBe('workload-prod')
    expect(described()).toEqual([PROD, SANDBOX])
  })

  it('swallows a failed call, warns, and does not ask again until the miss expires', async () => {
    const denied = Object.assign(new Error('You are not authorized to perform this operation.'), {
      name: 'AccessDeniedException',
    })
    organizations
      .on(DescribeAccountCommand)
      .rejectsOnce(denied)
      .resolves({ Account: { Name: 'workload-prod' } })
    const { names, warnings, advance } = makeNames()
    await expect(names.nameOf(PROD)).resolves.toBeUndefined()
    expect(warnings).toEqual([
      {
        message: 'could not read the account name from AWS Organizations',
        attributes: { accountId: PROD, retryAfterMs: ACCOUNT_NAME_MISS_TTL_MS, error: denied },
      },
    ])
    advance(ACCOUNT_NAME_MISS_TTL_MS - 1)
    await expect(names.nameOf(PROD)).resolves.toBeUndefined()
    expect(described()).toEqual([PROD])
    advance(1)
    await expect(names.nameOf(PROD)).resolves.toBe('workload-prod')
    expect(described()).toEqual([PROD, PROD])
  })

  it('caches an account Organizations answers without a name as a miss too', async () => {
    organizations.on(DescribeAccountCommand).resolves({ Account: { Id: PROD } })
    const { names } = makeNames()
    await expect(names.nameOf(PROD)).resolves.toBeUndefined()
    await expect(names.nameOf(PROD)).resolves.toBeUndefined()
    expect(described()).toEqual([PROD])
  })

  it('asks nothing for an ID that is not an account ID', async () => {
    const { names } = makeNames()
    await expect(names.nameOf('not-an-account')).resolves.toBeUndefined()
    expect(described()).toEqual([])
  })
})
