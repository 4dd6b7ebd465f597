import type { ChartSpec } from '../shared/reply.types.js';

/** A chart drawn as an image, ready to upload (Slack `filesUploadV2`, Teams attachments). */
export interface RenderedChart {
  /** The PNG bytes. */
  png: Uint8Array;
  /** One sentence describing the chart and its top items, for `alt_text` and screen readers. */
  altText: string;
  /** A file name ending in `.png`, derived from the title. */
  filename: string;
}

/** Draws a platform-neutral {@link ChartSpec} as an image. Implemented in `adapters/charts`. */
export interface ChartRenderer {
  /** Renders the chart. Rejects with a `TallyError` when drawing fails; never reaches the network. */
  render(spec: ChartSpec): Promise<RenderedChart>;
}
