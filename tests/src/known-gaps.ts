// Known parity gaps (DESIGN.md: one place, each with its reason). A case listed here still runs
// on every engine; the suite checks its output shapes, not its values.

/** Case name -> why its values cannot match tfjs. */
export const KNOWN_GAPS: Readonly<Record<string, string>> = {
  sampling:
    'stochastic: ONNX RandomNormalLike draws from onnxruntime’s generator, not netspec’s seeded RNG',
};
