import { describe, expect, it } from 'vitest'
import { readFunctionSettings } from '#test-support/chaos/function-settings.ts'
import { parseTemplate } from '#test-support/template/template.ts'

describe('readFunctionSettings', () => {
  it("takes each function's timeout, else the global one, and a numeric reserved concurrency", () => {
    const template = parseTemplate(`
Globals:
  Function:
    Timeout: 30
Resources:
  DetectFunction:
    Type: AWS::Serverless::Function
    Properties:
      ReservedConcurrentExecutions: 5
  NotifyFunction:
    Type: AWS::Serverless::Function
    Properties:
      Timeout: 15
      ReservedConcurrentExecutions: !Ref AWS::NoValue
`)
    expect(readFunctionSettings(template)).toEqual(
      new Map([
        ['DetectFunction', { timeoutMs: 30_000, reservedConcurrency: 5 }],
        ['NotifyFunction', { timeoutMs: 15_000, reservedConcurrency: undefined }],
      ]),
    )
  })

  it('reads a reserved concurrency given by a parameter, as the template does for detect', () => {
    const template = parseTemplate(`
Parameters:
  DetectConcurrency:
    Type: Number
    Default: 5
Conditions:
  HasDetectConcurrency: !Not [!Equals [!Ref DetectConcurrency, 0]]
Resources:
  DetectFunction:
    Type: AWS::Serverless::Function
    Properties:
      ReservedConcurrentExecutions: !If [HasDetectConcurrency, !Ref DetectConcurrency, !Ref AWS::NoValue]
`)
    expect(readFunctionSettings(template).get('DetectFunction')?.reservedConcurrency).toBe(5)
  })

  it("falls back to Lambda's 3 s when nothing sets a timeout", () => {
    const template = parseTemplate('Resources:\n  F:\n    Type: AWS::Serverless::Function\n')
    expect(readFunctionSettings(template).get('F')).toEqual({
      timeoutMs: 3000,
      reservedConcurrency: undefined,
    })
  })
})
