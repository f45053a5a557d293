import { type AttributeProto, AttributeType } from '../proto/types.js';

/** An attribute value tagged with its ONNX type (a JS number alone cannot tell int from float). */
export type Attr =
  | { type: 'int'; value: number }
  | { type: 'float'; value: number }
  | { type: 'ints'; value: readonly number[] }
  | { type: 'floats'; value: readonly number[] }
  | { type: 'string'; value: string }
  | { type: 'strings'; value: readonly string[] };

export const int = (value: number): Attr => ({ type: 'int', value });
export const float = (value: number): Attr => ({ type: 'float', value });
export const ints = (value: readonly number[]): Attr => ({ type: 'ints', value });
export const floats = (value: readonly number[]): Attr => ({ type: 'floats', value });
export const string = (value: string): Attr => ({ type: 'string', value });
export const strings = (value: readonly string[]): Attr => ({ type: 'strings', value });

/** The AttributeProto of one named attribute. */
export function attributeProto(name: string, attr: Attr): AttributeProto {
  switch (attr.type) {
    case 'int':
      return { name, type: AttributeType.INT, i: attr.value };
    case 'float':
      return { name, type: AttributeType.FLOAT, f: attr.value };
    case 'ints':
      return { name, type: AttributeType.INTS, ints: [...attr.value] };
    case 'floats':
      return { name, type: AttributeType.FLOATS, floats: [...attr.value] };
    case 'string':
      return { name, type: AttributeType.STRING, s: new TextEncoder().encode(attr.value) };
    case 'strings':
      return {
        name,
        type: AttributeType.STRINGS,
        strings: attr.value.map((v) => new TextEncoder().encode(v)),
      };
  }
}
