// An optimizer's element update written once, as a float32 expression, and compiled two ways:
// to a JS loop (cpu engine) with Math.fround at every operation, and to a WebAssembly SIMD loop
// over tfjs-wasm's own heap (wasm engine), four lanes of f32x4 and a scalar f32 tail. A JS
// scalar loop ran Adam at about 10 ns per element here, no faster than wasm's 12 SIMD kernels;
// the module does it in one pass at SIMD speed. Every operation is one IEEE float32 operation
// in both (f32x4 add/sub/mul/div/sqrt are correctly rounded, as is a double result rounded
// with Math.fround), so both give the per-op kernel path's bits. The module is emitted here,
// byte by byte: no toolchain, no binary in the repository.

/** A float32 expression of one element: inputs (0: the gradient, then each target's value). */
export type Expr =
  | { op: 'in'; k: number }
  | { op: 'const'; k: number }
  | { op: 'add' | 'sub' | 'mul' | 'div' | 'max'; a: Expr; b: Expr }
  | { op: 'sqrt' | 'abs' | 'neg'; a: Expr };

/**
 * One update: `outputs[k]` is target k's new value (targets: the weight, then the rule's slots;
 * input k + 1 is target k's old value). Every input is read before any output is written, so
 * outputs may overwrite their inputs in place.
 */
export interface UpdateKernel {
  targets: number;
  consts: number;
  outputs: Expr[];
}

export const input = (k: number): Expr => ({ op: 'in', k });
export const constant = (k: number): Expr => ({ op: 'const', k });
export const add = (a: Expr, b: Expr): Expr => ({ op: 'add', a, b });
export const sub = (a: Expr, b: Expr): Expr => ({ op: 'sub', a, b });
export const mul = (a: Expr, b: Expr): Expr => ({ op: 'mul', a, b });
export const div = (a: Expr, b: Expr): Expr => ({ op: 'div', a, b });
export const max = (a: Expr, b: Expr): Expr => ({ op: 'max', a, b });
export const sqrt = (a: Expr): Expr => ({ op: 'sqrt', a });
export const abs = (a: Expr): Expr => ({ op: 'abs', a });
export const neg = (a: Expr): Expr => ({ op: 'neg', a });

type OpExpr = Exclude<Expr, { op: 'in' } | { op: 'const' }>;

/** Operation nodes in evaluation order, each once (a shared subexpression is computed once). */
function schedule(k: UpdateKernel): { nodes: OpExpr[]; inputs: Set<number> } {
  const nodes: OpExpr[] = [];
  const seen = new Set<Expr>();
  const inputs = new Set<number>();
  const visit = (e: Expr): void => {
    if (seen.has(e)) return;
    seen.add(e);
    if (e.op === 'in') inputs.add(e.k);
    if (e.op === 'in' || e.op === 'const') return;
    visit(e.a);
    if ('b' in e) visit(e.b);
    nodes.push(e);
  };
  for (const out of k.outputs) visit(out);
  return { nodes, inputs };
}

/** (n, g, src, dst, consts): the update over n elements of float32 arrays. */
export type JsUpdate = (
  n: number,
  g: Float32Array,
  src: readonly Float32Array[],
  dst: readonly Float32Array[],
  consts: readonly number[],
) => void;

const jsCache = new WeakMap<UpdateKernel, JsUpdate>();

/** The kernel as a JS loop, Math.fround after every operation. */
export function jsUpdate(k: UpdateKernel): JsUpdate {
  const cached = jsCache.get(k);
  if (cached) return cached;
  const { nodes, inputs } = schedule(k);
  const names = new Map<Expr, string>();
  const name = (e: Expr): string => {
    if (e.op === 'in') return `x${e.k}`;
    if (e.op === 'const') return `c${e.k}`;
    return names.get(e) as string;
  };
  const lines: string[] = ['const f = Math.fround;'];
  for (let c = 0; c < k.consts; c++) lines.push(`const c${c} = consts[${c}];`);
  for (let t = 0; t < k.targets; t++) lines.push(`const s${t} = src[${t}], d${t} = dst[${t}];`);
  lines.push('for (let i = 0; i < n; i++) {');
  for (const i of inputs) lines.push(`  const x${i} = ${i === 0 ? 'g' : `s${i - 1}`}[i];`);
  const infix = { add: '+', sub: '-', mul: '*', div: '/' } as const;
  nodes.forEach((e, j) => {
    names.set(e, `t${j}`);
    const a = name(e.a);
    const b = 'b' in e ? name(e.b) : '';
    const value =
      e.op === 'max'
        ? `Math.max(${a}, ${b})`
        : e.op === 'sqrt'
          ? `f(Math.sqrt(${a}))`
          : e.op === 'abs'
            ? `Math.abs(${a})`
            : e.op === 'neg'
              ? `-${a}`
              : `f(${a} ${infix[e.op]} ${b})`;
    lines.push(`  const t${j} = ${value};`);
  });
  k.outputs.forEach((e, t) => {
    lines.push(`  d${t}[i] = ${name(e)};`);
  });
  lines.push('}');
  const f = new Function('n', 'g', 'src', 'dst', 'consts', lines.join('\n')) as JsUpdate;
  jsCache.set(k, f);
  return f;
}

/** (n, gOffset, ...srcOffsets, ...dstOffsets, ...consts): byte offsets into the heap. */
export type WasmUpdate = (...args: number[]) => void;

/** The parts of the WebAssembly JS API used here (the package's TS libs do not declare it). */
interface WebAssemblyApi {
  Memory: abstract new (...args: never[]) => object;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
}
const WebAssemblyJs = (globalThis as unknown as { WebAssembly?: WebAssemblyApi }).WebAssembly;

/** Whether `m` is a WebAssembly.Memory that `wasmUpdate` can run over. */
export const isWasmMemory = (m: unknown): m is object =>
  WebAssemblyJs !== undefined && m instanceof WebAssemblyJs.Memory;

const wasmCache = new WeakMap<object, WeakMap<UpdateKernel, WasmUpdate | null>>();

/**
 * The kernel compiled to a SIMD loop over `memory` (tfjs-wasm's heap), cached per memory; undefined
 * where it cannot be instantiated over it (a shared memory of a threaded build, or a browser's
 * main thread refusing synchronous compilation), and the caller runs the JS loop instead.
 */
export function wasmUpdate(k: UpdateKernel, memory: object): WasmUpdate | undefined {
  let perMemory = wasmCache.get(memory);
  if (!perMemory) {
    perMemory = new WeakMap();
    wasmCache.set(memory, perMemory);
  }
  const cached = perMemory.get(k);
  if (cached !== undefined) return cached ?? undefined;
  let f: WasmUpdate | null = null;
  try {
    const api = WebAssemblyJs as WebAssemblyApi;
    const module = new api.Module(Uint8Array.from(moduleBytes(k)));
    f = new api.Instance(module, { env: { memory } }).exports.update as WasmUpdate;
  } catch {
    f = null;
  }
  perMemory.set(k, f);
  return f ?? undefined;
}

const I32 = 0x7f;
const F32 = 0x7d;
const V128 = 0x7b;

function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n !== 0) byte |= 0x80;
    out.push(byte);
  } while (n !== 0);
  return out;
}

function sleb(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const byte = n & 0x7f;
    n >>= 7;
    if ((n === 0 && !(byte & 0x40)) || (n === -1 && byte & 0x40)) return [...out, byte];
    out.push(byte | 0x80);
  }
}

const vec = (items: number[][]): number[] => [...uleb(items.length), ...items.flat()];
const section = (id: number, body: number[]): number[] => [id, ...uleb(body.length), ...body];
const str = (s: string): number[] => [...uleb(s.length), ...[...s].map((c) => c.charCodeAt(0))];

const op = {
  block: 0x02,
  loop: 0x03,
  br: 0x0c,
  brIf: 0x0d,
  end: 0x0b,
  get: 0x20,
  set: 0x21,
  i32Const: 0x41,
  i32GeU: 0x4f,
  i32Add: 0x6a,
  i32And: 0x71,
  i32Shl: 0x74,
  f32Load: 0x2a,
  f32Store: 0x38,
} as const;
const f32Op = {
  abs: 0x8b,
  neg: 0x8c,
  sqrt: 0x91,
  add: 0x92,
  sub: 0x93,
  mul: 0x94,
  div: 0x95,
  max: 0x97,
};
// f32x4 opcodes after the 0xfd prefix (LEB-encoded).
const simdOp = {
  abs: 0xe0,
  neg: 0xe1,
  sqrt: 0xe3,
  add: 0xe4,
  sub: 0xe5,
  mul: 0xe6,
  div: 0xe7,
  max: 0xe9,
};
const simd = (code: number) => [0xfd, ...uleb(code)];
const V128_LOAD = simd(0x00);
const V128_STORE = simd(0x0b);
const F32X4_SPLAT = simd(0x13);

/** The module: imports env.memory, exports `update`. */
function moduleBytes(k: UpdateKernel): number[] {
  const { nodes, inputs } = schedule(k);
  const T = k.targets;
  // Parameters: n, g, T sources, T destinations (i32), then the constants (f32).
  const params = [I32, I32, ...Array(2 * T).fill(I32), ...Array(k.consts).fill(F32)];
  const pointer = (i: number) => (i === 0 ? 1 : 1 + i); // input i's base: g, then sources
  const dstPointer = (t: number) => 2 + T + t;
  const constParam = (c: number) => 2 + 2 * T + c;
  let next = params.length;
  const OFF = next++;
  const END4 = next++;
  const END = next++;
  const i32Locals = 3;
  // v128 locals: splatted constants, inputs, nodes; then f32 locals: inputs, nodes.
  const vConst = (c: number) => params.length + i32Locals + c;
  const vIn = (i: number) => params.length + i32Locals + k.consts + i;
  const inputCount = T + 1;
  const vNode = (j: number) => params.length + i32Locals + k.consts + inputCount + j;
  const v128Locals = k.consts + inputCount + nodes.length;
  const sIn = (i: number) => params.length + i32Locals + v128Locals + i;
  const sNode = (j: number) => sIn(inputCount) + j;
  const f32Locals = inputCount + nodes.length;
  const index = new Map<Expr, number>(nodes.map((e, j) => [e, j]));

  const body: number[] = [];
  const emit = (...bytes: (number | number[])[]) => {
    for (const b of bytes) typeof b === 'number' ? body.push(b) : body.push(...b);
  };
  const get = (l: number) => emit(op.get, uleb(l));
  const set = (l: number) => emit(op.set, uleb(l));
  const address = (base: number) => {
    get(base);
    get(OFF);
    emit(op.i32Add);
  };
  const operand = (e: Expr, wide: boolean) => {
    if (e.op === 'in') get(wide ? vIn(e.k) : sIn(e.k));
    else if (e.op === 'const') get(wide ? vConst(e.k) : constParam(e.k));
    else get(wide ? vNode(index.get(e) as number) : sNode(index.get(e) as number));
  };
  const pass = (wide: boolean, end: number) => {
    const step = wide ? 16 : 4;
    emit(op.block, 0x40, op.loop, 0x40);
    get(OFF);
    get(end);
    emit(op.i32GeU, op.brIf, 1);
    for (const i of inputs) {
      address(pointer(i));
      emit(wide ? V128_LOAD : [op.f32Load], 0, 0);
      set(wide ? vIn(i) : sIn(i));
    }
    nodes.forEach((e, j) => {
      operand(e.a, wide);
      if ('b' in e) operand(e.b, wide);
      emit(wide ? simd(simdOp[e.op]) : [f32Op[e.op]]);
      set(wide ? vNode(j) : sNode(j));
    });
    k.outputs.forEach((e, t) => {
      address(dstPointer(t));
      operand(e, wide);
      emit(wide ? V128_STORE : [op.f32Store], 0, 0);
    });
    get(OFF);
    emit(op.i32Const, sleb(step), op.i32Add);
    set(OFF);
    emit(op.br, 0, op.end, op.end);
  };
  for (let c = 0; c < k.consts; c++) {
    get(constParam(c));
    emit(F32X4_SPLAT);
    set(vConst(c));
  }
  // END = n * 4 bytes, END4 = the whole groups of four elements in bytes.
  get(0);
  emit(op.i32Const, sleb(2), op.i32Shl);
  set(END);
  get(END);
  emit(op.i32Const, sleb(-16), op.i32And);
  set(END4);
  pass(true, END4);
  pass(false, END);
  emit(op.end);

  const locals = vec([
    [...uleb(i32Locals), I32],
    [...uleb(v128Locals), V128],
    [...uleb(f32Locals), F32],
  ]);
  const code = [...locals, ...body];
  return [
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, vec([[0x60, ...vec(params.map((p) => [p])), 0x00]])),
    ...section(2, vec([[...str('env'), ...str('memory'), 0x02, 0x00, 0x00]])),
    ...section(3, vec([[0x00]])),
    ...section(7, vec([[...str('update'), 0x00, 0x00]])),
    ...section(10, vec([[...uleb(code.length), ...code]])),
  ];
}
