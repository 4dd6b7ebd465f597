import { describe, expect, it } from 'vitest';
import { createPinoLogger, REDACTED, scrubSecrets } from '../../../adapters/logging/pino-logger.js';
import { TallyError } from '../../../src/shared/errors.js';

/** A destination that keeps each JSON line pino writes. */
function memoryStream() {
  const lines: string[] = [];
  return {
    stream: { write: (line: string) => void lines.push(line) },
    records: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>),
    text: () => lines.join(''),
  };
}

describe('createPinoLogger', () => {
  it('redacts a token', () => {
    const out = memoryStream();
    createPinoLogger({ level: 'info', stream: out.stream }).info({ token: 'xoxb-secret', channel: 'C1' }, 'hello');
    expect(out.records()[0]).toMatchObject({ token: REDACTED, channel: 'C1', msg: 'hello', level: 30, name: 'tally' });
    expect(out.text()).not.toContain('xoxb-secret');
  });

  it('redacts secret fields at any depth and in any case', () => {
    const out = memoryStream();
    const logger = createPinoLogger({ level: 'info', stream: out.stream });
    logger.info({
      slack: { botToken: 'xoxb-bot', channel: 'C1' },
      req: { headers: { Authorization: 'Bearer abc', 'X-Api-Key': 'k-1', accept: 'application/json' } },
      job: { data: { deliveries: [{ channel: 'sms', config: { sms: { authToken: 'twilio-secret' } } }] } },
      env: { SLACK_SIGNING_SECRET: 'signing', OPENAI_API_KEY: 'sk-secret' },
    });
    const [record] = out.records();
    expect(record).toMatchObject({
      slack: { botToken: REDACTED, channel: 'C1' },
      req: { headers: { Authorization: REDACTED, 'X-Api-Key': REDACTED, accept: 'application/json' } },
      job: { data: { deliveries: [{ channel: 'sms', config: { sms: { authToken: REDACTED } } }] } },
      env: { SLACK_SIGNING_SECRET: REDACTED, OPENAI_API_KEY: REDACTED },
    });
    for (const secret of ['xoxb-bot', 'Bearer abc', 'k-1', 'twilio-secret', 'signing', 'sk-secret']) {
      expect(out.text()).not.toContain(secret);
    }
  });

  it('keeps connection strings readable without their credentials, in fields, messages and errors', () => {
    const out = memoryStream();
    const logger = createPinoLogger({ level: 'info', stream: out.stream });
    logger.info({ mongo: { uri: 'mongodb://tally:pw1@db:27017/tally' }, redis: { url: 'redis://127.0.0.1:6379' } });
    logger.error({ err: new Error('cannot reach smtps://mailer:pw2@smtp.example.com:465') }, 'send failed');
    const [first, second] = out.records();
    expect(first).toMatchObject({
      mongo: { uri: 'mongodb://***@db:27017/tally' },
      redis: { url: 'redis://127.0.0.1:6379' },
    });
    expect(second).toMatchObject({ err: { message: 'cannot reach smtps://***@smtp.example.com:465' } });
    expect(out.text()).not.toMatch(/pw1|pw2/);
  });

  it('redacts child bindings and honours the level', () => {
    const out = memoryStream();
    const logger = createPinoLogger({ level: 'warn', stream: out.stream });
    const child = logger.child({ module: 'sms', password: 'hunter2' });
    child.info({ skipped: true });
    child.warn({ attempt: 2 }, 'retrying');
    const records = out.records();
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ module: 'sms', password: REDACTED, attempt: 2, msg: 'retrying' });
    expect(out.text()).not.toContain('hunter2');
  });

  it('rejects an unknown level with CONFIG_INVALID', () => {
    let error: unknown;
    try {
      createPinoLogger({ level: 'verbose' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(TallyError);
    expect((error as TallyError).code).toBe('CONFIG_INVALID');
  });
});

describe('scrubSecrets', () => {
  it('returns objects without secrets unchanged and never mutates its input', () => {
    const clean = { a: 1, b: { c: ['x'] } };
    expect(scrubSecrets(clean)).toBe(clean);
    const frozen = Object.freeze({ token: 't', nested: Object.freeze({ ok: true }) });
    expect(scrubSecrets(frozen)).toEqual({ token: REDACTED, nested: { ok: true } });
    expect(frozen.token).toBe('t');
  });
});
