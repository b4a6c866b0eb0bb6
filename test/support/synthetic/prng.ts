/** A small seeded random source, so a synthetic account is the same on every machine and run. */
export interface Random {
  /** Uniform in [0, 1). */
  next(): number
  /** Integer in [min, max]. */
  int(min: number, max: number): number
  /** True with probability `p`. */
  chance(p: number): boolean
  pick<T>(items: readonly T[]): T
  /** Index in [0, size), skewed towards 0 by `skew` (1 = uniform): a few items are used a lot. */
  skewedIndex(size: number, skew: number): number
  /** `count` distinct items (fewer when `items` is shorter), in a seeded order. */
  sample<T>(items: readonly T[], count: number): T[]
}

/** mulberry32: 32-bit state, full period, fast; good enough for test data, not for secrets. */
export function createRandom(seed: number): Random {
  let state = seed >>> 0
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  const int = (min: number, max: number): number => min + Math.floor(next() * (max - min + 1))
  const pick = <T>(items: readonly T[]): T => {
    if (items.length === 0) throw new Error('pick from an empty list')
    return items[Math.floor(next() * items.length)] as T
  }
  return {
    next,
    int,
    chance: (p) => next() < p,
    pick,
    skewedIndex: (size, skew) => Math.min(size - 1, Math.floor(size * next() ** skew)),
    sample: <T>(items: readonly T[], count: number): T[] => {
      const copy = [...items]
      const take = Math.min(count, copy.length)
      for (let index = 0; index < take; index++) {
        const swap = int(index, copy.length - 1)
        const held = copy[index] as T
        copy[index] = copy[swap] as T
        copy[swap] = held
      }
      return copy.slice(0, take)
    },
  }
}
