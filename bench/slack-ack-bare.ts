/**
 * The baseline of the Slack ack benchmark (slack-ack.bench.ts): a bare Bolt app whose `/cost` handler only acks,
 * mounted like Tally mounts it (HTTPReceiver's request listener on a plain node:http server, `/slack/events`, signature
 * verification on, `/healthz` beside it). Run as its own process:
 *
 *   PORT=3001 SLACK_SIGNING_SECRET=… SLACK_API_URL=http://127.0.0.1:P/api/ node dist/bench/slack-ack-bare.js
 */
import { createServer } from 'node:http';
import { App, HTTPReceiver, LogLevel } from '@slack/bolt';

const port = Number(process.env.PORT ?? '3001');
const signingSecret = process.env.SLACK_SIGNING_SECRET ?? '';
const slackApiUrl = process.env.SLACK_API_URL;
if (signingSecret === '') throw new Error('SLACK_SIGNING_SECRET is required');

const receiver = new HTTPReceiver({ signingSecret, endpoints: '/slack/events', logLevel: LogLevel.WARN });
const app = new App({
  receiver,
  token: 'xoxb-bench-token',
  tokenVerificationEnabled: false,
  botId: 'B',
  botUserId: 'U',
  logLevel: LogLevel.WARN,
  ...(slackApiUrl ? { clientOptions: { slackApiUrl } } : {}),
});
app.command('/cost', async ({ ack }) => {
  await ack();
});

const server = createServer((req, res) => {
  if (req.url === '/healthz') {
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
    return;
  }
  receiver.requestListener(req, res);
});
server.listen(port, '127.0.0.1');
process.once('SIGTERM', () => server.close(() => process.exit(0)));
