/** Where a turn happened; the conversation key of the agent's memory is built from it. */
export interface TurnLocation {
  platform: 'slack' | 'teams' | 'shell' | 'cli';
  /** Slack team / Teams tenant. */
  workspace?: string;
  channel?: string;
  thread?: string;
}

/** One inbound turn from any adapter: who said what, where. */
export interface Turn {
  user: { id: string; name?: string };
  location: TurnLocation;
  text: string;
}
