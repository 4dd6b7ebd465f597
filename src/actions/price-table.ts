/**
 * The price table behind every savings estimate.
 *
 * Source: AWS on-demand list prices for Linux, region us-east-1 (N. Virginia), in USD, as published on
 * https://aws.amazon.com/ec2/pricing/on-demand/, https://aws.amazon.com/ec2/previous-generation/ (m3, c3, r3),
 * https://aws.amazon.com/ebs/pricing/ and https://aws.amazon.com/vpc/pricing/ (public IPv4), as of 2026.
 *
 * The same table is used for every region: estimates in other regions are us-east-1 list prices, which most regions
 * exceed by a few percent, so savings there are slightly understated. Discounts (Savings Plans, Reserved Instances,
 * Spot, credits) are not applied, and neither are Windows or other licence charges.
 */

/** Hours in a month for monthly estimates (AWS's own convention: 365 × 24 / 12). */
export const HOURS_PER_MONTH = 730;

/**
 * Instance prices in USD per hour, by family and size. Families: burstable t2, t3, t3a, t4g (nano…2xlarge); general
 * purpose m3, m4, m5, m6i, m7i; compute c3, c4, c5, c6i; memory r3, r4, r5, r6i. t4g is Graviton (arm64); the others
 * are x86_64.
 */
const INSTANCE_HOURLY: Readonly<Record<string, Readonly<Record<string, number>>>> = {
  t2: {
    nano: 0.0058,
    micro: 0.0116,
    small: 0.023,
    medium: 0.0464,
    large: 0.0928,
    xlarge: 0.1856,
    '2xlarge': 0.3712,
  },
  t3: {
    nano: 0.0052,
    micro: 0.0104,
    small: 0.0208,
    medium: 0.0416,
    large: 0.0832,
    xlarge: 0.1664,
    '2xlarge': 0.3328,
  },
  t3a: {
    nano: 0.0047,
    micro: 0.0094,
    small: 0.0188,
    medium: 0.0376,
    large: 0.0752,
    xlarge: 0.1504,
    '2xlarge': 0.3008,
  },
  t4g: {
    nano: 0.0042,
    micro: 0.0084,
    small: 0.0168,
    medium: 0.0336,
    large: 0.0672,
    xlarge: 0.1344,
    '2xlarge': 0.2688,
  },
  m3: { medium: 0.067, large: 0.133, xlarge: 0.266, '2xlarge': 0.532 },
  m4: { large: 0.1, xlarge: 0.2, '2xlarge': 0.4, '4xlarge': 0.8, '10xlarge': 2.0, '16xlarge': 3.2 },
  m5: { large: 0.096, xlarge: 0.192, '2xlarge': 0.384, '4xlarge': 0.768, '8xlarge': 1.536, '12xlarge': 2.304 },
  m6i: { large: 0.096, xlarge: 0.192, '2xlarge': 0.384, '4xlarge': 0.768, '8xlarge': 1.536, '12xlarge': 2.304 },
  m7i: { large: 0.1008, xlarge: 0.2016, '2xlarge': 0.4032, '4xlarge': 0.8064, '8xlarge': 1.6128, '12xlarge': 2.4192 },
  c3: { large: 0.105, xlarge: 0.21, '2xlarge': 0.42, '4xlarge': 0.84, '8xlarge': 1.68 },
  c4: { large: 0.1, xlarge: 0.199, '2xlarge': 0.398, '4xlarge': 0.796, '8xlarge': 1.591 },
  c5: { large: 0.085, xlarge: 0.17, '2xlarge': 0.34, '4xlarge': 0.68, '9xlarge': 1.53, '12xlarge': 2.04 },
  c6i: { large: 0.085, xlarge: 0.17, '2xlarge': 0.34, '4xlarge': 0.68, '8xlarge': 1.36, '12xlarge': 2.04 },
  r3: { large: 0.166, xlarge: 0.333, '2xlarge': 0.665, '4xlarge': 1.33, '8xlarge': 2.66 },
  r4: { large: 0.133, xlarge: 0.266, '2xlarge': 0.532, '4xlarge': 1.064, '8xlarge': 2.128, '16xlarge': 4.256 },
  r5: { large: 0.126, xlarge: 0.252, '2xlarge': 0.504, '4xlarge': 1.008, '8xlarge': 2.016, '12xlarge': 3.024 },
  r6i: { large: 0.126, xlarge: 0.252, '2xlarge': 0.504, '4xlarge': 1.008, '8xlarge': 2.016, '12xlarge': 3.024 },
};

/**
 * EBS storage in USD per GB-month, by volume type. Storage only: provisioned IOPS (io1, io2) and gp3 IOPS or
 * throughput above the baseline are billed on top and are not counted, so volume savings are understated.
 */
const VOLUME_GB_MONTH: Readonly<Record<string, number>> = {
  gp2: 0.1,
  gp3: 0.08,
  io1: 0.125,
  io2: 0.125,
  st1: 0.045,
  sc1: 0.015,
  standard: 0.05,
};

/** EBS snapshot storage (standard tier) in USD per GB-month. */
export const SNAPSHOT_GB_MONTH = 0.05;

/** A public IPv4 address, including an Elastic IP, in USD per hour, whether or not it is associated. */
export const ADDRESS_HOURLY = 0.005;

/** An Elastic IP address for a month: {@link ADDRESS_HOURLY} × {@link HOURS_PER_MONTH} (3.65 USD). */
export const ADDRESS_MONTHLY = ADDRESS_HOURLY * HOURS_PER_MONTH;

/**
 * Previous-generation families and the current family each moves to, at the same size. The x86 successors of the
 * same vendor are chosen so that the AMI keeps working: t2 → t3; m3, m4 → m6i; c3, c4 → c6i; r3, r4 → r6i. In
 * us-east-1 m6i, c6i and r6i cost the same as m5, c5 and r5 and are faster, so the 6th generation is used throughout.
 * t3 runs in unlimited mode by default, where sustained bursts above baseline are billed as CPU credits.
 */
const CURRENT_GENERATION: Readonly<Record<string, string>> = {
  t2: 't3',
  m3: 'm6i',
  m4: 'm6i',
  c3: 'c6i',
  c4: 'c6i',
  r3: 'r6i',
  r4: 'r6i',
};

/** Families whose processors are AWS Graviton (arm64); their AMIs do not run on x86 and vice versa. */
const ARM_FAMILIES = new Set(['t4g']);

/** `m5.xlarge` → `{ family: 'm5', size: 'xlarge' }`; null when it is not `family.size`. */
function splitType(type: string): { family: string; size: string } | null {
  const m = /^([a-z][a-z0-9-]*)\.([a-z0-9]+)$/.exec(type.trim().toLowerCase());
  return m ? { family: m[1]!, size: m[2]! } : null;
}

/** Orders sizes by capacity: nano < micro < small < medium < large < xlarge < 2xlarge < … < 48xlarge. */
function sizeRank(size: string): number | null {
  const small = ['nano', 'micro', 'small', 'medium', 'large'].indexOf(size);
  if (small >= 0) return small;
  const m = /^(\d*)xlarge$/.exec(size);
  return m ? 8 * Number(m[1] || 1) : null;
}

/** The on-demand price of an instance type in USD per hour; null when the type is not in the table. */
export function instanceHourly(type: string): number | null {
  const t = splitType(type);
  return t ? (INSTANCE_HOURLY[t.family]?.[t.size] ?? null) : null;
}

/** The storage price of a volume in USD per month; null for a volume type not in the table or a bad size. */
export function volumeMonthly(volumeType: string, sizeGiB: number): number | null {
  const perGb = VOLUME_GB_MONTH[volumeType.trim().toLowerCase()];
  if (perGb === undefined || !Number.isFinite(sizeGiB) || sizeGiB < 0) return null;
  return perGb * sizeGiB;
}

/**
 * The next smaller size of the same family that is in the table, e.g. `m5.xlarge` → `m5.large`,
 * `c5.9xlarge` → `c5.4xlarge`; null when the type is not in the table or is the smallest one listed.
 */
export function oneSizeDown(type: string): string | null {
  const t = splitType(type);
  const sizes = t ? INSTANCE_HOURLY[t.family] : undefined;
  const rank = t ? sizeRank(t.size) : null;
  if (!t || !sizes || sizes[t.size] === undefined || rank === null) return null;
  let best: { size: string; rank: number } | null = null;
  for (const size of Object.keys(sizes)) {
    const r = sizeRank(size);
    if (r !== null && r < rank && (best === null || r > best.rank)) best = { size, rank: r };
  }
  return best ? `${t.family}.${best.size}` : null;
}

/**
 * The current-generation type of the same size for a previous-generation type ({@link CURRENT_GENERATION}), e.g.
 * `t2.large` → `t3.large`, `m4.xlarge` → `m6i.xlarge`; null when the type is current already, is not in the table,
 * or its size is not in the table for the current family (`m3.medium`: there is no `m6i.medium`).
 */
export function currentGenerationOf(type: string): string | null {
  const t = splitType(type);
  const family = t ? CURRENT_GENERATION[t.family] : undefined;
  if (!t || !family || instanceHourly(type) === null) return null;
  const next = `${family}.${t.size}`;
  return instanceHourly(next) === null ? null : next;
}

/** The processor architecture of an instance type in the table; null when the type is not in the table. */
export function architectureOf(type: string): 'arm64' | 'x86_64' | null {
  const t = splitType(type);
  if (!t || instanceHourly(type) === null) return null;
  return ARM_FAMILIES.has(t.family) ? 'arm64' : 'x86_64';
}
