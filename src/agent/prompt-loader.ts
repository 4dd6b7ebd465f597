import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { TallyError } from '../shared/errors.js';

/** The prompts in `prompts/` and the variables each one needs (docs/architecture.md#prompts-are-files). */
export interface PromptVariables {
  system: { today: string; dataFrom: string; dataTo: string };
}

export type PromptName = keyof PromptVariables;

/** `prompts/` at the package root, for both `src/` (tests) and `dist/src/` (built). */
function promptsDir(): URL {
  const here = fileURLToPath(import.meta.url);
  return new URL(here.includes('/dist/') ? '../../../prompts/' : '../../prompts/', import.meta.url);
}

const cache = new Map<PromptName, Promise<string>>();

/**
 * Loads `prompts/<name>.md` and fills its `{{variables}}`. A variable the template uses but the caller did not give,
 * or one given but unused, is a bug and throws.
 * @example await renderPrompt('system', { today: '2026-06-10', dataFrom: '2025-05-18', dataTo: '2026-06-09' })
 */
export async function renderPrompt<N extends PromptName>(name: N, vars: PromptVariables[N]): Promise<string> {
  let template = cache.get(name);
  if (!template) {
    template = readFile(new URL(`${name}.md`, promptsDir()), 'utf8');
    cache.set(name, template);
  }
  const text = await template;
  const values = vars as unknown as Record<string, string>;
  const used = new Set<string>();
  const out = text.replace(/\{\{\s*([a-zA-Z0-9_]+)\s*\}\}/g, (_, key: string) => {
    used.add(key);
    const v = values[key];
    if (v === undefined)
      throw new TallyError('INTERNAL', `prompt ${name} needs {{${key}}}`, { metadata: { prompt: name, key } });
    return v;
  });
  const unused = Object.keys(values).filter((k) => !used.has(k));
  if (unused.length)
    throw new TallyError('INTERNAL', `prompt ${name} does not use ${unused.join(', ')}`, {
      metadata: { prompt: name },
    });
  return out;
}
