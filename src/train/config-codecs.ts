/**
 * Small io-ts codecs for config values, each with an error message a user can act on.
 */
import * as E from 'fp-ts/Either'
import * as t from 'io-ts'
import { parseModelName } from '../../models/zoo'

export const numberWhere = (name: string, ok: (n: number) => boolean) =>
  new t.Type<number, number, unknown>(
    name,
    (u): u is number => typeof u === 'number' && ok(u),
    (u, c) => (typeof u === 'number' && Number.isFinite(u) && ok(u) ? t.success(u) : t.failure(u, c, `expected ${name}`)),
    (n) => n,
  )

export const PositiveInt = numberWhere('a positive integer', (n) => Number.isInteger(n) && n > 0)
export const NonNegativeInt = numberWhere('an integer ≥ 0', (n) => Number.isInteger(n) && n >= 0)
export const PositiveNumber = numberWhere('a number > 0', (n) => n > 0)
export const NonNegativeNumber = numberWhere('a number ≥ 0', (n) => n >= 0)
export const Probability = numberWhere('a number in [0, 1]', (n) => n >= 0 && n <= 1)
export const DropoutRate = numberWhere('a number in [0, 1)', (n) => n >= 0 && n < 1)
export const Margin = numberWhere('a margin in [0, π/2)', (n) => n >= 0 && n < Math.PI / 2)

/** A model name the zoo knows (case-insensitive), kept as the user wrote it. */
export const ModelName = new t.Type<string, string, unknown>(
  'a model name',
  (u): u is string => typeof u === 'string' && E.isRight(parseModelName(u)),
  (u, c) => {
    if (typeof u !== 'string') return t.failure(u, c, 'expected a model name (a string such as "IR50+PAM12")')
    const r = parseModelName(u)
    return E.isRight(r) ? t.success(r.right.name) : t.failure(u, c, r.left)
  },
  (s) => s,
)

export const NonEmptyString = new t.Type<string, string, unknown>(
  'a non-empty string',
  (u): u is string => typeof u === 'string' && u.length > 0,
  (u, c) => (typeof u === 'string' && u.length > 0 ? t.success(u) : t.failure(u, c, 'expected a non-empty string')),
  (s) => s,
)

/** A non-empty list whose items the item codec decodes (errors name the bad item's index). */
export const listOf = <C extends t.Mixed>(item: C, what: string) =>
  new t.Type<t.TypeOf<C>[], t.OutputOf<C>[], unknown>(
    `a list of ${what}`,
    (u): u is t.TypeOf<C>[] => Array.isArray(u) && u.length > 0 && u.every((x) => item.is(x)),
    (u, c) => (Array.isArray(u) && u.length > 0 ? t.array(item).validate(u, c) : t.failure(u, c, `expected a non-empty list of ${what}`)),
    (a) => a.map((x) => item.encode(x)),
  )

/** Ascending integers ≥ 0 (milestone epochs). */
export const Milestones = new t.Type<number[], number[], unknown>(
  'ascending epoch numbers',
  (u): u is number[] => Array.isArray(u),
  (u, c) =>
    Array.isArray(u) && u.every((x, i) => Number.isInteger(x) && x >= 0 && (i === 0 || x > u[i - 1]))
      ? t.success(u as number[])
      : t.failure(u, c, 'expected ascending epoch numbers, such as [10, 18, 22]'),
  (a) => a,
)

/**
 * A union discriminated by its `kind` field, decoded by the one member the kind names, so an
 * error speaks of that member's fields only (a plain `t.union` reports every member's failures).
 */
export const byKind = <M extends Record<string, t.Mixed>>(name: string, members: M) =>
  new t.Type<t.TypeOf<M[keyof M]>, t.OutputOf<M[keyof M]>, unknown>(
    name,
    (u): u is t.TypeOf<M[keyof M]> => Object.values(members).some((m) => m.is(u)),
    (u, c) => {
      const kinds = Object.keys(members)
      const kind = typeof u === 'object' && u !== null ? (u as { kind?: unknown }).kind : undefined
      if (typeof kind !== 'string' || !(kind in members))
        return t.failure(kind, [...c, { key: 'kind', type: t.string, actual: kind }], `expected one of ${kinds.map((k) => `"${k}"`).join(', ')}`)
      return members[kind].validate(u, c)
    },
    (a) => members[(a as { kind: string }).kind].encode(a),
  )
