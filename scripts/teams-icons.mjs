// Renders the Teams app icons from manifest/teams/icons.svg (the sizes Teams requires):
//   color.png   192×192, the whole drawing (accent background, white glyph);
//   outline.png  32×32, the glyph alone, white on transparent, cropped to the glyph so that it stays legible.
// Run `node scripts/teams-icons.mjs` after editing the SVG, and commit the PNGs.
import { readFile, writeFile } from 'node:fs/promises';
import { Resvg } from '@resvg/resvg-js';

const dir = new URL('../manifest/teams/', import.meta.url);
const svg = await readFile(new URL('icons.svg', dir), 'utf8');

/** The SVG rendered to a PNG `size` pixels wide (the drawings are square). */
function png(source, size) {
  return new Resvg(source, { fitTo: { mode: 'width', value: size } }).render().asPng();
}

const background = /<rect id="background"[^>]*\/>/;
if (!background.test(svg))
  throw new Error('icons.svg has no <rect id="background" …/> to leave out of the outline icon');
// The glyph spans 52…140 with a 5 px stroke half-width: a 112 px square around it leaves a small margin.
const outline = svg
  .replace(background, '')
  .replace('viewBox="0 0 192 192"', 'viewBox="40 40 112 112"')
  .replace('width="192" height="192"', 'width="112" height="112"');

await writeFile(new URL('color.png', dir), png(svg, 192));
await writeFile(new URL('outline.png', dir), png(outline, 32));
console.log('wrote manifest/teams/color.png (192×192) and manifest/teams/outline.png (32×32)');
