import { describe, expect, it } from 'vitest'
import { detectSample } from '../helpers/detect-harness.ts'
import { loadExampleConfig, loadExampleSnapshot } from '../helpers/example-account.ts'

describe('a required support principal is deleted', () => {
  it('is SUPPORT_ACCESS_LOST with its last known-good state, and no automatic re-creation', async () => {
    const result = await detectSample('delete-role.json', loadExampleSnapshot(), loadExampleConfig())

    const lost = result.findings.filter((finding) => finding.rule === 'SUPPORT_ACCESS_LOST')
    expect(lost).toHaveLength(1)
    expect(lost[0]?.principalArn).toBe('arn:aws:iam::123456789012:role/SupportTeam')
    expect(lost[0]?.plan).toBeUndefined()
    expect(lost[0]?.evidence.lastKnownGood).toMatchObject({
      name: 'SupportTeam',
      attached: ['arn:aws:iam::aws:policy/AWSSupportAccess'],
    })
  })

  it('says nothing when the deleted role is not a required support principal', async () => {
    const config = loadExampleConfig({ supportPrincipals: { required: ['arn:aws:iam::*:role/OtherTeam'] } })
    const result = await detectSample('delete-role.json', loadExampleSnapshot(), config)
    expect(result.findings.filter((finding) => finding.rule === 'SUPPORT_ACCESS_LOST')).toEqual([])
  })
})
