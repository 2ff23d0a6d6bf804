/**
 * Freeing a compiled model. tfjs-layers counts one reference per application of a layer and
 * `LayersModel.dispose()` releases each layer once, so a layer applied twice (the CAM's shared
 * MLP) would keep its weights; this releases every remaining application too.
 */
import type * as tfl from '@tensorflow/tfjs-layers'

export const disposeModel = (model: tfl.LayersModel): void => {
  model.dispose()
  for (const layer of model.layers) {
    try {
      while (layer.dispose().refCountAfterDispose > 0) {
        // release the remaining application
      }
    } catch {
      // already disposed (the usual case), or never built
    }
  }
}
