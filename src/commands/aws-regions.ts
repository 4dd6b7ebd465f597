import { echo } from './echo.js';

/**
 * The AWS regions that recommendations scan and proposals act in (AWS's list of regions, including the GovCloud and
 * China partitions). A region that is not here is a usage error with a suggestion, instead of a cloud call that
 * fails. Cost filters (`for region …`) are not checked against it: they match the regions of the cost data, which
 * other clouds name differently (`westeurope`, `europe-west1`).
 */
const AWS_REGIONS: ReadonlySet<string> = new Set([
  'af-south-1',
  'ap-east-1',
  'ap-east-2',
  'ap-northeast-1',
  'ap-northeast-2',
  'ap-northeast-3',
  'ap-south-1',
  'ap-south-2',
  'ap-southeast-1',
  'ap-southeast-2',
  'ap-southeast-3',
  'ap-southeast-4',
  'ap-southeast-5',
  'ap-southeast-6',
  'ap-southeast-7',
  'ca-central-1',
  'ca-west-1',
  'cn-north-1',
  'cn-northwest-1',
  'eu-central-1',
  'eu-central-2',
  'eu-north-1',
  'eu-south-1',
  'eu-south-2',
  'eu-west-1',
  'eu-west-2',
  'eu-west-3',
  'il-central-1',
  'me-central-1',
  'me-south-1',
  'mx-central-1',
  'sa-east-1',
  'us-east-1',
  'us-east-2',
  'us-gov-east-1',
  'us-gov-west-1',
  'us-west-1',
  'us-west-2',
]);

/** Null when `region` is a known AWS region; else a message naming it, with the nearest known region. */
export function checkAwsRegion(region: string): string | null {
  if (AWS_REGIONS.has(region)) return null;
  return `${echo(region)} is not an AWS region; did you mean ${nearest(region)}?`;
}

/** The known region with the fewest edits from `region` (the first in order on a tie). */
function nearest(region: string): string {
  let best = 'us-east-1';
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const known of AWS_REGIONS) {
    const d = editDistance(region.toLowerCase().slice(0, 40), known);
    if (d < bestDistance) {
      best = known;
      bestDistance = d;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++)
      row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = row;
  }
  return prev[b.length]!;
}
