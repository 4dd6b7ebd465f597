/**
 * The import rules of Tally, checked by `npm run lint:deps` (part of `npm test`). docs/architecture.md
 * ("Dependencies point down") explains the layers and why they exist.
 *
 * Type-only imports count (`tsPreCompilationDeps`): a type is as much a dependency of the design as a value.
 */

/**
 * The layers of `src/`, lowest first. A folder imports its own layer's folders (as long as no cycle forms) and the
 * layers below it, never a layer above it.
 */
const LAYERS = [
  // What everything uses: errors, money, days, clock, ids, the logger and dedupe ports, the Reply model.
  ['shared'],
  // The cost data and the actions Tally can take; the audit log's entry and port.
  ['costs', 'actions', 'audit'],
  // The features over them (src/budgets when it exists).
  ['anomalies', 'budgets', 'recommendations', 'approvals'],
  // What combines features: digests, deliveries and anomaly alerts, the command language.
  ['reports', 'notifications', 'commands'],
  // The policy file composes the approval and notification policies of the features, so it sits above them; the
  // features get their part of the policy passed in and never read config themselves.
  ['config'],
  // The chat core: every platform's turns and clicks.
  ['conversation'],
  // Free text: the agent over the chat core's commands.
  ['agent'],
  // Wiring only: may import anything, including adapters/ and jobs/.
  ['bootstrap'],
];

const folders = (names) => `^src/(${names.join('|')})/`;

/** One rule per layer: nothing in it imports a folder of a higher layer. */
const layerRules = LAYERS.slice(0, -1).map((names, i) => ({
  name: `layer-${i}-imports-higher-layer`,
  severity: 'error',
  comment:
    `src/${names.join(', src/')} (layer ${i}) imports a higher layer. Dependencies point down ` +
    '(docs/architecture.md#dependencies-point-down): move what both need down, or pass it in as a port.',
  from: { path: folders(names) },
  to: { path: folders(LAYERS.slice(i + 1).flat()) },
}));

/**
 * Vendor SDKs stay out of the core: the core can be read, tested and run without them, and `tally ask` starts without
 * loading them (docs/architecture.md#dependencies-point-down). tests/unit/boundary.test.ts checks the same list.
 */
const VENDOR_SDKS = [
  '@slack/',
  'botbuilder',
  'botframework',
  'bullmq/',
  'ioredis/',
  'mongoose/',
  'mongodb/',
  '@aws-sdk/',
  '@azure/',
  '@google-cloud/',
  'nodemailer/',
  'twilio/',
  '@langchain/openai/',
  '@langchain/langgraph-checkpoint-mongodb/',
  'pino/',
  // CSV parsing reads files: an adapter's job. Writing CSV (csv-stringify) is pure formatting, and the chat core
  // uses it for "Show all" files, so it is allowed.
  'csv-parse/',
  'commander/',
  '@modelcontextprotocol/',
];
const escapeRegExp = (s) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment:
        'Two files that import each other (directly or through others) cannot be understood, tested or moved ' +
        'one without the other, and ES module cycles can see a binding before it is initialised. Move what both ' +
        'need into a third file.',
      from: { path: '^(src|adapters|jobs|bin)/' },
      to: { circular: true },
    },
    {
      name: 'no-folder-cycle',
      severity: 'error',
      comment:
        'Folders whose files import each other are one module in disguise: no layering can hold between them. ' +
        'Folder level: a file of src/a importing src/b while a file of src/b imports src/a is a cycle even when ' +
        'no single file cycle exists.',
      scope: 'folder',
      from: { path: '^(src|adapters|jobs)/' },
      to: { circular: true },
    },
    {
      name: 'core-imports-no-adapter-or-job',
      severity: 'error',
      comment:
        'src/ is the core; adapters/ and jobs/ implement and drive it. Only the wiring (src/bootstrap) may ' +
        'import them (docs/architecture.md#dependencies-point-down).',
      from: { path: '^src/', pathNot: '^src/bootstrap/' },
      to: { path: '^(adapters|jobs)/' },
    },
    {
      name: 'adapter-imports-no-other-adapter',
      severity: 'error',
      comment:
        'Each adapter folder wraps one vendor or technology and may be replaced on its own; what two adapters ' +
        'share belongs in src/ (a port or plain data) or is passed in by the wiring.',
      from: { path: '^adapters/([^/]+)/' },
      to: { path: '^adapters/', pathNot: '^adapters/$1/' },
    },
    ...layerRules,
    {
      name: 'core-imports-no-vendor-sdk',
      severity: 'error',
      comment:
        'Vendor SDKs are used in adapters/ (and loaded by src/bootstrap), never by the core ' +
        '(docs/architecture.md#dependencies-point-down).',
      from: { path: '^src/', pathNot: '^src/bootstrap/' },
      to: { path: `^node_modules/(${VENDOR_SDKS.map(escapeRegExp).join('|')})` },
    },
    {
      name: 'langgraph-only-in-agent',
      severity: 'error',
      comment:
        'LangGraph and LangChain core are the agent’s machinery; the rest of the core answers without them ' +
        '(docs/architecture.md#dependencies-point-down).',
      from: { path: '^src/', pathNot: '^src/(agent|bootstrap)/' },
      to: { path: '^node_modules/@langchain/(langgraph|core)/' },
    },
    {
      name: 'no-unresolvable',
      severity: 'error',
      comment:
        'An import that cannot be resolved is invisible to every rule above, so it must not pass unnoticed ' +
        '(it would also fail the typecheck or at run time).',
      from: { path: '^(src|adapters|jobs)/' },
      to: { couldNotResolve: true },
    },
  ],
  options: {
    // Type-only imports are dependencies of the design too.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    // Packages are leaves of the graph: what they import is not Tally's structure.
    doNotFollow: { path: '(^|/)node_modules/' },
    // bin/tally.js runs the compiled dist/; the sources are checked instead.
    exclude: { path: '^dist/' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.js', '.d.ts', '.json'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
