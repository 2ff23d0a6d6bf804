/**
 * `tf.variableGrads` with the memory of a training step bounded by the forward pass.
 *
 * tfjs 4.22's backward pass (engine.gradients → backpropagateGradients) keeps every gradient it
 * computes, one per tensor of the forward graph, and every tensor saved for the backward pass,
 * until the very end of the step. At the top of the backward pass the step therefore holds the
 * forward activations *and* an activation-sized gradient for each of them: in IR50 + PAM12 at
 * 112 × 112 about twice the memory the forward pass needs, which is what kept batch 16 out of the
 * wasm backend's 4 GiB heap.
 *
 * This is the same algorithm over the same tape, with two frees added. The tape is in execution
 * order, so when the walk back reaches a node every consumer of its outputs has already added its
 * share to their gradients: after the node's input gradients are computed, its outputs' gradients
 * and the tensors it saved are never read again and are disposed. The sums, their order and so
 * the results are those of `tf.variableGrads` (tested bit for bit).
 *
 * It uses the engine's tape through its runtime fields (`state.activeTape`, `startTape`, …), which
 * tfjs does not export as API; tfjs is pinned (package.json) and the tests compare against
 * `tf.variableGrads` on every backend in use.
 */
import * as tf from '@tensorflow/tfjs-core'

interface TapeNode {
  readonly id: number
  readonly kernelName: string
  readonly inputs: Readonly<Record<string, tf.Tensor>>
  readonly outputs: readonly tf.Tensor[]
  readonly saved?: readonly tf.Tensor[]
  readonly gradient?: (dys: (tf.Tensor | null)[]) => Readonly<Record<string, () => tf.Tensor>>
}

/** The engine members used here (present at runtime in tfjs-core 4.22, private in its types). */
interface EngineInternals {
  readonly state: { activeTape: TapeNode[] | null; gradientDepth: number }
  startTape(): void
  endTape(): void
  scopedRun<T>(start: () => void, end: () => void, f: () => T): T
  tidy<T extends tf.TensorContainer>(name: string, f: () => T): T
}

/** The nodes on a path from one of `xs` to `y`, in tape order, their inputs pruned to those that depend on `xs`. */
export const nodesFromXsToY = (tape: readonly TapeNode[], xs: readonly tf.Tensor[], y: tf.Tensor): TapeNode[] => {
  const fromX = new Set<number>(xs.map((x) => x.id))
  const nodeFromX = new Set<number>()
  for (const node of tape) {
    if (Object.values(node.inputs).some((t) => fromX.has(t.id))) {
      for (const o of node.outputs) fromX.add(o.id)
      nodeFromX.add(node.id)
    }
  }
  const toY = new Set<number>([y.id])
  const nodeToY = new Set<number>()
  for (let i = tape.length - 1; i >= 0; i--) {
    const node = tape[i]
    if (node.outputs.some((o) => toY.has(o.id))) {
      for (const t of Object.values(node.inputs)) toY.add(t.id)
      nodeToY.add(node.id)
    }
  }
  return tape
    .filter((n) => nodeFromX.has(n.id) && nodeToY.has(n.id))
    .map((n) => ({ ...n, inputs: Object.fromEntries(Object.entries(n.inputs).filter(([, t]) => fromX.has(t.id))) }))
}

const backpropagate = (engine: EngineInternals, nodes: readonly TapeNode[], y: tf.Tensor, keep: ReadonlySet<number>): Map<number, tf.Tensor> => {
  const acc = new Map<number, tf.Tensor>([[y.id, tf.onesLike(y)]])
  const freeSaved = engine.state.gradientDepth === 0
  for (let i = nodes.length - 1; i >= 0; i--) {
    const node = nodes[i]
    if (node.gradient === undefined) throw new Error(`Cannot compute gradient: gradient function not found for ${node.kernelName}.`)
    const dys = node.outputs.map((o) => acc.get(o.id) ?? null)
    const inputGradients = node.gradient(dys)
    for (const [name, x] of Object.entries(node.inputs)) {
      if (!(name in inputGradients)) throw new Error(`Cannot backprop through input ${name}. Available gradients found: ${Object.keys(inputGradients)}.`)
      let dx = engine.tidy(name, () => inputGradients[name]())
      if (dx.dtype !== 'float32') throw new Error(`Error in gradient for op ${node.kernelName}. The gradient of input ${name} must have 'float32' dtype, but has '${dx.dtype}'`)
      if (!tf.util.arraysEqual(dx.shape, x.shape)) {
        throw new Error(`Error in gradient for op ${node.kernelName}. The gradient of input '${name}' has shape '${dx.shape}', which does not match the shape of the input '${x.shape}'`)
      }
      // a gradient function may hand back a dy itself; own a reference of our own before dys are freed
      if (dys.includes(dx)) dx = tf.clone(dx)
      const sum = acc.get(x.id)
      if (sum === undefined) acc.set(x.id, dx)
      else {
        acc.set(x.id, tf.add(sum, dx))
        tf.dispose([sum, dx])
      }
    }
    // every consumer of this node's outputs came later on the tape and has been walked
    for (const o of node.outputs) {
      const g = acc.get(o.id)
      if (g !== undefined && !keep.has(o.id)) {
        g.dispose()
        acc.delete(o.id)
      }
    }
    if (freeSaved) for (const t of node.saved ?? []) t.dispose()
  }
  return acc
}

/** Gradients of the scalar `f()` with respect to each trainable variable, as `tf.variableGrads`. */
export const variableGrads = (f: () => tf.Scalar, varList: readonly tf.Variable[]): { value: tf.Scalar; grads: Record<string, tf.Tensor> } => {
  const vars = varList.filter((v) => v.trainable)
  if (vars.length === 0) throw new Error(`variableGrads() expects at least one of the input variables to be trainable, but none of the ${varList.length} variables is trainable.`)
  const engine = tf.engine() as unknown as EngineInternals
  const y = engine.scopedRun(
    () => engine.startTape(),
    () => engine.endTape(),
    () => engine.tidy('forward', f),
  )
  if (!(y instanceof tf.Tensor)) throw new Error('The result y returned by f() must be a tensor.')
  if (y.rank !== 0) throw new Error(`The f passed in variableGrads(f) must return a scalar, but it returned a rank-${y.rank} tensor`)
  const tape = engine.state.activeTape ?? []
  const nodes = nodesFromXsToY(tape, vars, y)
  const grads = engine.tidy('backward', () => {
    const acc = backpropagate(engine, nodes, y, new Set(vars.map((v) => v.id)))
    const out: Record<string, tf.Tensor> = {}
    for (const v of vars) {
      const g = acc.get(v.id)
      if (g !== undefined) out[v.name] = g
    }
    if (engine.state.gradientDepth === 0) {
      for (const node of tape) for (const t of node.saved ?? []) t.dispose()
      engine.state.activeTape = null
    }
    return out
  })
  if (Object.keys(grads).length === 0) {
    tf.dispose([y, ...Object.values(grads)])
    throw new Error('Cannot find a connection between any variable and the result of the loss function y=f(x).')
  }
  return { value: y as tf.Scalar, grads }
}
