import { appendFile, readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { ChatCore } from '../../src/conversation/chat-core.js';
import type { ChatUser } from '../../src/conversation/inbound.types.js';
import { ShellSurface } from './shell-surface.js';

export interface ShellConfig {
  input: Readable;
  output: Writable;
  /** The chat core every line goes through, as on the chat platforms. */
  core: ChatCore;
  /** Who types (`tally shell --as <person>`). */
  user: ChatUser;
  /** Where history is kept between sessions; none when absent. */
  historyFile?: string;
  banner?: string;
}

const HISTORY_SIZE = 500;
const PRESS = /^press\s+(\d+)$/i;

/**
 * A local REPL in the spirit of Hubot's shell adapter: a prompt, history (↑/↓, kept in `historyFile`), `help`,
 * `press N` for a reply's numbered buttons, and `exit`/`quit` (or Ctrl-D) to leave. Every line goes through the same
 * chat core as the chat platforms.
 */
export async function runShell(config: ShellConfig): Promise<void> {
  const history = config.historyFile ? await loadHistory(config.historyFile) : [];
  const terminal = 'isTTY' in config.output && Boolean((config.output as { isTTY?: boolean }).isTTY);
  const rl = createInterface({
    input: config.input,
    output: config.output,
    terminal,
    history,
    historySize: HISTORY_SIZE,
  });
  const surface = new ShellSurface(config.output);
  const location = { platform: 'shell' as const };
  if (config.banner) config.output.write(`${config.banner}\n`);
  rl.setPrompt('tally> ');
  rl.prompt();
  for await (const raw of rl) {
    const line = raw.trim();
    if (line === 'exit' || line === 'quit') break;
    if (line !== '') {
      if (config.historyFile) await appendFile(config.historyFile, `${line}\n`).catch(() => {});
      const pressed = PRESS.exec(line);
      const button = pressed ? surface.button(Number(pressed[1])) : undefined;
      if (pressed && !button) config.output.write('There is no such button on the last answer.\n\n');
      else if (button)
        await config.core.click(
          { actionId: button.actionId, value: button.value, user: config.user, location },
          surface,
        );
      else await config.core.turn({ user: config.user, location, text: line }, surface);
    }
    rl.prompt();
  }
  rl.close();
}

async function loadHistory(file: string): Promise<string[]> {
  try {
    const lines = (await readFile(file, 'utf8')).split('\n').filter((l) => l.trim() !== '');
    return lines.slice(-HISTORY_SIZE).reverse();
  } catch {
    return [];
  }
}
