// Bot Framework channel tokens for tests: an RSA key pair made with node:crypto, its public key published on loopback
// as OpenID metadata and a JWKS (what MICROSOFT_OPENID_METADATA_URL points Tally at), and RS256 tokens signed with it.
// botbuilder fetches the metadata, then `jwks_uri`, finds the key by `kid`, and checks the endorsements, issuer,
// audience, lifetime and `serviceurl` claim (see adapters/teams/teams-auth.ts for the rules).
import { createSign, generateKeyPairSync, type KeyObject, randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** The issuer of channel tokens in the public cloud, which botbuilder requires (`AuthenticationConstants`). */
export const BOT_FRAMEWORK_ISSUER = 'https://api.botframework.com';

/** The claims of a test token; times are seconds since the epoch. */
export interface TokenClaims {
  /** The bot's app id when the token is for it. */
  aud: string;
  /** @defaultValue {@link BOT_FRAMEWORK_ISSUER} */
  iss?: string;
  /** Must equal the activity's `serviceUrl`. */
  serviceUrl: string;
  /** @defaultValue now + 1 hour */
  exp?: number;
  /** @defaultValue now − 1 minute */
  nbf?: number;
}

const base64url = (data: Buffer | string) => Buffer.from(data).toString('base64url');
const now = () => Math.floor(Date.now() / 1000);

/** An RSA key that signs tokens, with the `kid` it is published under. */
export interface SigningKey {
  kid: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
}

/** A new 2048-bit RSA signing key. */
export function newSigningKey(): SigningKey {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { kid: `test-${randomBytes(4).toString('hex')}`, privateKey, publicKey };
}

/** An RS256 JWT with the key's `kid`, as the Bot Connector sends in `Authorization: Bearer …`. */
export function signWith(key: SigningKey, claims: TokenClaims): string {
  const header = { alg: 'RS256', typ: 'JWT', kid: key.kid };
  const payload = {
    iss: claims.iss ?? BOT_FRAMEWORK_ISSUER,
    aud: claims.aud,
    serviceurl: claims.serviceUrl,
    nbf: claims.nbf ?? now() - 60,
    exp: claims.exp ?? now() + 3600,
    iat: now() - 60,
  };
  const data = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(payload))}`;
  const signature = createSign('RSA-SHA256').update(data).sign(key.privateKey);
  return `${data}.${base64url(signature)}`;
}

/** The loopback OpenID metadata endpoint and the key it publishes. */
export interface BotTokenIssuer {
  /** `http://127.0.0.1:<port>/v1/.well-known/openidconfiguration`: the value of MICROSOFT_OPENID_METADATA_URL. */
  metadataUrl: string;
  key: SigningKey;
  /** How many times the metadata and the JWKS were fetched. */
  fetches: { metadata: number; keys: number };
  /** A token signed by the published key. */
  signToken(claims: TokenClaims): string;
  close(): Promise<void>;
}

/**
 * Serves OpenID metadata (`issuer`, `jwks_uri`) and a JWKS holding the public key with `endorsements: ['msteams']`,
 * like `login.botframework.com` does.
 */
export async function startBotTokenIssuer(options: { endorsements?: string[] } = {}): Promise<BotTokenIssuer> {
  const key = newSigningKey();
  const jwk = key.publicKey.export({ format: 'jwk' });
  const fetches = { metadata: 0, keys: 0 };
  let origin = '';
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    let body: unknown;
    if (path === '/v1/.well-known/openidconfiguration') {
      fetches.metadata++;
      body = {
        issuer: BOT_FRAMEWORK_ISSUER,
        authorization_endpoint: `${origin}/v1/authorize`,
        jwks_uri: `${origin}/v1/.well-known/keys`,
        id_token_signing_alg_values_supported: ['RS256'],
        token_endpoint_auth_methods_supported: ['private_key_jwt'],
      };
    } else if (path === '/v1/.well-known/keys') {
      fetches.keys++;
      body = {
        keys: [
          {
            kty: 'RSA',
            use: 'sig',
            kid: key.kid,
            n: jwk.n,
            e: jwk.e,
            endorsements: options.endorsements ?? ['msteams'],
          },
        ],
      };
    }
    res.writeHead(body === undefined ? 404 : 200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body ?? { error: 'not found' }));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    metadataUrl: `${origin}/v1/.well-known/openidconfiguration`,
    key,
    fetches,
    signToken: (claims) => signWith(key, claims),
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/** Seconds since the epoch, for `exp` and `nbf`. */
export function epochSeconds(offsetSeconds = 0): number {
  return now() + offsetSeconds;
}
