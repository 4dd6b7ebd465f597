// The shell on the chat core: a reply's buttons without a typed equivalent are numbered, and `press N` clicks them
// through the same click registry as Slack and Teams (here: Snooze 1 day on an alert).
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { runShell } from '../../../adapters/shell/shell-repl.js';
import { alertMessages } from '../../../src/conversation/replies/alert.reply.js';
import { testAnomaly } from '../../support/alert-fixtures.js';
import { FakeAlerts, testCore } from '../conversation/core-fixtures.js';

async function session(lines: string[], alerts: FakeAlerts): Promise<string> {
  const anomaly = testAnomaly({ id: 'anm_7' });
  const { core } = testCore({ alerts }, () => alertMessages.alert(anomaly));
  const input = new PassThrough();
  const output = new PassThrough();
  let printed = '';
  output.on('data', (chunk: Buffer) => {
    printed += chunk.toString();
  });
  const done = runShell({ input, output, core, user: { id: 'ada' } });
  input.end(`${lines.join('\n')}\n`);
  await done;
  return printed;
}

describe('buttons in the shell', () => {
  it('numbers the buttons of the last answer, and `press N` clicks one', async () => {
    const alerts = new FakeAlerts();
    const printed = await session(['show me the alert', 'press 4', 'press 9'], alerts);
    expect(printed).toContain(
      'press 1: Acknowledge · press 2: Investigate · press 3: Mute 7 days · press 4: Snooze 1 day',
    );
    expect(alerts.mutes).toEqual([{ anomalyId: 'anm_7', days: 1 }]);
    expect(printed).toContain('Muted for 1 days');
    expect(printed).toContain('There is no such button on the last answer.');
  });
});
