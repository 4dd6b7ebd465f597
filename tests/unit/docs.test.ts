import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { extname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CONFIG_VARIABLES } from '../../src/config/env.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const read = (p: string) => readFileSync(join(ROOT, p), 'utf8');

describe('documentation stays true', () => {
  it('the README documents every configuration variable', () => {
    const readme = read('README.md');
    const missing = CONFIG_VARIABLES.map((v) => v.name).filter((n) => !readme.includes(`\`${n}\``));
    expect(missing).toEqual([]);
  });

  it('.ci/run runs the README test command', () => {
    const readme = read('README.md');
    expect(readme).toContain('npm ci && npm test');
    const ci = read('.ci/run');
    expect(ci).toMatch(/^npm ci$/m);
    expect(ci).toMatch(/^npm test$/m);
  });
});

/** Folders whose files may cite documentation, and the top-level files that do. */
const SOURCE_DIRS = ['src', 'adapters', 'jobs', 'bench', 'scripts', 'tests', 'prompts', 'manifest', 'docs'];
const TOP_FILES = ['README.md', 'Dockerfile', 'docker-compose.yml', '.env.example'];
const TEXT_EXTENSIONS = new Set(['.ts', '.mts', '.js', '.mjs', '.cjs', '.sh', '.md', '.yml', '.yaml', '.json']);

function sourceFiles(): string[] {
  const files = SOURCE_DIRS.flatMap((dir) =>
    readdirSync(join(ROOT, dir), { withFileTypes: true, recursive: true })
      .filter((e) => e.isFile() && TEXT_EXTENSIONS.has(extname(e.name)))
      .map((e) => relative(ROOT, join(e.parentPath, e.name)))
      .filter((f) => !f.split('/').some((part) => part === 'node_modules' || part === 'dist')),
  );
  return [...files, ...TOP_FILES].sort();
}

/**
 * Pointers to design documents that are not in the repository (a sibling `shared/` folder held them). The patterns
 * are written so that this file does not match itself (`\s`, escaped dots and slashes).
 */
const OUTSIDE_DOCS = [
  /DESIGN\.md/,
  /REFERENCE\.md/,
  /STYLE\.md/,
  /DESIGN\s§/,
  /REFERENCE\s§/,
  /STYLE\srule/,
  /\.\.\/shared\//,
];

/** Module specifiers of imports (`from '../shared/day.js'`, `import('…')`) are code, not pointers: blanked out. */
function withoutImportSpecifiers(source: string): string {
  return source.replace(/(\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)(['"])[^'"\n]*\2/g, '$1$2$2');
}

function outsidePointers(file: string, source: string): string[] {
  const found: string[] = [];
  withoutImportSpecifiers(source)
    .split('\n')
    .forEach((line, i) => {
      for (const re of OUTSIDE_DOCS) {
        const m = re.exec(line);
        if (m) found.push(`${file}:${i + 1}: ${m[0]}`);
      }
    });
  return found;
}

/** GitHub's anchor of a markdown heading: lower case, punctuation dropped, spaces as `-`. */
function anchorOf(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

function anchorsOf(markdownFile: string): Set<string> {
  const headings = read(markdownFile)
    .split('\n')
    .filter((l) => /^#{1,6}\s/.test(l))
    .map((l) => anchorOf(l.replace(/^#+\s/, '')));
  return new Set(headings);
}

describe('the code points only at documents in the repository', () => {
  const files = sourceFiles();

  it('finds the source files and recognises a pointer outside the repository', () => {
    expect(files).toContain('src/conversation/handle-turn.service.ts');
    expect(files).toContain('scripts/test-services.sh');
    // Built from pieces, so that this file itself does not match.
    const [design, style, shared] = ['DESIGN', 'STYLE', `../${'shared'}/`];
    expect(outsidePointers('x.ts', `// see ${design} §6 and ${shared}${style}.md`)).toEqual([
      `x.ts:1: ${style}.md`,
      `x.ts:1: ${design} §`,
      `x.ts:1: ${shared}`,
    ]);
    expect(
      outsidePointers('x.ts', "import { dayOf } from '../shared/day.js';\nconst m = await import('../shared/ids.js');"),
    ).toEqual([]);
  });

  it('no file cites the design documents that live outside the repository', () => {
    const offences = files.flatMap((f) => outsidePointers(f, read(f)));
    expect(offences).toEqual([]);
  });

  it('every pointer into docs/ or the README names a file and a heading that exist', () => {
    const anchors = new Map<string, Set<string>>();
    const broken: string[] = [];
    for (const file of files) {
      for (const m of read(file).matchAll(/\b((?:docs\/[\w-]+|README)\.md)(?:#([\w-]+))?/g)) {
        const [ref, target, anchor] = m as unknown as [string, string, string | undefined];
        if (!existsSync(join(ROOT, target))) {
          broken.push(`${file}: ${ref} (no such file)`);
          continue;
        }
        if (!anchor) continue;
        if (!anchors.has(target)) anchors.set(target, anchorsOf(target));
        if (!anchors.get(target)?.has(anchor)) broken.push(`${file}: ${ref} (no such heading)`);
      }
    }
    expect(broken).toEqual([]);
  });
});
