import { z } from 'zod';
import { SpecSchema } from './schema/spec.js';

/** Where the committed schema is published, so `$schema` can name it. */
export const SCHEMA_ID = 'https://netspec.dev/schema/netspec-v1.schema.json';

/** The JSON Schema of a spec file, generated from the zod schema (what a user may write). */
export function specJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(SpecSchema, {
    io: 'input',
    target: 'draft-2020-12',
    unrepresentable: 'throw',
    reused: 'ref',
  });
  return { ...schema, $id: SCHEMA_ID, title: 'netspec model spec' };
}

/** The schema as committed in netspec.schema.json: stable key order, trailing newline. */
export function specJsonSchemaText(): string {
  return `${JSON.stringify(specJsonSchema(), null, 2)}\n`;
}
