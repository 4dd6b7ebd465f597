import { z } from 'zod';

/** A cost source of the policy file's `sources:` list: a name people read, and where its FOCUS exports are. */
export interface NamedSource {
  /** Shown in `status` and `tally sources` beside the location (letters, digits, `-`, `_`, `.`). */
  name: string;
  /** A local file or folder, or an object storage prefix (`s3://`, `az://`, `https://….blob.core.windows.net/`, `gs://`). */
  uri: string;
}

const nameSchema = z
  .string()
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/,
    'a name is 1-63 letters, digits, `.`, `-` or `_`, starting with a letter or digit',
  );

/**
 * `sources:` of the policy file (README "Policy file", docs/cost-data.md "Several sources"): the cost sources Tally
 * imports and syncs besides `TALLY_FOCUS_FILE`, each with a name. Names and locations are unique.
 *
 * @example
 * sources:
 *   - { name: aws-focus, uri: "s3://acme-billing/focus/tally-focus/" }
 *   - { name: azure-ea, uri: "az://acmebilling/exports/focus/" }
 */
export const sourcesSchema = z.preprocess(
  (v) => (v === null ? undefined : v),
  z
    .array(z.object({ name: nameSchema, uri: z.string().trim().min(1, 'the location is empty') }).strict())
    .default([])
    .superRefine((list, ctx) => {
      const seen = { name: new Map<string, number>(), uri: new Map<string, number>() };
      list.forEach((s, i) => {
        for (const key of ['name', 'uri'] as const) {
          const first = seen[key].get(s[key]);
          if (first === undefined) seen[key].set(s[key], i);
          else
            ctx.addIssue({
              code: 'custom',
              path: [i, key],
              message: `${s[key]} is also sources[${first}].${key}; each source is listed once`,
            });
        }
        if (/[,\n]/.test(s.uri))
          ctx.addIssue({
            code: 'custom',
            path: [i, 'uri'],
            message: 'one location per source (no commas or new lines)',
          });
      });
    }),
);

/**
 * The sources to import: `TALLY_FOCUS_FILE`'s (a comma- or newline-separated list) followed by the policy's, as one
 * list in `TALLY_FOCUS_FILE`'s form; undefined when there are none.
 */
export function focusSourceList(focusFile: string | undefined, sources: readonly NamedSource[]): string | undefined {
  const all = [...(focusFile?.trim() ? [focusFile.trim()] : []), ...sources.map((s) => s.uri)];
  return all.length ? all.join('\n') : undefined;
}

/**
 * Stored source names → the policy's name for them: an object storage prefix by its URI, a local path by the name its
 * import stores (`focus:<path>`).
 */
export function sourceLabels(sources: readonly NamedSource[]): ReadonlyMap<string, string> {
  return new Map(sources.flatMap((s) => [[s.uri, s.name] as const, [`focus:${s.uri}`, s.name] as const]));
}
