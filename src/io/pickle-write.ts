/**
 * Writing pickles: a small expression tree and its protocol-2 encoding.
 *
 * Only what `torch.save` files need: None, bools, ints, str, tuples, globals, REDUCE, persistent
 * ids and dict items set on a reduced object (how an OrderedDict is pickled). Protocol 2 is what
 * `torch.save` itself writes, and every Python 3 (and Python 2) reads it.
 */

export type PickleExpr =
  | null
  | boolean
  | number
  | string
  | { readonly _tag: 'tuple'; readonly items: readonly PickleExpr[] }
  | { readonly _tag: 'global'; readonly module: string; readonly name: string }
  | { readonly _tag: 'reduce'; readonly fn: PickleExpr; readonly args: readonly PickleExpr[] }
  | { readonly _tag: 'persid'; readonly pid: PickleExpr }
  | { readonly _tag: 'items'; readonly target: PickleExpr; readonly items: readonly (readonly [PickleExpr, PickleExpr])[] }

// ---------------------------------------------------------------------------------------------
// constructors
// ---------------------------------------------------------------------------------------------

export const tuple = (...items: PickleExpr[]): PickleExpr => ({ _tag: 'tuple', items })
export const global = (module: string, name: string): PickleExpr => ({ _tag: 'global', module, name })
export const reduce = (fn: PickleExpr, ...args: PickleExpr[]): PickleExpr => ({ _tag: 'reduce', fn, args })
export const persid = (pid: PickleExpr): PickleExpr => ({ _tag: 'persid', pid })
/** `target` (a dict-like built by REDUCE) with `items` set on it by SETITEMS. */
export const withItems = (target: PickleExpr, items: readonly (readonly [PickleExpr, PickleExpr])[]): PickleExpr => ({
  _tag: 'items', target, items,
})

// ---------------------------------------------------------------------------------------------
// interpreter
// ---------------------------------------------------------------------------------------------

const SETITEMS_BATCH = 1000 // as Python's pickler: bounded stack depth for the reader

/** The protocol-2 pickle of `expr`, ending with STOP. */
export const encodePickle = (expr: PickleExpr): Uint8Array => {
  const parts: Buffer[] = [Buffer.from([0x80, 2])]
  const op = (...bytes: number[]): void => {
    parts.push(Buffer.from(bytes))
  }
  const int32 = (v: number) => {
    const b = Buffer.alloc(5)
    b[0] = 0x4a // BININT
    b.writeInt32LE(v, 1)
    parts.push(b)
  }
  const emit = (e: PickleExpr): void => {
    if (e === null) return op(0x4e) // NONE
    if (typeof e === 'boolean') return op(e ? 0x88 : 0x89) // NEWTRUE / NEWFALSE
    if (typeof e === 'number') {
      if (!Number.isSafeInteger(e)) throw new Error(`pickle-write: ${e} is not an exact int`)
      if (e >= 0 && e < 0x100) return op(0x4b, e) // BININT1
      if (e >= 0 && e < 0x10000) return op(0x4d, e & 0xff, e >> 8) // BININT2
      if (e >= -0x80000000 && e < 0x80000000) return int32(e)
      let v = BigInt(e)
      const bytes: number[] = []
      // LONG1: little-endian two's complement, with a sign byte when the top bit disagrees
      while (v !== 0n && v !== -1n) {
        bytes.push(Number(v & 0xffn))
        v >>= 8n
      }
      if (((bytes[bytes.length - 1] & 0x80) !== 0) !== e < 0) bytes.push(e < 0 ? 0xff : 0)
      return op(0x8a, bytes.length, ...bytes)
    }
    if (typeof e === 'string') {
      const text = Buffer.from(e, 'utf8')
      const head = Buffer.alloc(5)
      head[0] = 0x58 // BINUNICODE
      head.writeUInt32LE(text.length, 1)
      parts.push(head, text)
      return
    }
    switch (e._tag) {
      case 'tuple': {
        const n = e.items.length
        if (n === 0) return op(0x29) // EMPTY_TUPLE
        if (n > 3) op(0x28) // MARK
        e.items.forEach(emit)
        return op(n === 1 ? 0x85 : n === 2 ? 0x86 : n === 3 ? 0x87 : 0x74) // TUPLE1-3 / TUPLE
      }
      case 'global':
        parts.push(Buffer.from(`c${e.module}\n${e.name}\n`, 'utf8')) // GLOBAL
        return
      case 'reduce':
        emit(e.fn)
        emit(tuple(...e.args))
        return op(0x52) // REDUCE
      case 'persid':
        emit(e.pid)
        return op(0x51) // BINPERSID
      case 'items':
        emit(e.target)
        for (let i = 0; i < e.items.length; i += SETITEMS_BATCH) {
          op(0x28) // MARK
          for (const [k, v] of e.items.slice(i, i + SETITEMS_BATCH)) {
            emit(k)
            emit(v)
          }
          op(0x75) // SETITEMS
        }
        return
    }
  }
  emit(expr)
  op(0x2e) // STOP
  return new Uint8Array(Buffer.concat(parts))
}
