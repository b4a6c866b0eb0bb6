import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  breakWord,
  fitLines,
  layoutTable,
  makeTextLayout,
  shortenArns,
  wrapText,
} from '#shared/report/text-layout.ts'

const layout = makeTextLayout({ columns: 80, wide: false, accountId: '123456789012' })
const wide = makeTextLayout({ columns: 80, wide: true, accountId: '123456789012' })

describe('shortenArns', () => {
  it.each([
    ['arn:aws:iam::123456789012:role/SupportTeam', 'role/SupportTeam'],
    [
      'arn:aws:iam::123456789012:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_Admin_0123',
      'role/AWSReservedSSO_Admin_0123',
    ],
    ['arn:aws:iam::123456789012:user/automation/ci-deployer', 'user/ci-deployer'],
    ['arn:aws:iam::123456789012:policy/governance/SupportCases', 'policy/SupportCases'],
    ['arn:aws:iam::123456789012:group/Admins', 'group/Admins'],
    ['arn:aws:iam::aws:policy/AWSSupportAccess', 'aws:policy/AWSSupportAccess'],
    [
      'arn:aws:iam::aws:policy/aws-service-role/AWSSupportServiceRolePolicy',
      'aws:policy/AWSSupportServiceRolePolicy',
    ],
    ['arn:aws:iam::123456789012:root', 'account root'],
    ['arn:aws:sts::123456789012:assumed-role/SupportTeam/alice', 'assumed-role/SupportTeam/alice'],
    [
      'arn:aws:iam::123456789012:saml-provider/AWSSSO_abc_DO_NOT_DELETE',
      'saml-provider/AWSSSO_abc_DO_NOT_DELETE',
    ],
    ['arn:aws-us-gov:iam::123456789012:role/SupportTeam', 'role/SupportTeam'],
  ])('names %s %s', (arn, short) => {
    expect(shortenArns(arn, layout)).toBe(short)
  })

  it.each([
    'arn:aws:iam::999988887777:role/SupportTeam',
    'arn:aws:iam::*:role/SupportTeam',
    'arn:aws:support::123456789012:case/*',
    'arn:aws:s3:::reports/*',
  ])('keeps %s whole: not an IAM name of this account', (arn) => {
    expect(shortenArns(arn, layout)).toBe(arn)
  })

  it('shortens every ARN inside a sentence and keeps the punctuation around it', () => {
    expect(
      shortenArns(
        'arn:aws:iam::123456789012:role/a/B trusts arn:aws:iam::123456789012:root, arn:aws:iam::999988887777:root.',
        layout,
      ),
    ).toBe('role/B trusts account root, arn:aws:iam::999988887777:root.')
    expect(shortenArns('group:Admins/arn:aws:iam::aws:policy/AdministratorAccess', layout)).toBe(
      'group:Admins/aws:policy/AdministratorAccess',
    )
  })

  it('keeps every ARN whole in a wide layout, which has no width limit', () => {
    expect(shortenArns('arn:aws:iam::123456789012:role/SupportTeam', wide)).toBe(
      'arn:aws:iam::123456789012:role/SupportTeam',
    )
    expect(wide.width).toBe(Number.POSITIVE_INFINITY)
  })
})

describe('makeTextLayout', () => {
  it.each([
    [0, 100],
    [Number.NaN, 100],
    [10, 20],
    [132, 132],
  ])('lays %s columns out at %s', (columns, width) => {
    expect(makeTextLayout({ columns, wide: false, accountId: '123456789012' }).width).toBe(width)
  })
})

describe('wrapText and breakWord', () => {
  it('fills lines up to the width and breaks a long word after a separator', () => {
    expect(wrapText('one two three four', 9)).toEqual(['one two', 'three', 'four'])
    expect(breakWord('role/AWSReservedSSO_Admin', 12)).toEqual(['role/', 'AWSReservedS', 'SO_Admin'])
  })

  it('keeps every character and never exceeds the width', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), fc.integer({ min: 1, max: 120 }), (text, width) => {
        const lines = wrapText(text, width)
        for (const line of lines) expect(line.length).toBeLessThanOrEqual(width)
        expect(lines.join('').replace(/\s/g, '')).toBe(text.replace(/\s/g, ''))
      }),
      { numRuns: 500 },
    )
  })
})

describe('layoutTable', () => {
  const rows = [
    ['principal', 'decision', 'via'],
    [
      'role/AWSReservedSSO_SupportEngineeringOnCallPermissionSet_4f1e2d3c4b5a6978',
      'allow',
      'group:Admins/aws:policy/AdministratorAccess, inline:SupportWithMfa',
    ],
    ['user/alice', 'conditional', 'assumes role/SupportTeam: aws:policy/AWSSupportAccess'],
  ]

  it('pads columns two apart when the rows fit', () => {
    expect(
      layoutTable(
        [
          ['a', 'bb'],
          ['ccc', 'd'],
        ],
        layout,
      ),
    ).toEqual(['  a    bb', '  ccc  d'])
  })

  it('fits any width by wrapping cells, keeping every character', () => {
    for (let width = 20; width <= 160; width++) {
      const lines = layoutTable(rows, { ...layout, width }, [true, false, true])
      for (const line of lines) expect(line.length, `width ${width}: ${line}`).toBeLessThanOrEqual(width)
      const kept = lines.join('').replace(/\s/g, '')
      expect(kept.length).toBe(rows.flat().join('').replace(/\s/g, '').length)
    }
  })

  it('shrinks the flexible columns first', () => {
    const lines = layoutTable(rows, { ...layout, width: 80 }, [true, false, true])
    expect(lines[0]).toMatch(/^ {2}principal\s+decision {5}via$/)
    expect(lines.some((line) => line.includes('conditional'))).toBe(true)
  })
})

describe('fitLines', () => {
  it('cuts a line that no layout step could break, under its indentation', () => {
    expect(fitLines(['    abcdefghijklmn'], { width: 10 })).toEqual(['    abcdef', '    ghijkl', '    mn'])
    expect(fitLines(['short'], { width: 8 })).toEqual(['short'])
  })
})
