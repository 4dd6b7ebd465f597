import type { AllMiddlewareArgs, App, SlackEventMiddlewareArgs } from '@slack/bolt';
import { renderHomeView } from '../../render-blocks.js';
import type { SlackListenerDeps } from '../../slack-deps.types.js';

/** App Home: month to date, forecast and top movers, published when the user opens the Home tab. */
export function register(app: App, deps: SlackListenerDeps): void {
  app.event('app_home_opened', async (args) => appHomeOpened(args, deps));
}

export async function appHomeOpened(
  { event, client }: AllMiddlewareArgs & SlackEventMiddlewareArgs<'app_home_opened'>,
  deps: SlackListenerDeps,
): Promise<void> {
  if (event.tab !== 'home') return;
  try {
    const sections = await deps.homeSections(event.user);
    await client.views.publish({ user_id: event.user, view: renderHomeView(sections, { updatedAt: new Date() }) });
  } catch (err) {
    deps.logger.error({ err, user: event.user }, 'app home failed');
  }
}
