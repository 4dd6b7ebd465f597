import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Redis } from 'ioredis';

/** How long a served chart stays available: cards in a chat's history keep showing it for a week. */
const CHART_TTL_SECONDS = 7 * 24 * 3600;
const ID_RE = /^\/charts\/([0-9a-f]{32})\.png$/;

/**
 * Chart images Tally serves itself at `/charts/<id>.png`, kept in Redis so that every web process of a deployment
 * can serve any of them. Ids are 128 random bits: unguessable, so a chart is seen only by whoever got the card.
 */
export class HostedCharts {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly publicUrl: string,
  ) {}

  /** Stores a PNG and returns the absolute URL it is served at. */
  async put(png: Uint8Array): Promise<string> {
    const id = randomBytes(16).toString('hex');
    await this.redis.set(this.key(id), Buffer.from(png), 'EX', CHART_TTL_SECONDS);
    return `${this.publicUrl.replace(/\/+$/, '')}/charts/${id}.png`;
  }

  /** The `GET /charts/<id>.png` route. */
  readonly requestListener = (req: IncomingMessage, res: ServerResponse): void => {
    const id = ID_RE.exec((req.url ?? '').split('?')[0] ?? '')?.[1];
    if (req.method !== 'GET' || !id) {
      res.writeHead(404).end();
      return;
    }
    this.redis.getBuffer(this.key(id)).then(
      (png) => {
        if (!png) return void res.writeHead(404).end();
        res.writeHead(200, { 'content-type': 'image/png', 'cache-control': 'private, max-age=604800' }).end(png);
      },
      () => void res.writeHead(503).end(),
    );
  };

  private key(id: string): string {
    return `${this.prefix}:chart:${id}`;
  }
}
