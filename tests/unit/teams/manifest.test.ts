// The Teams app package: manifest/teams/manifest.json against the v1.22 rules Tally relies on, and
// the two icons it names, read from the PNG bytes themselves.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { parseCommand } from '../../../src/commands/parse-command.js';

const path = (p: string) => fileURLToPath(new URL(`../../../manifest/teams/${p}`, import.meta.url));

interface Command {
  title: string;
  description: string;
}
interface Manifest {
  $schema: string;
  manifestVersion: string;
  version: string;
  id: string;
  developer: { name: string; websiteUrl: string; privacyUrl: string; termsOfUseUrl: string };
  name: { short: string; full?: string };
  description: { short: string; full: string };
  icons: { color: string; outline: string };
  accentColor: string;
  validDomains: string[];
  webApplicationInfo: { id: string; resource: string };
  bots: {
    botId: string;
    scopes: string[];
    supportsFiles: boolean;
    isNotificationOnly: boolean;
    commandLists: { scopes: string[]; commands: Command[] }[];
  }[];
}

const manifest = JSON.parse(readFileSync(path('manifest.json'), 'utf8')) as Manifest;
const APP_ID_PLACEHOLDER = '{{MICROSOFT_APP_ID}}';

/** A PNG decoded far enough to check it: size from IHDR, and RGBA pixels of an 8-bit RGBA, non-interlaced image. */
function readPng(file: string): {
  width: number;
  height: number;
  colorType: number;
  pixel: (x: number, y: number) => number[];
} {
  const bytes = readFileSync(file);
  expect(bytes.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  // The first chunk is IHDR: length (4), type (4), width (4), height (4), bit depth, colour type, …, interlace.
  expect(bytes.toString('latin1', 12, 16)).toBe('IHDR');
  const width = bytes.readUInt32BE(16);
  const height = bytes.readUInt32BE(20);
  const [bitDepth, colorType, , , interlace] = bytes.subarray(24, 29);
  const idat: Buffer[] = [];
  for (let at = 8; at < bytes.length; ) {
    const length = bytes.readUInt32BE(at);
    if (bytes.toString('latin1', at + 4, at + 8) === 'IDAT') idat.push(bytes.subarray(at + 8, at + 8 + length));
    at += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * 4;
  const rows: Buffer[] = [];
  // Undo the per-row filters (PNG spec §9); only meaningful for 8-bit RGBA without interlace, asserted by callers.
  for (let y = 0; y < height && bitDepth === 8 && colorType === 6 && interlace === 0; y++) {
    const filter = raw[y * (stride + 1)]!;
    const row = Buffer.from(raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1)));
    const up = rows[y - 1];
    for (let i = 0; i < stride; i++) {
      const a = i >= 4 ? row[i - 4]! : 0;
      const b = up ? up[i]! : 0;
      const c = up && i >= 4 ? up[i - 4]! : 0;
      const p = a + b - c;
      const paeth =
        Math.abs(p - a) <= Math.abs(p - b) && Math.abs(p - a) <= Math.abs(p - c)
          ? a
          : Math.abs(p - b) <= Math.abs(p - c)
            ? b
            : c;
      const add = [0, a, b, (a + b) >> 1, paeth][filter]!;
      row[i] = (row[i]! + add) & 0xff;
    }
    rows.push(row);
  }
  return { width, height, colorType: colorType!, pixel: (x, y) => [...rows[y]!.subarray(x * 4, x * 4 + 4)] };
}

describe('the Teams app manifest', () => {
  it('is a v1.22 manifest with an app GUID and a semantic version', () => {
    expect(manifest.$schema).toBe(
      'https://developer.microsoft.com/json-schemas/teams/v1.22/MicrosoftTeams.schema.json',
    );
    expect(manifest.manifestVersion).toBe('1.22');
    expect(manifest.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(manifest.version).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('names and describes the app within the length limits, with HTTPS developer links', () => {
    expect(manifest.developer.name).not.toBe('');
    for (const url of [
      manifest.developer.websiteUrl,
      manifest.developer.privacyUrl,
      manifest.developer.termsOfUseUrl,
    ]) {
      expect(url).toMatch(/^https:\/\//);
    }
    expect(manifest.name.short.length).toBeGreaterThan(0);
    expect(manifest.name.short.length).toBeLessThanOrEqual(30);
    expect(manifest.name.full?.length ?? 0).toBeLessThanOrEqual(100);
    expect(manifest.description.short.length).toBeGreaterThan(0);
    expect(manifest.description.short.length).toBeLessThanOrEqual(80);
    expect(manifest.description.full.length).toBeGreaterThan(0);
    expect(manifest.description.full.length).toBeLessThanOrEqual(4000);
    expect(manifest.accentColor).toMatch(/^#[0-9A-Fa-f]{6}$/);
    expect(manifest.validDomains.length).toBeGreaterThan(0);
    for (const domain of manifest.validDomains) expect(domain).not.toMatch(/^https?:|\//);
  });

  it('declares one bot, with the app id placeholder, in personal, team and group chat scopes', () => {
    expect(manifest.bots).toHaveLength(1);
    const bot = manifest.bots[0]!;
    expect(bot.botId).toBe(APP_ID_PLACEHOLDER);
    expect(manifest.webApplicationInfo.id).toBe(APP_ID_PLACEHOLDER);
    expect(manifest.webApplicationInfo.resource).toContain(APP_ID_PLACEHOLDER);
    expect([...bot.scopes].sort()).toEqual(['groupChat', 'personal', 'team']);
    expect(bot.isNotificationOnly).toBe(false);
    expect(bot.supportsFiles).toBe(false);
  });

  it('has at most 3 command lists, one per scope, covering every scope of the bot', () => {
    const bot = manifest.bots[0]!;
    expect(bot.commandLists.length).toBeGreaterThan(0);
    expect(bot.commandLists.length).toBeLessThanOrEqual(3);
    const listed = bot.commandLists.flatMap((l) => l.scopes);
    expect(new Set(listed).size).toBe(listed.length);
    expect([...listed].sort()).toEqual([...bot.scopes].sort());
    for (const list of bot.commandLists) {
      expect(list.commands.length).toBeGreaterThan(0);
      expect(list.commands.length).toBeLessThanOrEqual(10);
      expect(new Set(list.commands.map((c) => c.title)).size).toBe(list.commands.length);
      for (const c of list.commands) {
        expect(c.title.length).toBeLessThanOrEqual(32);
        expect(c.description.length).toBeGreaterThan(0);
        expect(c.description.length).toBeLessThanOrEqual(128);
      }
    }
  });

  it('offers commands of the command language: each example parses, and each title alone or its example does', () => {
    const titles = new Set<string>();
    for (const command of manifest.bots[0]!.commandLists.flatMap((l) => l.commands)) {
      titles.add(command.title);
      const example = /e\.g\. (.+)$/.exec(command.description)?.[1];
      if (example !== undefined) {
        expect(example.startsWith(command.title), example).toBe(true);
        expect(parseCommand(example).ok, example).toBe(true);
      } else {
        expect(parseCommand(command.title).ok, command.title).toBe(true);
      }
    }
    for (const word of ['cost', 'compare', 'forecast', 'anomalies', 'approvals', 'recommendations', 'digest', 'help']) {
      expect(titles).toContain(word);
    }
  });
});

describe('the Teams app icons', () => {
  it('has a 192×192 colour icon: the accent colour all round, the white glyph in the middle', () => {
    expect(manifest.icons.color).toBe('color.png');
    expect(existsSync(path(manifest.icons.color))).toBe(true);
    const png = readPng(path(manifest.icons.color));
    expect([png.width, png.height]).toEqual([192, 192]);
    expect(png.colorType).toBe(6);
    const accent = [1, 3, 5].map((i) => Number.parseInt(manifest.accentColor.slice(i, i + 2), 16));
    for (const [x, y] of [
      [0, 0],
      [191, 0],
      [0, 191],
      [191, 191],
      [96, 20],
    ] as const) {
      expect(png.pixel(x, y)).toEqual([...accent, 255]);
    }
    // The first tally mark (icons.svg: x = 66, from y = 56 to 136).
    expect(png.pixel(66, 96)).toEqual([255, 255, 255, 255]);
  });

  it('has a 32×32 outline icon, white on transparent', () => {
    expect(manifest.icons.outline).toBe('outline.png');
    expect(existsSync(path(manifest.icons.outline))).toBe(true);
    const png = readPng(path(manifest.icons.outline));
    expect([png.width, png.height]).toEqual([32, 32]);
    expect(png.colorType).toBe(6);
    let drawn = 0;
    for (let y = 0; y < 32; y++) {
      for (let x = 0; x < 32; x++) {
        const [r, g, b, a] = png.pixel(x, y);
        if (a === 0) continue;
        drawn++;
        expect([r, g, b]).toEqual([255, 255, 255]);
      }
    }
    // Something is drawn, and much of the square stays transparent.
    expect(drawn).toBeGreaterThan(32 * 32 * 0.1);
    expect(drawn).toBeLessThan(32 * 32 * 0.8);
    expect(png.pixel(0, 0)[3]).toBe(0);
  });
});
