// Regenerates netspec.schema.json from the zod schema: `pnpm --filter @netspec/spec gen:schema`.
import { writeFileSync } from 'node:fs';
import { specJsonSchemaText } from './json-schema.js';

writeFileSync(new URL('../netspec.schema.json', import.meta.url), specJsonSchemaText());
