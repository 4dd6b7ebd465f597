/** A word of a command: `text` as typed, `lower` for matching. Quoted phrases are one token. */
export interface Token {
  text: string;
  lower: string;
  quoted: boolean;
}

const TOKEN_RE = /"([^"]*)"|'([^']*)'|“([^”]*)”|(\S+)/g;

/** Splits a command into tokens; trailing `?`, `!` and `,` are dropped; Slack's `<…>` links keep their label. */
export function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  for (const m of input.matchAll(TOKEN_RE)) {
    const quoted = m[1] ?? m[2] ?? m[3];
    if (quoted !== undefined) {
      tokens.push({ text: quoted, lower: quoted.toLowerCase(), quoted: true });
      continue;
    }
    const raw = (m[4] ?? '').replace(/[?!,.;]+$/u, '');
    if (raw === '') continue;
    tokens.push({ text: raw, lower: raw.toLowerCase(), quoted: false });
  }
  return tokens;
}
