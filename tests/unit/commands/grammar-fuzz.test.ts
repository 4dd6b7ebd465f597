// A bounded, seeded fuzz of the command language: commands built from the grammar's own words plus junk (prototype
// names, out-of-range numbers and dates, unknown regions, Slack and Teams markup, mentions and links), each answered
// by the real TurnHandler (the fast path for free text, digests on in-process stores) over a real cost store, rendered
// as text, as Block Kit and as an Adaptive Card. No answer may be an internal error, show NaN, undefined or infinity,
// or let the person's text format, link or mention in Slack or Teams. The generator is a small PRNG with a fixed seed:
// a failure names the command, and rerunning reproduces it.

import { beforeAll, describe, expect, it } from 'vitest';
import { MemoryApprovalRepository } from '../../../adapters/memory/memory-approval.repository.js';
import { MemoryDigestSubscriptionRepository } from '../../../adapters/memory/memory-digest-subscription.repository.js';
import { renderMessage } from '../../../adapters/slack/render-blocks.js';
import { renderCard } from '../../../adapters/teams/render-card.js';
import { FastPathService } from '../../../src/agent/fast-path.service.js';
import { vocabularyOf } from '../../../src/agent/understand/vocabulary.js';
import { AnomalyScanService } from '../../../src/anomalies/anomaly-scan.service.js';
import { SavingsService } from '../../../src/approvals/savings.service.js';
import { TurnHandler } from '../../../src/conversation/handle-turn.service.js';
import { CommandService } from '../../../src/conversation/run-command.js';
import { CostQueryService } from '../../../src/costs/cost-query.service.js';
import { ForecastService } from '../../../src/costs/forecast.service.js';
import { DigestService } from '../../../src/reports/digest.service.js';
import { DigestSubscriptionService } from '../../../src/reports/digest-subscription.service.js';
import { fixedClock } from '../../../src/shared/clock.js';
import { addDays } from '../../../src/shared/day.js';
import { silentLogger } from '../../../src/shared/logger.port.js';
import type { Reply } from '../../../src/shared/reply.types.js';
import { renderText } from '../../../src/shared/reply-text.js';
import { testCostRepository } from '../../support/cost-store.js';
import { testRollup } from '../../support/rollups.js';

const COMMANDS = 5000;
const SEED = 0x7a11e5;
const TODAY = '2026-05-17';

/** mulberry32: a small deterministic PRNG, enough to pick words. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const HEADS = [
  'cost',
  'costs',
  'spend',
  'compare',
  'forecast',
  'anomalies',
  'anomaly',
  'help',
  '?',
  'status',
  'top',
  'by',
  'billed',
  'list',
  'effective',
  'approvals',
  'approval',
  'approve',
  'reject',
  'cancel',
  'savings',
  'recommendations',
  'recs',
  'propose',
  'digest',
  'today',
  'yesterday',
  'mtd',
  'ytd',
  'last',
  'this',
  'from',
  '2026-05',
  'in',
  // Free text, for the fast path and its "Understood as" line.
  'what did we spend',
  'how much will we spend',
  'which service grew most',
  'show me spend on EC2',
];
const GRAMMAR = [
  'by',
  'per',
  'top',
  'for',
  'where',
  'only',
  'on',
  '=',
  'is',
  'vs',
  'versus',
  'against',
  'the',
  'week',
  'month',
  'before',
  'previous',
  'period',
  'last',
  'this',
  'past',
  'days',
  'day',
  'to',
  'and',
  'from',
  'between',
  'until',
  'year',
  'date',
  'month to date',
  'service',
  'services',
  'account',
  'accounts',
  'provider',
  'region',
  'regions',
  'category',
  'charge',
  'resource',
  'resources',
  'tag',
  'tag:team',
  'tag:team=payments',
  'service=EC2',
  'provider=AWS',
  'region=us-east-1',
  'in',
  'may',
  'May 2026',
  'mon',
  'weekly',
  'daily',
  'subscribe',
  'unsubscribe',
  'now',
  '09:00',
  'Europe/Berlin',
  'UTC',
  'refresh',
  'because',
  'stop',
  'resize',
  'delete',
  'release',
  'pending',
];
const VALUES = [
  '0',
  '1',
  '5',
  '7',
  '30',
  '100',
  '101',
  '1098',
  '1099',
  '-1',
  '1e3',
  '0x10',
  '2147483648',
  '99999999999999999999',
  'NaN',
  'Infinity',
  '2026-05',
  '2026-13',
  '2026-00',
  '0000-01',
  '9999-12',
  '1969-12',
  '2026-02-30',
  '2026-05-01',
  '2026-05-31',
  '1969-12-31',
  '3000-01-01',
  '2026-5-1',
  'us-east-1',
  'eu-west-1',
  'xx-fake-9',
  'mars-north-1',
  'i-0abc1234567890def',
  'vol-0abc12345678',
  'eipalloc-0abc12345678',
  'apr_1a2b3c4d',
  't3.small',
  'AWS',
  '"Amazon Elastic Compute Cloud"',
  'payments',
  '111',
  'finops@example.com',
];
const PROTOTYPE = [
  'constructor',
  '__proto__',
  'toString',
  'hasOwnProperty',
  'valueOf',
  'prototype',
  '__defineGetter__',
];
/** Junk whose formatting, mention or link must never take effect in Slack or Teams. */
const FORMATTING = ['*bold*', '_it_', '~gone~', '`code`', '```block```'];
/** Markdown that Teams reads and Slack shows as it is (Slack links only with `<url|text>`). */
const MARKDOWN = ['**strong**', '[click](http://evil.example)'];
const LINKS = ['<!here>', '<!channel>', '<@U0EVIL>', '<#C0EVIL>', '<http://evil.example|click>', '<mailto:a@b.c|x>'];
/** Junk that makes a block quote (Slack) or a list (Teams) where it starts a line. */
const LINE_STARTS = ['\n>quote', '\n- item', '\n1. item'];
const BROADCASTS = ['@here', '@channel', '@everyone'];
const JUNK = [
  ...FORMATTING,
  ...LINKS,
  ...BROADCASTS,
  ...MARKDOWN,
  ...LINE_STARTS,
  '&amp;',
  '>quote',
  '"quoted phrase"',
  "'single'",
  '“curly”',
  '😀',
  'ñandú',
  '\u0000',
  '\t',
  'a'.repeat(300),
  '-',
  '--',
  '.',
  ',',
  ';',
  '%s',
  '$' + '{x}',
  'null',
  'undefined',
  'NaN',
  '∞',
];

function generate(random: () => number): string {
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
  const pools = [GRAMMAR, GRAMMAR, VALUES, VALUES, PROTOTYPE, JUNK];
  const words = [random() < 0.85 ? pick(HEADS) : pick(pick(pools))];
  const length = Math.floor(random() * 7);
  for (let i = 0; i < length; i++) words.push(pick(pick(pools)));
  return words.join(random() < 0.9 ? ' ' : '  ');
}

/** The texts of a Block Kit message: `all` that Slack shows, and the `mrkdwn` ones, where markup takes effect. */
function blockTexts(reply: Reply): { all: string[]; mrkdwn: string[] } {
  const all: string[] = [];
  const mrkdwn: string[] = [];
  const walk = (node: unknown) => {
    if (Array.isArray(node)) for (const n of node) walk(n);
    else if (node && typeof node === 'object') {
      const o = node as Record<string, unknown>;
      if (typeof o.text === 'string') (o.type === 'mrkdwn' ? mrkdwn : all).push(o.text);
      for (const [k, v] of Object.entries(o)) if (k !== 'value' && k !== 'action_id') walk(v);
    }
  };
  const message = renderMessage(reply);
  walk(message.blocks);
  mrkdwn.push(message.text);
  return { all: [...all, ...mrkdwn], mrkdwn };
}

/** The texts of the Adaptive Card that Teams reads as markdown: TextBlocks and FactSet titles and values. */
function cardTexts(reply: Reply): string[] {
  const out: string[] = [];
  const walk = (node: unknown) => {
    if (Array.isArray(node)) for (const n of node) walk(n);
    else if (node && typeof node === 'object') {
      const o = node as Record<string, unknown>;
      if (o.type === 'TextBlock' && typeof o.text === 'string') out.push(o.text);
      if (o.type === 'FactSet')
        for (const f of o.facts as { title: string; value: string }[]) out.push(f.title, f.value);
      for (const v of Object.values(o)) walk(v);
    }
  };
  walk(renderCard(reply).body);
  return out;
}

/** Where the person's markup took effect in Slack mrkdwn: verbatim formatting, a link or mention, a block quote. */
function slackProblem(reply: Reply): string | null {
  const { all, mrkdwn } = blockTexts(reply);
  for (const t of all) {
    for (const link of LINKS) if (t.includes(link)) return `an unescaped link or mention ${link} in ${t.slice(0, 200)}`;
    if (/@(here|channel|everyone)/i.test(t)) return `an unescaped broadcast in ${t.slice(0, 200)}`;
  }
  // No code spans are skipped: the person's words echoed as code have their markup replaced as well.
  for (const t of mrkdwn) {
    for (const f of FORMATTING) if (t.includes(f)) return `unescaped formatting ${f} in ${t.slice(0, 200)}`;
    if (/^[ \t]*(&gt;|>)/m.test(t)) return `a block quote in ${t.slice(0, 200)}`;
  }
  return null;
}

/** Where the person's markup took effect in Teams' TextBlock markdown: emphasis, a link, a tag, a list. */
function teamsProblem(reply: Reply): string | null {
  for (const t of cardTexts(reply)) {
    for (const f of [...FORMATTING, ...MARKDOWN, ...LINKS])
      if (t.includes(f)) return `unescaped markup ${f} in the card: ${t.slice(0, 200)}`;
    if (/^[ \t]*(\d{1,9}[.)]|[-+*])([ \t]|$)/m.test(t)) return `a list in the card: ${t.slice(0, 200)}`;
  }
  return null;
}

/** What is wrong with one answer, or null. */
function problemOf(reply: Reply): string | null {
  if (reply.kind === 'error') return `an internal error (${reply.title})`;
  // The person's own words come back as inline code ("`NaN` is not …"); what Tally computed must not say these.
  const text = renderText(reply).replace(/`[^`]*`/g, '');
  for (const bad of ['NaN', 'undefined', 'Infinity', '∞'])
    if (text.includes(bad)) return `"${bad}" in the text: ${text.slice(0, 300)}`;
  return slackProblem(reply) ?? teamsProblem(reply);
}

let turns: TurnHandler;

beforeAll(async () => {
  const costs = await testCostRepository();
  const rollups = [];
  for (let d = '2026-03-01'; d < TODAY; d = addDays(d, 1)) {
    rollups.push(testRollup(d, 'Amazon Elastic Compute Cloud', 120 + (d.charCodeAt(9) % 7) * 10));
    rollups.push(
      testRollup(d, 'Amazon Simple Storage Service', 30, {
        subAccountId: '222',
        subAccountName: 'search',
        region: 'eu-west-1',
        tags: [{ key: 'team', value: 'payments' }],
      }),
    );
  }
  // A day of 0 spend and a credit, so that ratios and changes meet zeros and negatives.
  rollups.push(testRollup('2026-05-10', 'AWS Lambda', 0), testRollup('2026-05-11', 'Credits', -50));
  await costs.replaceRollups('t', { from: '2026-03-01', to: addDays(TODAY, -1) }, rollups);
  const query = new CostQueryService(costs);
  const clock = fixedClock(new Date(`${TODAY}T08:00:00Z`));
  const scan = new AnomalyScanService(costs);
  const commands = new CommandService({
    costs: query,
    forecast: new ForecastService(query),
    clock,
    anomalies: (request) => scan.scan(request),
    status: async () => ({ store: 'memory', dataRange: null, imports: [], notes: [] }),
  });
  const approvals = new MemoryApprovalRepository();
  const digests = new DigestSubscriptionService({
    repo: new MemoryDigestSubscriptionRepository(),
    scheduler: null,
    digests: new DigestService({
      costs: query,
      forecast: new ForecastService(query),
      approvals,
      savings: new SavingsService({ approvals, costs, clock }),
      anomalies: (range) => scan.scan(range),
      clock,
    }),
    clock,
  });
  turns = new TurnHandler(
    commands,
    silentLogger,
    new FastPathService(vocabularyOf(costs), clock).handle,
    () => undefined,
    undefined,
    (command, turn, scope) => digests.run(command, { platform: 'slack', channel: 'C0FUZZ', user: turn.user.id }, scope),
  );
});

const ask = (text: string) =>
  turns.handle({ user: { id: 'U0FUZZ' }, location: { platform: 'slack', channel: 'C0FUZZ' }, text });

describe('the command language under fuzzing', () => {
  it('answers the cases found by hand with usage help or a correct answer', async () => {
    for (const text of [
      'cost constructor',
      'cost __proto__',
      'forecast constructor',
      'help constructor',
      'digest now',
      'digest subscribe weekly mon 09:00 UTC',
      // Filter values are repeated in the "Only: …" line as typed.
      'cost for service *bold*',
      'cost by service for region `code`',
      'cost for resource _it_ ~gone~',
      'cost for region ```block``` for account <@U0EVIL>',
      'cost for region [click](http://evil.example) for resource **strong**',
    ]) {
      const reply = await ask(text);
      expect(problemOf(reply), text).toBeNull();
      expect(['usage', 'help', 'answer', 'notice'], text).toContain(reply.kind);
    }
    for (const [text, part] of [
      ['cost 2026-13', '2026-13'],
      ['cost last 2147483648 days', 'last 2147483648 days'],
      ['compare 2026-00 vs 2026-04', '2026-00'],
      ['anomalies from 2026-02-30 to 2026-03-01', '2026-02-30'],
      ['cost in may 0000', '0000-05'],
    ]) {
      const reply = await ask(text!);
      expect(reply.kind, text).toBe('usage');
      expect(reply.text, text).toContain(`\`${part}\``);
    }
  });

  it(`gives ${COMMANDS} seeded commands an answer without an internal error, NaN, undefined or unescaped text`, async () => {
    const random = prng(SEED);
    const failures: string[] = [];
    const kinds = new Map<string, number>();
    for (let i = 0; i < COMMANDS; i++) {
      const text = generate(random);
      const reply = await ask(text);
      kinds.set(reply.kind, (kinds.get(reply.kind) ?? 0) + 1);
      const problem = problemOf(reply);
      if (problem) failures.push(`${JSON.stringify(text)}: ${problem}`);
    }
    expect(failures.slice(0, 20)).toEqual([]);
    // The generator reaches real answers as well as usage help, so the checks above saw both.
    expect(kinds.get('answer') ?? 0).toBeGreaterThan(COMMANDS / 20);
    expect(kinds.get('usage') ?? 0).toBeGreaterThan(COMMANDS / 20);
  }, 600_000);
});
