import { PERIOD } from './eval-calendar.js';
import { SERVICE } from './focus-names.js';
import type { QuestionGroup } from './question-group.types.js';

/** Questions a colleague would answer with a question, or by saying what they could not use. */
export const ASK_BACK_GROUPS: QuestionGroup[] = [
  {
    id: 'storage-last-month',
    meaning:
      'the Storage category on every cloud, May 2026 ("storage" is also an Azure service named Storage: asking is fine)',
    expect: { kind: 'total', period: PERIOD.lastMonth, where: { category: ['Storage'] } },
    mayAsk: true,
    questions: [
      'how much did storage cost last month?',
      'storage spend last month',
      'what did we pay for storage in may',
      'last month storage costs',
      'storage costs for last mnth across clouds',
    ],
  },
  {
    id: 'oracle-not-in-data',
    meaning: 'a provider the data does not hold: say so, naming it, instead of giving a zero',
    expect: { kind: 'no-match' },
    mustName: ['oracle'],
    questions: [
      'how much did we spend on Oracle Cloud last month?',
      'oracle cloud costs last month',
      'what did oracle cost us in may',
      'oracle spend this month',
      'Oracle Cloud Infrastructure spend last week',
    ],
  },
  {
    id: 'ec2-for-project-phoenix',
    meaning: 'EC2 in May 2026 for "project phoenix", which no tag, account or name holds: name it (or ask)',
    expect: { kind: 'total', period: PERIOD.lastMonth, where: { service: [SERVICE.ec2] } },
    mustName: ['phoenix'],
    mayAsk: true,
    questions: [
      'EC2 spend last month for project phoenix',
      'phoenix project EC2 costs last month',
      'how much did ec2 cost last month on the phoenix project?',
      'EC2 last month (phoenix)',
      "what was phoenix's ec2 spend in may",
    ],
  },
];
