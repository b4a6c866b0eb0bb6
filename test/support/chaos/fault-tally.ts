/** What the fault proxy did with one request. */
export type RequestOutcome =
  /** Passed on and answered normally. */
  | 'forwarded'
  /** Refused by the service's rate limit with its throttling error; never forwarded. */
  | 'rate-limited'
  /** Failed before forwarding with a throttling error. */
  | 'fault-throttled'
  /** Failed before forwarding with a 500 or 503. */
  | 'fault-before'
  /** Forwarded and applied, then answered 500 instead of the emulator's answer. */
  | 'fault-after'
  /** Forwarded and applied, then the connection was cut. */
  | 'fault-reset'

/** Counts of one service. */
export interface ServiceTally {
  /** Every request that arrived, retries included. */
  requests: number
  /** Requests the SDK marked as a retry of an earlier attempt (`amz-sdk-request: attempt>1`). */
  sdkRetries: number
  forwarded: number
  rateLimited: number
  /** Injected failures before forwarding (not applied), throttling answers included. */
  faultsBefore: number
  /** Of `faultsBefore`, those answered with the service's throttling error. */
  faultsThrottled: number
  /** Injected failures after forwarding (applied, answer lost), cut connections included. */
  faultsAfter: number
  /** Of `faultsAfter`, those where the connection was cut. */
  faultsReset: number
}

/** Counts per service of what the fault proxy did. */
export class FaultTally {
  readonly #services = new Map<string, ServiceTally>()

  record(service: string, outcome: RequestOutcome, attempt: number): void {
    const tally = this.#get(service)
    tally.requests++
    if (attempt > 1) tally.sdkRetries++
    switch (outcome) {
      case 'forwarded':
        tally.forwarded++
        return
      case 'rate-limited':
        tally.rateLimited++
        return
      case 'fault-throttled':
        tally.faultsThrottled++
        tally.faultsBefore++
        return
      case 'fault-before':
        tally.faultsBefore++
        return
      case 'fault-reset':
        tally.faultsReset++
        tally.faultsAfter++
        return
      case 'fault-after':
        tally.faultsAfter++
        return
    }
  }

  /** A copy of the counts, by service name. */
  snapshot(): Record<string, ServiceTally> {
    return Object.fromEntries([...this.#services].map(([service, tally]) => [service, { ...tally }]))
  }

  /** Injected failures of every service (rate limiting not included). */
  totalFaults(): number {
    let total = 0
    for (const tally of this.#services.values()) total += tally.faultsBefore + tally.faultsAfter
    return total
  }

  reset(): void {
    this.#services.clear()
  }

  #get(service: string): ServiceTally {
    let tally = this.#services.get(service)
    if (!tally) {
      tally = {
        requests: 0,
        sdkRetries: 0,
        forwarded: 0,
        rateLimited: 0,
        faultsBefore: 0,
        faultsThrottled: 0,
        faultsAfter: 0,
        faultsReset: 0,
      }
      this.#services.set(service, tally)
    }
    return tally
  }
}

/** `iam 120 (before 61, after 59)` for each service with faults; `none` when there were none. */
export function formatFaultsByService(tallies: Readonly<Record<string, ServiceTally>>): string {
  const parts = Object.entries(tallies)
    .filter(([, tally]) => tally.faultsBefore + tally.faultsAfter > 0)
    .map(
      ([service, tally]) =>
        `${service} ${tally.faultsBefore + tally.faultsAfter} (before ${tally.faultsBefore}, of which throttling ${tally.faultsThrottled}; after ${tally.faultsAfter}, of which cut ${tally.faultsReset})`,
    )
  return parts.length === 0 ? 'none' : parts.join(', ')
}
