/**
 * The Python values the safe unpickler produces, and guards to take them apart.
 *
 * The mapping is the one `pickle.load(f, encoding='bytes')` makes, in JS terms:
 *
 * | Python                                   | JS                                          |
 * | ---------------------------------------- | ------------------------------------------- |
 * | None, bool, float, str                   | null, boolean, number, string               |
 * | int                                      | number when exact, else bigint              |
 * | bytes, bytearray, Python 2 str           | Uint8Array (a view into the file's bytes)   |
 * | list / tuple                             | array / frozen array                        |
 * | dict, set / frozenset                    | Map (insertion-ordered, like dict) / Set    |
 * | a class or function named by the pickle  | `PyGlobal`                                  |
 * | what an allowed global built             | whatever the caller's implementation made   |
 *
 * Tuples are frozen arrays rather than a wrapper so that both read as `value[i]`;
 * `Object.isFrozen` tells a tuple from a list.
 */

export type PyValue =
  | null
  | boolean
  | number
  | bigint
  | string
  | Uint8Array
  | PyList
  | PyTuple
  | PyDict
  | PySet
  | PyGlobal
  | PyObject

export type PyList = PyValue[]
export type PyTuple = readonly PyValue[]
export type PyDict = Map<PyValue, PyValue>
export type PySet = Set<PyValue>

/** A module-level name (`collections.OrderedDict`) the caller allowed. */
export interface PyGlobal {
  readonly _tag: 'PyGlobal'
  /** `module.qualname`, Python 2 module names already mapped to Python 3's. */
  readonly name: string
}

/**
 * An object an allowed global (or the persistent loader) built. `__setstate__` receives BUILD's
 * state and, as in Python, mutates the object in place: the memo may already hold it.
 */
export interface PyObject {
  readonly _tag: string
  __setstate__?(state: PyValue): void
}

/**
 * An allowed global's implementation: REDUCE, NEWOBJ, INST and OBJ call it with the arguments.
 * Throw a plain `Error` to refuse; the unpickler turns it into a `PamError` naming the file,
 * the global and the offset.
 */
export type PyCallable = (args: readonly PyValue[]) => PyValue

// ---------------------------------------------------------------------------------------------
// guards
// ---------------------------------------------------------------------------------------------

export const isList = (v: PyValue): v is PyList => Array.isArray(v) && !Object.isFrozen(v)
export const isTuple = (v: PyValue): v is PyTuple => Array.isArray(v) && Object.isFrozen(v)
export const isSequence = (v: PyValue): v is PyTuple => Array.isArray(v)
export const isDict = (v: PyValue): v is PyDict => v instanceof Map
export const isBytes = (v: PyValue): v is Uint8Array => v instanceof Uint8Array
export const isGlobal = (v: PyValue, name?: string): v is PyGlobal =>
  typeof v === 'object' && v !== null && (v as { _tag?: unknown })._tag === 'PyGlobal' &&
  (name === undefined || (v as PyGlobal).name === name)
export const isObject = <T extends PyObject>(v: PyValue, tag: T['_tag']): v is T =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && (v as { _tag?: unknown })._tag === tag

/** An exact integer as a JS number (ints beyond 2^53 stay bigint and do not qualify). */
export const isInt = (v: PyValue): v is number => typeof v === 'number' && Number.isInteger(v)

/**
 * Text, whether the writer's Python had `str` as text (Python 3) or as bytes (Python 2, read
 * with `encoding='bytes'`). Bytes decode as UTF-8, which ASCII names satisfy.
 */
export const asText = (v: PyValue): string | undefined =>
  typeof v === 'string' ? v : v instanceof Uint8Array ? Buffer.from(v).toString('utf8') : undefined

/** Looks a text key up in a dict whose keys may be str or (Python 2) bytes. */
export const dictGet = (d: PyDict, key: string): PyValue | undefined => {
  if (d.has(key)) return d.get(key)
  for (const [k, v] of d) if (k instanceof Uint8Array && asText(k) === key) return v
  return undefined
}

/** A short description for error messages: `a list of 3`, `bytes (12)`, `collections.OrderedDict`. */
export const describe = (v: PyValue): string => {
  if (v === null) return 'None'
  if (typeof v === 'boolean') return 'a bool'
  if (typeof v === 'number') return Number.isInteger(v) ? 'an int' : 'a float'
  if (typeof v === 'bigint') return 'an int'
  if (typeof v === 'string') return 'a str'
  if (v instanceof Uint8Array) return `bytes (${v.length})`
  if (Array.isArray(v)) return `a ${Object.isFrozen(v) ? 'tuple' : 'list'} of ${v.length}`
  if (v instanceof Map) return `a dict of ${v.size}`
  if (v instanceof Set) return `a set of ${v.size}`
  return isGlobal(v) ? v.name : (v as PyObject)._tag
}
