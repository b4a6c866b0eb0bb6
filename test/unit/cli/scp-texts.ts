/** SCP documents as `aws organizations describe-policy` prints them (JSON text), for the CLI's organisation tests. */
export const FULL_ACCESS_TEXT = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }],
})

export const DENY_SUPPORT_TEXT = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Deny', Action: 'support:*', Resource: '*' }],
})
