/**
 * Safe implementations of the few standard-library globals real pickles of plain data name.
 *
 * Python 3 writing `bytes` at protocol 2 cannot use a bytes opcode (protocol 3 added them), so it
 * writes `_codecs.encode(bytes.decode('latin1'), 'latin1')`; empty bytes become `bytes()`; a
 * bytearray becomes `bytearray(text, 'latin-1')`. A state_dict is a `collections.OrderedDict`.
 * Readers pick the entries they need into their allow-list: nothing here can do more than build
 * data.
 */
import { asText, PyCallable, PyDict, PyValue } from './pickle-value'

/** Text → bytes for the encodings pickles use to carry bytes as text. */
const encodeText = (text: string, encoding: string): Uint8Array => {
  const enc = encoding.toLowerCase().replace(/[-_]/g, '')
  if (enc === 'latin1' || enc === 'iso88591' || enc === 'l1') {
    const out = new Uint8Array(text.length)
    for (let i = 0; i < text.length; i++) {
      const code = text.charCodeAt(i)
      if (code > 0xff) throw new Error(`character U+${code.toString(16)} does not fit latin-1`)
      out[i] = code
    }
    return out
  }
  if (enc === 'utf8' || enc === 'ascii') return new Uint8Array(Buffer.from(text, 'utf8'))
  throw new Error(`encoding ${encoding} is not supported`)
}

const textArgs = (args: readonly PyValue[], what: string): [string, string] => {
  const text = asText(args[0] ?? null)
  const encoding = args.length > 1 ? asText(args[1]) : 'utf-8'
  if (text === undefined || encoding === undefined) throw new Error(`${what} expects (text, encoding)`)
  return [text, encoding]
}

/** `_codecs.encode(text, encoding)`. */
export const codecsEncode: PyCallable = (args) => encodeText(...textArgs(args, '_codecs.encode'))

/** `bytes()` and `bytearray()`, empty or from `(text, encoding)` or a list of ints. */
const byteString =
  (what: string): PyCallable =>
  (args) => {
    if (args.length === 0) return new Uint8Array(0)
    const first = args[0]
    if (Array.isArray(first) && first.every((b) => typeof b === 'number' && b >= 0 && b < 256)) {
      return Uint8Array.from(first as number[])
    }
    if (first instanceof Uint8Array) return first.slice()
    return encodeText(...textArgs(args, what))
  }

/**
 * A dict subclass, as in Python: the items arrive by SETITEMS like any dict's, and BUILD sets
 * instance attributes (`state_dict()` stores `_metadata` there).
 */
export class PyOrderedDict extends Map<PyValue, PyValue> {
  readonly _tag = 'collections.OrderedDict'
  readonly attributes: PyDict = new Map()
  __setstate__(state: PyValue): void {
    // state is the instance __dict__, or (dict, slots) when the class has slots
    const dict = Array.isArray(state) ? state[0] : state
    if (!(dict instanceof Map)) throw new Error('expected a dict of attributes')
    for (const [k, v] of dict) this.attributes.set(k, v)
  }
}

/** `collections.OrderedDict()` or `OrderedDict([(key, value), ...])`. */
export const orderedDict: PyCallable = (args) => {
  const d = new PyOrderedDict()
  const items = args[0]
  if (Array.isArray(items)) {
    for (const pair of items) {
      if (!Array.isArray(pair) || pair.length !== 2) throw new Error('expects (key, value) pairs')
      d.set(pair[0], pair[1])
    }
  } else if (items instanceof Map) for (const [k, v] of items) d.set(k, v)
  return d
}

/** The entries a reader of plain pickled data usually needs. */
export const bytesGlobals: Readonly<Record<string, PyCallable>> = {
  '_codecs.encode': codecsEncode,
  'builtins.bytes': byteString('bytes'),
  'builtins.bytearray': byteString('bytearray'),
}
