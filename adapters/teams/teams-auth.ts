import {
  type Activity,
  CallerIdConstants,
  ConfigurationBotFrameworkAuthentication,
  type ConfigurationBotFrameworkAuthenticationOptions,
  StatusCodes,
} from 'botbuilder';
import { type AuthenticateRequestResult, AuthenticationConstants, AuthenticationError } from 'botframework-connector';

/** The Bot Framework credentials of the bot (Tally's `config.teams` slice). */
export interface TeamsAuthConfig {
  /** `MICROSOFT_APP_ID`; absent only in anonymous mode. */
  appId?: string;
  appPassword?: string;
  tenantId?: string;
  /** @defaultValue `SingleTenant` */
  appType?: 'SingleTenant' | 'MultiTenant' | 'UserAssignedMSI';
  /**
   * Where the keys that sign inbound channel tokens are published (a test's loopback OpenID metadata, or a sovereign
   * cloud). @defaultValue the public cloud's `https://login.botframework.com/v1/.well-known/openidconfiguration`
   */
  openIdMetadataUrl?: string;
}

/** Names of the errors `jsonwebtoken` throws for a token that is not valid (bad signature, malformed, not yet valid). */
const TOKEN_ERRORS = new Set(['JsonWebTokenError', 'NotBeforeError', 'TokenExpiredError']);

/**
 * The options of `ConfigurationBotFrameworkAuthentication`. With no app id the options are empty, which turns
 * inbound validation and outbound tokens off (only for anonymous mode).
 *
 * With `openIdMetadataUrl`, inbound channel tokens are verified with the keys published there. Setting any of the
 * "parameterized" options makes botbuilder take every one of them as given (`BotFrameworkAuthenticationFactory`
 * in botframework-connector 4.23.3), so the others are spelled out with their public-cloud values. The rules a
 * channel token must then pass (`ParameterizedBotFrameworkAuthentication`, `JwtTokenExtractor`): RS256/384/512
 * signed by a key of the JWKS named by the metadata's `jwks_uri` (found by `kid`); `iss` is
 * `https://api.botframework.com`; `aud` is the app id; `exp`/`nbf` hold with 5 minutes' tolerance; when the key
 * lists `endorsements` they include the activity's `channelId` (`msteams`); and the `serviceurl` claim equals the
 * activity's `serviceUrl`.
 */
function teamsAuthOptions(config: TeamsAuthConfig): ConfigurationBotFrameworkAuthenticationOptions {
  if (!config.appId) return {};
  const options: ConfigurationBotFrameworkAuthenticationOptions = {
    MicrosoftAppId: config.appId,
    MicrosoftAppType: config.appType ?? 'SingleTenant',
    ...(config.appPassword ? { MicrosoftAppPassword: config.appPassword } : {}),
    ...(config.tenantId ? { MicrosoftAppTenantId: config.tenantId } : {}),
  };
  if (!config.openIdMetadataUrl) return options;
  return {
    ...options,
    ToBotFromChannelOpenIdMetadataUrl: config.openIdMetadataUrl,
    ToBotFromChannelTokenIssuer: AuthenticationConstants.ToBotFromChannelTokenIssuer,
    ToBotFromEmulatorOpenIdMetadataUrl: AuthenticationConstants.ToBotFromEmulatorOpenIdMetadataUrl,
    ToChannelFromBotLoginUrl: AuthenticationConstants.ToChannelFromBotLoginUrl,
    ToChannelFromBotOAuthScope: AuthenticationConstants.ToChannelFromBotOAuthScope,
    OAuthUrl: AuthenticationConstants.OAuthUrl,
    CallerId: CallerIdConstants.PublicAzureChannel,
  };
}

/**
 * Refuses every invalid token with 401. botbuilder answers 401 only for its own `AuthenticationError`; a token with
 * a bad signature or a future `nbf` fails inside `jsonwebtoken`, whose error `CloudAdapter.process` would answer
 * with 500. Those become `AuthenticationError`s here, so that only infrastructure failures are 500s.
 */
class StrictBotFrameworkAuthentication extends ConfigurationBotFrameworkAuthentication {
  override async authenticateRequest(activity: Activity, authHeader: string): Promise<AuthenticateRequestResult> {
    try {
      return await super.authenticateRequest(activity, authHeader);
    } catch (err) {
      throw asAuthenticationError(err);
    }
  }

  override async authenticateStreamingRequest(
    authHeader: string,
    channelIdHeader: string,
  ): Promise<AuthenticateRequestResult> {
    try {
      return await super.authenticateStreamingRequest(authHeader, channelIdHeader);
    } catch (err) {
      throw asAuthenticationError(err);
    }
  }
}

function asAuthenticationError(err: unknown): unknown {
  const name = (err as { name?: unknown } | null)?.name;
  if (typeof name === 'string' && TOKEN_ERRORS.has(name))
    return new AuthenticationError(`Unauthorized. ${name}`, StatusCodes.UNAUTHORIZED);
  return err;
}

/** The inbound validation and outbound credentials of the bot. */
export function createTeamsAuthentication(config: TeamsAuthConfig): ConfigurationBotFrameworkAuthentication {
  return new StrictBotFrameworkAuthentication(teamsAuthOptions(config));
}
