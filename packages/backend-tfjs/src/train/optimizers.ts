import { type Optimizer, type OptimizerObject, optimizerObject } from '@netspec/spec';
import { tf } from '../tf.js';
import { clipGradients } from './clipping.js';
import {
  adadeltaKernel,
  adagradKernel,
  adamaxKernel,
  adamKernel,
  type FusedApply,
  type FusedUpdate,
  fusedApply,
  rmspropKernel,
  sgdKernel,
  sgdMomentumKernel,
} from './optimizer-fused.js';

/**
 * An optimizer over a fixed list of variables, with Keras 3's update formulas. Its state (slots
 * and iteration count) round-trips through `state` / `loadState`, so a resumed run continues
 * bit for bit.
 */
export interface NetspecOptimizer {
  readonly type: OptimizerObject['type'];
  /** Steps applied so far (Keras's `optimizer.iterations`); schedules read it before a step. */
  readonly iterations: number;
  /** Clips `grads` (in the order of the variables; null skips one), then applies one update. */
  apply(grads: readonly (tf.Tensor | null)[], learningRate: number): void;
  /** Copies of every slot (`<varIndex>.<slot>`) and `iterations` (int32); the caller disposes them. */
  state(): Record<string, tf.Tensor>;
  /** Restores what `state` returned (from this or an identically built optimizer). */
  loadState(state: Record<string, tf.Tensor>): void;
  dispose(): void;
}

/** Scalars of one step, computed in float32 like Keras's on-device arithmetic. */
interface Step {
  lr: number;
  /** Keras's local_step: iterations + 1. */
  t: number;
}

type Slots = Record<string, tf.Variable>;

interface Rule {
  /** Slot names per variable and their initial values (default 0). */
  slots: string[];
  initial?: Record<string, number>;
  /** Assigns the new slot values and the new variable value. */
  update(step: Step, variable: tf.Variable, g: tf.Tensor, s: Slots): void;
  /** The same update as one pass per variable (optimizer-fused.ts), bit for bit. */
  fused(step: Step): FusedUpdate;
}

const f32 = Math.fround;
/** beta^t in float32, as `ops.power(cast(beta), cast(t))`. */
const power = (beta: number, t: number) => f32(f32(beta) ** t);
/**
 * A JS number as the float32 scalar tfjs makes of it in `tf.mul(x, 1 - beta)`: the JS
 * arithmetic in double, then one rounding. The fused loops take their constants through this.
 */
const scalar = f32;

const slot = (s: Slots, name: string): tf.Variable => {
  const v = s[name];
  if (!v) throw new Error(`optimizer slot "${name}" missing`);
  return v;
};

type Of<T extends OptimizerObject['type']> = Extract<OptimizerObject, { type: T }>;

function sgd(o: Of<'sgd'>): Rule {
  if (o.momentum === 0) {
    const kernel = sgdKernel();
    return {
      slots: [],
      update: ({ lr }, v, g) => v.assign(tf.sub(v, tf.mul(g, lr))),
      fused: ({ lr }) => ({ kernel, consts: [lr] }),
    };
  }
  const kernel = sgdMomentumKernel(o.nesterov);
  return {
    slots: ['momentum'],
    fused: ({ lr }) => ({ kernel, consts: [lr, scalar(o.momentum)] }),
    update: ({ lr }, v, g, s) => {
      const m = slot(s, 'momentum');
      m.assign(tf.sub(tf.mul(m, o.momentum), tf.mul(g, lr)));
      // Nesterov: w += momentum * m - lr * g with the new m.
      const delta = o.nesterov ? tf.sub(tf.mul(m, o.momentum), tf.mul(g, lr)) : m;
      v.assign(tf.add(v, delta));
    },
  };
}

type AdamLike = Of<'adam'> | Of<'adamw'>;

function adam(o: AdamLike): Rule {
  // alpha = lr * sqrt(1 - beta2^t) / (1 - beta1^t)
  const alphaOf = (lr: number, t: number) => {
    const root = f32(Math.sqrt(f32(1 - power(o.beta2, t))));
    return f32(f32(lr * root) / f32(1 - power(o.beta1, t)));
  };
  // AdamW's decoupled decay (w -= w wd lr, Keras's _apply_weight_decay) is the loop's first op.
  const decay = o.type === 'adamw' ? o.weightDecay : 0;
  const kernel = adamKernel(o.amsgrad, decay !== 0);
  return {
    slots: o.amsgrad ? ['momentum', 'velocity', 'velocityHat'] : ['momentum', 'velocity'],
    fused: ({ lr, t }) => ({
      kernel,
      consts: [
        lr,
        alphaOf(lr, t),
        scalar(1 - o.beta1),
        scalar(1 - o.beta2),
        scalar(o.epsilon),
        scalar(decay),
      ],
    }),
    update: ({ lr, t }, v, g, s) => {
      const [m, vel] = [slot(s, 'momentum'), slot(s, 'velocity')];
      const alpha = alphaOf(lr, t);
      m.assign(tf.add(m, tf.mul(tf.sub(g, m), 1 - o.beta1)));
      vel.assign(tf.add(vel, tf.mul(tf.sub(tf.square(g), vel), 1 - o.beta2)));
      let second: tf.Tensor = vel;
      if (o.amsgrad) {
        const hat = slot(s, 'velocityHat');
        hat.assign(tf.maximum(hat, vel));
        second = hat;
      }
      v.assign(tf.sub(v, tf.div(tf.mul(m, alpha), tf.add(tf.sqrt(second), o.epsilon))));
    },
  };
}

function rmsprop(o: Of<'rmsprop'>): Rule {
  const slots = ['velocity'];
  if (o.momentum > 0) slots.push('momentum');
  if (o.centered) slots.push('averageGradient');
  const kernel = rmspropKernel(o.momentum > 0, o.centered);
  return {
    slots,
    fused: ({ lr }) => ({
      kernel,
      consts: [lr, scalar(o.rho), scalar(1 - o.rho), scalar(o.epsilon), scalar(o.momentum)],
    }),
    update: ({ lr }, v, g, s) => {
      const vel = slot(s, 'velocity');
      vel.assign(tf.add(tf.mul(o.rho, vel), tf.mul(1 - o.rho, tf.square(g))));
      let denominator = tf.add(vel, o.epsilon);
      if (o.centered) {
        const avg = slot(s, 'averageGradient');
        avg.assign(tf.add(tf.mul(o.rho, avg), tf.mul(1 - o.rho, g)));
        // Keras: velocity - average² + epsilon, under one square root.
        denominator = tf.add(tf.sub(vel, tf.square(avg)), o.epsilon);
      }
      const increment = tf.div(tf.mul(lr, g), tf.sqrt(denominator));
      if (o.momentum > 0) {
        const m = slot(s, 'momentum');
        m.assign(tf.add(tf.mul(o.momentum, m), increment));
        v.assign(tf.sub(v, m));
      } else v.assign(tf.sub(v, increment));
    },
  };
}

function adagrad(o: Of<'adagrad'>): Rule {
  const kernel = adagradKernel();
  return {
    slots: ['accumulator'],
    initial: { accumulator: o.initialAccumulatorValue },
    fused: ({ lr }) => ({ kernel, consts: [lr, scalar(o.epsilon)] }),
    update: ({ lr }, v, g, s) => {
      const acc = slot(s, 'accumulator');
      acc.assign(tf.add(acc, tf.square(g)));
      v.assign(tf.sub(v, tf.div(tf.mul(lr, g), tf.sqrt(tf.add(acc, o.epsilon)))));
    },
  };
}

function adadelta(o: Of<'adadelta'>): Rule {
  const rms = (x: tf.Tensor) => tf.sqrt(tf.add(x, o.epsilon));
  const kernel = adadeltaKernel();
  return {
    slots: ['accumulatedGrad', 'accumulatedDeltaVar'],
    fused: ({ lr }) => ({
      kernel,
      consts: [lr, scalar(o.rho), scalar(1 - o.rho), scalar(o.epsilon)],
    }),
    update: ({ lr }, v, g, s) => {
      const [accG, accD] = [slot(s, 'accumulatedGrad'), slot(s, 'accumulatedDeltaVar')];
      accG.assign(tf.add(tf.mul(accG, o.rho), tf.mul(1 - o.rho, tf.square(g))));
      // delta uses the previous accumulatedDeltaVar and the new accumulatedGrad.
      const delta = tf.neg(tf.div(tf.mul(rms(accD), g), rms(accG)));
      accD.assign(tf.add(tf.mul(o.rho, accD), tf.mul(1 - o.rho, tf.square(delta))));
      v.assign(tf.add(v, tf.mul(lr, delta)));
    },
  };
}

function adamax(o: Of<'adamax'>): Rule {
  const kernel = adamaxKernel();
  return {
    slots: ['momentum', 'norm'],
    fused: ({ lr, t }) => ({
      kernel,
      consts: [
        lr,
        scalar(1 - o.beta1),
        scalar(o.beta2),
        f32(1 - power(o.beta1, t)),
        scalar(o.epsilon),
      ],
    }),
    update: ({ lr, t }, v, g, s) => {
      const [m, u] = [slot(s, 'momentum'), slot(s, 'norm')];
      m.assign(tf.add(m, tf.mul(tf.sub(g, m), 1 - o.beta1)));
      u.assign(tf.maximum(tf.mul(o.beta2, u), tf.abs(g)));
      const correction = f32(1 - power(o.beta1, t));
      v.assign(tf.sub(v, tf.div(tf.mul(lr, m), tf.mul(correction, tf.add(u, o.epsilon)))));
    },
  };
}

function ruleFor(o: OptimizerObject): Rule {
  switch (o.type) {
    case 'sgd':
      return sgd(o);
    case 'adam':
    case 'adamw':
      return adam(o);
    case 'rmsprop':
      return rmsprop(o);
    case 'adagrad':
      return adagrad(o);
    case 'adadelta':
      return adadelta(o);
    case 'adamax':
      return adamax(o);
  }
}

export interface OptimizerOptions {
  /**
   * One pass per variable over its data on the wasm and cpu engines (optimizer-fused.ts), with
   * the same bits as the per-op kernels; default `fusedOptimizerUpdates()`. Other engines always
   * run the kernels.
   */
  fused?: boolean;
}

// NETSPEC_FUSED_OPTIMIZER=0 keeps every optimizer on the kernel path: an escape hatch, and what
// the side-by-side benchmark flips (bench/optimizer-fused-ab.ts) on optimizers built by others.
let fusedDefault = globalThis.process?.env?.NETSPEC_FUSED_OPTIMIZER !== '0';

/** Whether optimizers without an explicit `fused` option fuse; `on` sets it, from their next step. */
export function fusedOptimizerUpdates(on?: boolean): boolean {
  if (on !== undefined) fusedDefault = on;
  return fusedDefault;
}

/** Keras 3's optimizer for `variables` (fixed order; gradients come in the same order). */
export function createOptimizer(
  optimizer: Optimizer,
  variables: tf.Variable[],
  options: OptimizerOptions = {},
): NetspecOptimizer {
  return new KerasOptimizer(optimizerObject(optimizer), variables, options.fused);
}

class KerasOptimizer implements NetspecOptimizer {
  readonly type: OptimizerObject['type'];
  iterations = 0;
  private readonly rule: Rule;
  private readonly slots: Slots[];

  constructor(
    private readonly options: OptimizerObject,
    private readonly variables: tf.Variable[],
    private readonly fused: boolean | undefined,
  ) {
    this.type = options.type;
    this.rule = ruleFor(options);
    this.slots = variables.map((v) =>
      Object.fromEntries(
        this.rule.slots.map((name) => {
          const init = tf.fill(v.shape, this.rule.initial?.[name] ?? 0, 'float32');
          const s = tf.variable(init, false);
          init.dispose();
          return [name, s];
        }),
      ),
    );
  }

  apply(grads: readonly (tf.Tensor | null)[], learningRate: number): void {
    this.checkGrads(grads);
    const step: Step = { lr: f32(learningRate), t: this.iterations + 1 };
    const fused = (this.fused ?? fusedDefault) ? fusedApply() : undefined;
    tf.tidy(() => {
      const clipped = clipGradients(grads, this.options).map((g) =>
        g && g.dtype !== 'float32' ? tf.cast(g, 'float32') : g,
      );
      // Every variable is fused or none: the fused update decays AdamW's weight itself.
      if (fused && this.applyFused(fused, step, clipped)) return;
      clipped.forEach((g, i) => {
        const v = this.variables[i];
        if (g && v) this.decayWeight(v, step.lr);
      });
      clipped.forEach((g, i) => {
        const v = this.variables[i];
        const s = this.slots[i];
        if (g && v && s) this.rule.update(step, v, g, s);
      });
    });
    this.iterations += 1;
  }

  /**
   * One fused pass per variable; false, having changed nothing, when some variable's storage
   * cannot be reached (then the kernel path runs for all of them).
   */
  private applyFused(fused: FusedApply, step: Step, grads: (tf.Tensor | null)[]): boolean {
    const targets = grads.map((g, i) => {
      const v = this.variables[i];
      const s = this.slots[i];
      return g && v && s ? [v, ...this.rule.slots.map((name) => slot(s, name))] : undefined;
    });
    if (!targets.every((t, i) => !t || fused.reaches(grads[i] as tf.Tensor, t))) return false;
    const update = this.rule.fused(step);
    targets.forEach((t, i) => {
      if (t) fused.apply(update, grads[i] as tf.Tensor, t);
    });
    return true;
  }

  /** AdamW's decoupled decay before the step: w -= w * wd * lr (Keras's _apply_weight_decay). */
  private decayWeight(v: tf.Variable, lr: number): void {
    if (this.options.type !== 'adamw' || this.options.weightDecay === 0) return;
    v.assign(tf.sub(v, tf.mul(tf.mul(v, this.options.weightDecay), lr)));
  }

  private checkGrads(grads: readonly (tf.Tensor | null)[]): void {
    if (grads.length !== this.variables.length)
      throw new Error(
        `expected ${this.variables.length} gradients (one per variable), got ${grads.length}`,
      );
    grads.forEach((g, i) => {
      const v = this.variables[i];
      if (g && v && !tf.util.arraysEqual(g.shape, v.shape))
        throw new Error(`gradient ${i}: expected shape [${v.shape}], got [${g.shape}]`);
    });
  }

  state(): Record<string, tf.Tensor> {
    const out: Record<string, tf.Tensor> = {};
    this.slots.forEach((s, i) => {
      // A reshape shares the data (no copy, no Identity kernel); later steps reassign the slot.
      for (const [name, v] of Object.entries(s)) out[`${i}.${name}`] = tf.reshape(v, v.shape);
    });
    out.iterations = tf.scalar(this.iterations, 'int32');
    return out;
  }

  loadState(state: Record<string, tf.Tensor>): void {
    const expected = new Map<string, tf.Variable>();
    this.slots.forEach((s, i) => {
      for (const [name, v] of Object.entries(s)) expected.set(`${i}.${name}`, v);
    });
    const problems = stateProblems(state, expected);
    if (problems.length)
      throw new Error(
        `the optimizer state does not fit (${this.type}):\n  ${problems.join('\n  ')}`,
      );
    for (const [key, v] of expected) {
      const value = state[key] as tf.Tensor;
      tf.tidy(() => v.assign(value.dtype === 'float32' ? value : tf.cast(value, 'float32')));
    }
    this.iterations = (state.iterations as tf.Tensor).dataSync()[0] ?? 0;
  }

  dispose(): void {
    for (const s of this.slots) for (const v of Object.values(s)) v.dispose();
  }
}

/** Every key missing, unexpected or of the wrong shape, one message each. */
function stateProblems(state: Record<string, tf.Tensor>, expected: Map<string, tf.Variable>) {
  const problems: string[] = [];
  if (state.iterations?.size !== 1) problems.push('iterations: expected a scalar');
  for (const [key, v] of expected) {
    const t = state[key];
    if (!t) problems.push(`${key}: missing`);
    else if (!tf.util.arraysEqual(t.shape, v.shape))
      problems.push(`${key}: expected shape [${v.shape}], got [${t.shape}]`);
  }
  for (const key of Object.keys(state))
    if (key !== 'iterations' && !expected.has(key)) problems.push(`${key}: unexpected`);
  return problems;
}
