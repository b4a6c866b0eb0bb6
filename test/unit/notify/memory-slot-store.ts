import type { NotificationSlot, SlotClaim, SlotStore } from '#shared/notify/notification-slot.ts'

interface Entry {
  state: 'sending' | 'sent'
  owner: string
  leaseUntil: number
  sentAt?: string
}

/** The slot protocol of the DynamoDB store, in memory, with switches to fail each call. */
export class MemorySlotStore implements SlotStore {
  readonly entries = new Map<string, Entry>()
  readonly fail = { claim: false, markSent: false, release: false }

  async claim(slot: NotificationSlot, owner: string, leaseUntil: Date, now: Date): Promise<SlotClaim> {
    if (this.fail.claim) throw new Error('DynamoDB down (claim)')
    const key = keyOf(slot)
    const entry = this.entries.get(key)
    const free =
      !entry || entry.owner === owner || (entry.state === 'sending' && entry.leaseUntil < now.getTime())
    if (!free) {
      return entry.state === 'sent'
        ? { status: 'sent', ...(entry.sentAt ? { sentAt: entry.sentAt } : {}) }
        : { status: 'busy', until: new Date(entry.leaseUntil) }
    }
    this.entries.set(key, { state: 'sending', owner, leaseUntil: leaseUntil.getTime() })
    return entry && entry.state === 'sending' && entry.owner !== owner
      ? { status: 'claimed', earlierAttemptUntil: new Date(entry.leaseUntil) }
      : { status: 'claimed' }
  }

  async markSent(slot: NotificationSlot, owner: string, now: Date): Promise<void> {
    if (this.fail.markSent) throw new Error('DynamoDB down (mark sent)')
    const key = keyOf(slot)
    const entry = this.entries.get(key)
    this.entries.set(key, {
      state: 'sent',
      owner,
      leaseUntil: entry?.leaseUntil ?? now.getTime(),
      sentAt: now.toISOString(),
    })
  }

  async release(slot: NotificationSlot, owner: string): Promise<void> {
    if (this.fail.release) throw new Error('DynamoDB down (release)')
    const key = keyOf(slot)
    const entry = this.entries.get(key)
    if (entry?.owner === owner && entry.state === 'sending') this.entries.delete(key)
  }
}

function keyOf(slot: NotificationSlot): string {
  return `${slot.id}|${slot.period}`
}
