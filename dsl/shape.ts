/**
 * Shapes and shape errors.
 *
 * A `Shape` is the shape of one example, without the batch axis: `[H, W, C]` for feature maps,
 * `[F]` for vectors. Shape arithmetic happens in values, not in the type system, so a mismatch
 * is reported as a readable `ShapeError` at composition time.
 */

// -------------------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------------------

export type Shape = readonly number[]

/** Why a block does not fit its input: the block path, what it expected and what arrived. */
export interface ShapeError {
  readonly _tag: 'ShapeError'
  /** Block path, `stage2/unit0/res/1`; empty for the root block. */
  readonly path: string
  readonly expected: string
  readonly actual: string
}

// -------------------------------------------------------------------------------------------------
// constructors
// -------------------------------------------------------------------------------------------------

export const shapeError = (path: string, expected: string, actual: string): ShapeError => ({
  _tag: 'ShapeError',
  path,
  expected,
  actual,
})

// -------------------------------------------------------------------------------------------------
// destructors
// -------------------------------------------------------------------------------------------------

/** `[56,56,64]`: the notation every message and table uses. */
export const formatShape = (s: Shape): string => `[${s.join(',')}]`

/** One line: `stage2/unit0/res/1: expected [H,W,C] feature map, got [512]`. */
export const formatShapeError = (e: ShapeError): string =>
  `${e.path === '' ? '(model)' : e.path}: expected ${e.expected}, got ${e.actual}`

export const sameShape = (a: Shape, b: Shape): boolean => a.length === b.length && a.every((d, i) => d === b[i])

export const numElements = (s: Shape): number => s.reduce((a, b) => a * b, 1)

/** Joins a parent path and a child name with `/`. */
export const childPath = (parent: string, name: string): string => (parent === '' ? name : `${parent}/${name}`)

/**
 * NumPy broadcasting of two shapes of the same rank (size-1 axes stretch), or `undefined` when
 * they do not broadcast. Ranks must agree: a `[C]` vector never silently broadcasts over a map.
 */
export const broadcastShapes = (a: Shape, b: Shape): Shape | undefined => {
  if (a.length !== b.length) return undefined
  const out: number[] = []
  for (let i = 0; i < a.length; i++) {
    if (a[i] === b[i] || b[i] === 1) out.push(a[i])
    else if (a[i] === 1) out.push(b[i])
    else return undefined
  }
  return out
}
