/**
 * `T` with every property that may hold `undefined` made optional and `undefined` taken out of
 * its type: what `omitUndefined` returns, so it fits types whose optional keys are absent, never
 * `undefined` (`exactOptionalPropertyTypes`). Each member of a union is mapped on its own.
 */
export type WithoutUndefined<T> = T extends unknown
  ? { [K in keyof (RequiredPart<T> & OptionalPart<T>)]: (RequiredPart<T> & OptionalPart<T>)[K] }
  : never

type RequiredPart<T> = { [K in keyof T as undefined extends T[K] ? never : K]: T[K] }
type OptionalPart<T> = { [K in keyof T as undefined extends T[K] ? K : never]?: Exclude<T[K], undefined> }

/** Drops keys whose value is undefined, so parsed values hold only what the event carried. */
export function omitUndefined<T extends object>(value: T): WithoutUndefined<T> {
  return Object.fromEntries(
    Object.entries(value).filter(([, entry]) => entry !== undefined),
  ) as WithoutUndefined<T>
}
