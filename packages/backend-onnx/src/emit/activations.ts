import type { Activation } from '@netspec/spec';
import { float, int, string } from '../graph/attributes.js';
import type { EmitContext } from './kind.js';

// Keras's SELU constants (ONNX's defaults are float-rounded versions of the same numbers).
const SELU_ALPHA = 1.6732632423543772;
const SELU_SCALE = 1.0507009873554805;
const SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);

/** Whether applying `activation` changes anything. */
export const isLinear = (activation: Activation): boolean =>
  (typeof activation === 'string' ? activation : activation.type) === 'linear';

/**
 * Emits `activation(x)` with Keras's definitions; the last node writes `output` when given.
 * Returns the value name of the result.
 */
export function emitActivation(
  ctx: EmitContext,
  x: string,
  activation: Activation,
  output?: string,
): string {
  const a = typeof activation === 'string' ? { type: activation } : activation;
  const op = (type: string, inputs: string[], attrs = {}) => ctx.op(type, inputs, attrs, output);
  switch (a.type) {
    case 'linear':
      return output === undefined ? x : op('Identity', [x]);
    case 'relu':
      return op('Relu', [x]);
    case 'relu6':
      return op('Clip', [x, ctx.scalar('zero', 0), ctx.scalar('six', 6)]);
    case 'leakyRelu':
      return op('LeakyRelu', [x], { alpha: float('alpha' in a ? a.alpha : 0.3) });
    case 'elu':
      return op('Elu', [x], { alpha: float('alpha' in a ? a.alpha : 1) });
    case 'selu':
      return op('Selu', [x], { alpha: float(SELU_ALPHA), gamma: float(SELU_SCALE) });
    case 'gelu':
      return emitGelu(ctx, x, 'approximate' in a && a.approximate, output);
    case 'geluTanh':
      return emitGelu(ctx, x, true, output);
    case 'sigmoid':
      return op('Sigmoid', [x]);
    // Keras 3: relu6(x + 3) / 6 = max(0, min(1, x/6 + 1/2))
    case 'hardSigmoid':
      return op('HardSigmoid', [x], { alpha: float(1 / 6), beta: float(0.5) });
    case 'tanh':
      return op('Tanh', [x]);
    // Keras axes count the batch as 0, as ONNX's do.
    case 'softmax':
      return op('Softmax', [x], { axis: int('axis' in a ? a.axis : -1) });
    case 'logSoftmax':
      return op('LogSoftmax', [x], { axis: int('axis' in a ? a.axis : -1) });
    case 'softplus':
      return op('Softplus', [x]);
    case 'softsign':
      return op('Softsign', [x]);
    // swish(x) = x · sigmoid(x)
    case 'swish':
    case 'silu':
      return op('Mul', [x, ctx.op('Sigmoid', [x])]);
    // mish(x) = x · tanh(softplus(x)); an op of its own from opset 18
    case 'mish':
      if (ctx.opset >= 18) return op('Mish', [x]);
      return op('Mul', [x, ctx.op('Tanh', [ctx.op('Softplus', [x])])]);
    case 'exponential':
      return op('Exp', [x]);
  }
}

/**
 * GELU: exact 0.5·x·(1 + erf(x/√2)), or tanh's 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³)));
 * the `Gelu` op from opset 20.
 */
function emitGelu(ctx: EmitContext, x: string, approximate: boolean, output?: string): string {
  if (ctx.opset >= 20) {
    return ctx.op('Gelu', [x], { approximate: string(approximate ? 'tanh' : 'none') }, output);
  }
  let inner: string;
  if (approximate) {
    const cube = ctx.op('Mul', [ctx.op('Mul', [x, x]), x]);
    const sum = ctx.op('Add', [x, ctx.op('Mul', [cube, ctx.scalar('c', 0.044715)])]);
    inner = ctx.op('Tanh', [ctx.op('Mul', [sum, ctx.scalar('sqrt_2_over_pi', SQRT_2_OVER_PI)])]);
  } else {
    // x / √2 as a Div: the form onnxruntime's Gelu fusion recognizes.
    inner = ctx.op('Erf', [ctx.op('Div', [x, ctx.scalar('sqrt_2', Math.SQRT2)])]);
  }
  const half = ctx.op('Mul', [x, ctx.scalar('half', 0.5)]);
  return ctx.op('Mul', [half, ctx.op('Add', [inner, ctx.scalar('one', 1)])], {}, output);
}
