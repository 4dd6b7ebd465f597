import { appendFile, readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { Reply } from '../../src/shared/reply.types.js';
import { renderText } from './render-text.js';

export interface ShellConfig {
  input: Readable;
  output: Writable;
  /** Answers one line. */
  handle: (text: string) => Promise<Reply>;
  /** Where history is kept between sessions; none when absent. */
  historyFile?: string;
  banner?: string;
}

const HISTORY_SIZE = 500;

/**
 * A local REPL in the spirit of Hubot's shell adapter: a prompt, history (↑/↓, kept in `historyFile`), `help`,
 * and `exit`/`quit` (or Ctrl-D) to leave. Every line goes through the same turn handler as the chat platforms.
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
  const write = (s: string) => config.output.write(`${s}\n`);
  if (config.banner) write(config.banner);
  rl.setPrompt('tally> ');
  rl.prompt();
  for await (const raw of rl) {
    const line = raw.trim();
    if (line === 'exit' || line === 'quit') break;
    if (line !== '') {
      if (config.historyFile) await appendFile(config.historyFile, `${line}\n`).catch(() => {});
      write(renderText(await config.handle(line)));
      write('');
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
