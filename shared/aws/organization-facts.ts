import type { OrganizationsClient } from '@aws-sdk/client-organizations'
import type { OrganizationFile } from '#shared/snapshot/organization.ts'
import { readOrganizationData } from './organization-reader.ts'

/**
 * The organisation's accounts, OU tree and SCPs change rarely and take a dozen paged calls to
 * read: one audit run reads them once per container. The planner lists accounts from them, and
 * each member's audit evaluates SCPs by level with them.
 */
const KEEP_MS = 15 * 60_000

/** The organisation as AWS Organizations describes it, read at most once per KEEP_MS and shared while being read. */
export class CachedOrganization {
  readonly #client: OrganizationsClient
  readonly #now: () => number
  #read: { at: number; value: Promise<OrganizationFile> } | undefined

  constructor(client: OrganizationsClient, now: () => number = Date.now) {
    this.#client = client
    this.#now = now
  }

  get(): Promise<OrganizationFile> {
    const now = this.#now()
    if (!this.#read || now - this.#read.at >= KEEP_MS) {
      const value = readOrganizationData(this.#client)
      // A failed read is not kept: the next audit asks again.
      value.catch(() => {
        if (this.#read?.value === value) this.#read = undefined
      })
      this.#read = { at: now, value }
    }
    return this.#read.value
  }
}
