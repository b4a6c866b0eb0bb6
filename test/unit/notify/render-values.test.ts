import { describe, expect, it } from 'vitest'
import { listParameterDocuments, renderProse } from '#shared/notify/render-values.ts'
import { makeLongDocument, TAIL_SID } from './sample-details.ts'

describe('renderProse', () => {
  it('cuts a document quoted as --policy-document to an excerpt and keeps the rest of the sentence', () => {
    const document = JSON.stringify(makeLongDocument(6000))
    const text = `refused (aws iam put-role-policy --role-name R --policy-name P --policy-document '${document}'); nothing was written`
    const rendered = renderProse(text)
    expect(rendered).toMatch(
      /^refused \(aws iam put-role-policy --role-name R --policy-name P --policy-document '\{"Version"/,
    )
    expect(rendered).toMatch(/… \([\d,]+ more characters\)'\); nothing was written$/)
    expect(rendered).not.toContain(TAIL_SID)
  })

  it('leaves short prose alone and bounds long prose', () => {
    expect(renderProse('the guard is in monitor mode')).toBe('the guard is in monitor mode')
    const long = renderProse('word '.repeat(1000))
    expect(long.length).toBe(2000)
    expect(long.endsWith('...')).toBe(true)
  })
})

describe('listParameterDocuments', () => {
  it('gives each document parameter as an excerpt, whatever form it arrived in', () => {
    const document = makeLongDocument(3000)
    const documents = listParameterDocuments({
      roleName: 'R',
      policyDocument: encodeURIComponent(JSON.stringify(document)),
      assumeRolePolicyDocument: { Version: '2012-10-17', Statement: [] },
    })
    expect(documents.map((entry) => entry.name)).toEqual(['policyDocument', 'assumeRolePolicyDocument'])
    expect(documents[0]?.excerpt).toMatch(/^\{"Version":"2012-10-17".*… \([\d,]+ more characters\)$/)
    expect(documents[1]?.excerpt).toBe('{"Version":"2012-10-17","Statement":[]}')
  })
})
