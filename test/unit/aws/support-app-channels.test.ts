import { describe, expect, it, vi } from 'vitest'
import { SupportAppChannelReader } from '#shared/aws/support-app-channels.ts'

const credentials = async () => ({ accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' })

function respond(status: number, body: unknown, headers: Record<string, string> = {}) {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', ...headers },
  })
}

describe('SupportAppChannelReader', () => {
  it('signs a SigV4 request for the supportapp service and follows nextToken', async () => {
    const fetchMock = vi
      .fn<typeof fetch>()
      .mockResolvedValueOnce(
        respond(200, {
          nextToken: 'page-2',
          slackChannelConfigurations: [
            {
              teamId: 'T1',
              channelId: 'C1',
              channelName: 'aws-support',
              channelRoleArn: 'arn:aws:iam::123456789012:role/AppRole',
            },
          ],
        }),
      )
      .mockResolvedValueOnce(
        respond(200, {
          slackChannelConfigurations: [
            { teamId: 'T1', channelId: 'C2', channelRoleArn: 'arn:aws:iam::123456789012:role/Other' },
          ],
        }),
      )
    const reader = new SupportAppChannelReader({ credentials, fetch: fetchMock })

    const channels = await reader.list()

    expect(channels).toEqual([
      {
        teamId: 'T1',
        channelId: 'C1',
        channelName: 'aws-support',
        channelRoleArn: 'arn:aws:iam::123456789012:role/AppRole',
      },
      { teamId: 'T1', channelId: 'C2', channelRoleArn: 'arn:aws:iam::123456789012:role/Other' },
    ])
    const [url, init] = fetchMock.mock.calls[0] ?? []
    expect(String(url)).toBe(
      'https://supportapp.us-east-1.amazonaws.com/control/list-slack-channel-configurations',
    )
    const headers = init?.headers as Record<string, string>
    expect(headers.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/us-east-1\/supportapp\/aws4_request/,
    )
    expect(JSON.parse(String(fetchMock.mock.calls[1]?.[1]?.body))).toEqual({ nextToken: 'page-2' })
  })

  it('treats AccessDeniedException as no channels and says so', async () => {
    const fetchMock = vi
      .fn<typeof fetch>()
      .mockResolvedValue(respond(403, { message: 'denied' }, { 'x-amzn-errortype': 'AccessDeniedException' }))
    const onDenied = vi.fn()
    await expect(
      new SupportAppChannelReader({ credentials, fetch: fetchMock }).list(onDenied),
    ).resolves.toEqual([])
    expect(onDenied).toHaveBeenCalledOnce()
  })

  it('raises SupportAppReadError on other failures', async () => {
    const fetchMock = vi.fn<typeof fetch>().mockResolvedValue(respond(500, { message: 'boom' }))
    await expect(new SupportAppChannelReader({ credentials, fetch: fetchMock }).list()).rejects.toMatchObject(
      {
        name: 'SupportAppReadError',
      },
    )
    const unreachable = vi.fn<typeof fetch>().mockRejectedValue(new TypeError('fetch failed'))
    await expect(
      new SupportAppChannelReader({ credentials, fetch: unreachable }).list(),
    ).rejects.toMatchObject({
      name: 'SupportAppReadError',
    })
  })
})
