import {
  activationFromKeras,
  activationToKeras,
  camelCase,
  pascalCase,
  snakeCase,
  WINDOW_FIELDS,
} from './keras-table.js';

// Field values that Keras and netspec write differently: activations, initializers,
// regularizers and constraints. Each function returns the value, or a string[] of problems.

type Json = Record<string, unknown>;
export type Converted = { value: unknown } | { problem: string };

const isObject = (v: unknown): v is Json =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const isActivationField = (k: string) => k === 'activation' || k === 'recurrentActivation';
const isObjectField = (k: string) => k.endsWith('Initializer') || k.endsWith('Constraint');

const snakeKeys = (o: Json) =>
  Object.fromEntries(Object.entries(o).map(([k, v]) => [snakeCase(k), v]));
const camelKeys = (o: Json) =>
  Object.fromEntries(
    Object.entries(o)
      .filter(([, v]) => v !== null)
      .map(([k, v]) => [camelCase(k), v]),
  );

/** A netspec field value as Keras writes it. */
export function valueToKeras(field: string, v: unknown): Converted {
  if (isActivationField(field)) {
    if (typeof v === 'string') return { value: activationToKeras(v) };
    const a = v as Json;
    // Objects with Keras's defaults are plain names; any other parameter has no Keras string.
    if ((a.type === 'softmax' && a.axis === -1) || (a.type === 'gelu' && !a.approximate))
      return { value: a.type };
    return { problem: `${field} ${JSON.stringify(v)} has no Keras activation name` };
  }
  if (isObjectField(field)) {
    if (typeof v === 'string') return { value: { class_name: pascalCase(v), config: {} } };
    const { type, ...rest } = v as Json;
    return { value: { class_name: pascalCase(String(type)), config: snakeKeys(rest) } };
  }
  if (field.endsWith('Regularizer')) {
    const r = v as { l1?: number; l2?: number };
    return { value: { class_name: 'L1L2', config: { l1: r.l1 ?? 0, l2: r.l2 ?? 0 } } };
  }
  return { value: v };
}

/** Keras's initializer and constraint class names as netspec types (tfjs spells LeCun). */
const classToType = (c: string) => {
  const name = camelCase(c.replace(/^LeCun/, 'Lecun'));
  return name.charAt(0).toLowerCase() + name.slice(1);
};

/** A Keras config value as netspec writes it. */
export function valueFromKeras(field: string, v: unknown): Converted {
  if (isActivationField(field)) {
    const name = typeof v === 'string' ? activationFromKeras(v) : undefined;
    return name
      ? { value: name }
      : { problem: `${snakeCase(field)} ${JSON.stringify(v)} is not a netspec activation` };
  }
  if (isObjectField(field) || field.endsWith('Regularizer')) {
    if (!isObject(v) || typeof v.class_name !== 'string')
      return { problem: `${snakeCase(field)}: expected {class_name, config}` };
    const config = camelKeys(isObject(v.config) ? v.config : {});
    if (field.endsWith('Regularizer')) {
      const out: Json = {};
      for (const k of ['l1', 'l2'] as const) if (config[k]) out[k] = config[k];
      return { value: out };
    }
    const type = classToType(v.class_name);
    return { value: Object.keys(config).length ? { type, ...config } : type };
  }
  if (WINDOW_FIELDS.has(field) && Array.isArray(v) && v.length <= 2 && v.length > 0) {
    // Keras writes (3, 3) and (3,) where netspec writes 3.
    return { value: v.every((d) => d === v[0]) ? v[0] : v };
  }
  return { value: v };
}
