import { describe, expect, it } from 'vitest'
import { listTemplateFunctions, parseTemplate, TemplateError } from '#test-support/template/template.ts'

const SAMPLE = `
Globals:
  Function:
    CodeUri: src
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Metadata:
      BuildMethod: esbuild
      BuildProperties:
        EntryPoints: [./handlers/one.ts]
    Properties:
      Handler: one.handler
      Environment:
        Variables:
          A: !Ref Param
          B: !GetAtt Queue.Arn
          C: !GetAtt [Queue, QueueName]
          D: !Sub
            - '\${X}-x'
            - X: !Ref AWS::Region
          E: !If [Cond, !Join ['', [a, !Select [0, !Split [',', 'b,c']]]], !Ref AWS::NoValue]
          F: !GetAtt Stack.Outputs.Name
  Plain:
    Type: AWS::SQS::Queue
    Condition: Cond
`

describe('parseTemplate', () => {
  const template = parseTemplate(SAMPLE)

  it('turns short-form intrinsics into their long form, nested ones included', () => {
    const properties = template.Resources.Fn?.Properties ?? {}
    expect(properties.Environment).toEqual({
      Variables: {
        A: { Ref: 'Param' },
        B: { 'Fn::GetAtt': ['Queue', 'Arn'] },
        C: { 'Fn::GetAtt': ['Queue', 'QueueName'] },
        // biome-ignore lint/suspicious/noTemplateCurlyInString: Fn::Sub placeholder syntax, not a JavaScript template
        D: { 'Fn::Sub': ['${X}-x', { X: { Ref: 'AWS::Region' } }] },
        E: {
          'Fn::If': [
            'Cond',
            { 'Fn::Join': ['', ['a', { 'Fn::Select': [0, { 'Fn::Split': [',', 'b,c'] }] }]] },
            { Ref: 'AWS::NoValue' },
          ],
        },
        F: { 'Fn::GetAtt': ['Stack', 'Outputs.Name'] },
      },
    })
  })

  it('joins entry points to the CodeUri from Globals', () => {
    const [fn] = listTemplateFunctions(template)
    expect(fn).toMatchObject({
      logicalId: 'Fn',
      buildMethod: 'esbuild',
      entryPoints: ['src/handlers/one.ts'],
    })
  })

  it.each([
    ['- a list', 'not a YAML mapping'],
    ['Outputs: {}', 'Resources is missing'],
    ['Resources:\n  X:\n    Properties: {}', 'Resources.X has no Type'],
  ])('rejects %j', (text, message) => {
    expect(() => parseTemplate(text)).toThrow(TemplateError)
    expect(() => parseTemplate(text)).toThrow(message)
  })

  it('rejects a duplicate key instead of keeping the last one', () => {
    expect(() => parseTemplate('Resources:\n  X: { Type: A }\n  X: { Type: B }')).toThrow()
  })
})
