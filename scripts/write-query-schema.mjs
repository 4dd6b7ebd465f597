// Writes docs/cost-query.schema.json, the published JSON Schema of the structured cost query, from the zod schema
// in src/costs/cost-query.schema.ts (built to dist/ first: `npm run schema`). tests/unit/costs/cost-query-schema.test.ts
// fails when the file and the schema differ.
import { writeFileSync } from 'node:fs';
import { z } from 'zod';
import { costQuerySchema } from '../dist/src/costs/cost-query.schema.js';

const schema = { title: 'Tally cost query', ...z.toJSONSchema(costQuerySchema) };
writeFileSync(new URL('../docs/cost-query.schema.json', import.meta.url), `${JSON.stringify(schema, null, 2)}\n`);
