/**
 * DREAM (Cao et al., 2018), the embedding-space comparison of Table 7:
 * `e' = e + S(yaw) · ReLU(FC(ReLU(FC(e))))`, FC = D→D with bias. `[N,D] → [N,D]`.
 */
import type { Block, Gate } from '../dsl/block'
import { gatedResidual, labeled, sequence, softGate } from '../dsl/combinators'
import { dense, relu } from '../dsl/primitives'

export const dream = (embedding = 512, gate: Gate = softGate()): Block =>
  labeled('DREAM', gatedResidual(sequence(dense(embedding), relu, dense(embedding), relu), gate))
