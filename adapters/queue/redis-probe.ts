import { connect } from 'node:net';

/**
 * Checks that a Redis server answers PING at `url` within `timeoutMs`. Used at start-up to refuse to run the
 * job-dependent parts without Redis, naming `REDIS_URL`. (BullMQ's own connections come with the job queues.)
 */
export async function pingRedis(url: string, timeoutMs = 2000): Promise<boolean> {
  const u = new URL(url);
  return new Promise((resolve) => {
    const socket = connect({ host: u.hostname || '127.0.0.1', port: Number(u.port || 6379) });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.on('error', () => done(false));
    socket.on('connect', () => {
      const auth = u.password ? `AUTH ${decodeURIComponent(u.password)}\r\n` : '';
      socket.write(`${auth}PING\r\n`);
    });
    socket.on('data', (buf) => {
      if (buf.toString().includes('+PONG')) done(true);
      else if (buf.toString().startsWith('-')) done(false);
    });
  });
}
