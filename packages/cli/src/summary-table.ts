import { formatShape, type ResolvedModel, type Tensor } from '@netspec/spec';

const n = (x: number) => x.toLocaleString('en-US');

/** Bytes of float32 weights, as Keras prints next to parameter counts. */
function size(params: number): string {
  const bytes = params * 4;
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let v = bytes;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v.toFixed(2)} ${units[u]}`;
}

const shapes = (ts: Tensor[]) => ts.map((t) => formatShape(t.shape)).join(' / ');

interface Row {
  name: string;
  shape: string;
  params: string;
  from: string;
}

/** True when every layer reads just the tensor before it: then "Connected to" says nothing. */
function isSequential(model: ResolvedModel): boolean {
  let previous = model.inputs[0]?.name;
  if (model.inputs.length !== 1) return false;
  for (const l of model.layers) {
    if (l.inputs.length !== 1 || l.inputs[0] !== previous) return false;
    previous = l.outputs[0]?.name;
  }
  return true;
}

function rows(model: ResolvedModel): Row[] {
  const blocks = new Map(
    model.spec.layers.flatMap((l) => (l.type === 'block' ? [[l.id, l] as const] : [])),
  );
  return [
    ...model.inputs.map((t) => ({
      name: `${t.name} (input)`,
      shape: formatShape(t.shape),
      params: '0',
      from: '-',
    })),
    ...model.layers.map((l) => {
      const b = blocks.get(l.id);
      const type = b ? `block ${b.block} ×${b.repeat}` : l.type;
      return {
        name: `${l.id} (${type})`,
        shape: shapes(l.outputs),
        params: n(l.params),
        from: l.inputs.join(', '),
      };
    }),
  ];
}

/** A Keras-style summary: one row per layer as written, then the parameter totals. */
export function summaryTable(model: ResolvedModel): string {
  const all = rows(model);
  const connected = !isSequential(model);
  const head: Row = {
    name: 'Layer (type)',
    shape: 'Output Shape',
    params: 'Param #',
    from: 'Connected to',
  };
  const cols: (keyof Row)[] = connected
    ? ['name', 'shape', 'params', 'from']
    : ['name', 'shape', 'params'];
  const width = (k: keyof Row) => Math.max(...[head, ...all].map((r) => r[k].length));
  const cell = (r: Row, k: keyof Row) =>
    k === 'params' ? r[k].padStart(width(k)) : r[k].padEnd(width(k));
  const line = (l: string, m: string, r: string, fill: string) =>
    `${l}${cols.map((k) => fill.repeat(width(k) + 2)).join(m)}${r}`;
  const row = (r: Row) => `│ ${cols.map((k) => cell(r, k)).join(' │ ')} │`;
  const body = all.flatMap((r, i) => (i === 0 ? [row(r)] : [line('├', '┼', '┤', '─'), row(r)]));
  return [
    `Model: "${model.spec.name}"`,
    line('┌', '┬', '┐', '─'),
    row(head),
    line('╞', '╪', '╡', '═'),
    ...body,
    line('└', '┴', '┘', '─'),
    ` Total params: ${n(model.totalParams)} (${size(model.totalParams)})`,
    ` Trainable params: ${n(model.trainableParams)} (${size(model.trainableParams)})`,
    ` Non-trainable params: ${n(model.nonTrainableParams)} (${size(model.nonTrainableParams)})`,
  ].join('\n');
}

/** The `summary --json` document; shapes include the batch dimension as null, as Keras reports. */
export function summaryJson(model: ResolvedModel) {
  const withBatch = (t: Tensor) => [null, ...t.shape];
  return {
    name: model.spec.name,
    inputs: model.inputs.map((t) => ({ id: t.name, shape: withBatch(t), dtype: t.dtype })),
    layers: model.layers.map((l) => ({
      id: l.id,
      type: l.type,
      inputs: l.inputs,
      outputShape:
        l.outputs.length === 1 ? withBatch(l.outputs[0] as Tensor) : l.outputs.map(withBatch),
      params: l.params,
      trainableParams: l.trainableParams,
    })),
    outputs: model.outputs.map((t) => ({ name: t.name, shape: withBatch(t), dtype: t.dtype })),
    totalParams: model.totalParams,
    trainableParams: model.trainableParams,
    nonTrainableParams: model.nonTrainableParams,
  };
}
