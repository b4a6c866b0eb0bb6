/**
 * The fixed-name roles member-template.yaml creates in every member account of an organisation:
 * the role the central guard acts through, the optional read-only role for `snapshot --org`, and
 * the role the forwarding rules send events with. Their names are how the central guard, the
 * intake bus policy and the guard's own change rule find them.
 */
export const MEMBER_ROLE_NAME = 'SupportAccessGuardMember'
export const READER_ROLE_NAME = 'SupportAccessGuardReader'
export const FORWARDER_ROLE_NAME = 'SupportAccessGuardForwarder'

export const GUARD_MEMBER_ROLE_NAMES: readonly string[] = [
  MEMBER_ROLE_NAME,
  READER_ROLE_NAME,
  FORWARDER_ROLE_NAME,
]
