/**
 * EC2 on-demand list prices (Linux, USD per hour) for the instance types the fleet's
 * NodePools may launch, and the shapes the cost model fits pods onto. These are
 * estimates for reviewers, not a bill: no Savings Plans, Spot, EBS or data transfer. The EKS
 * control-plane fee per cluster-hour is in eks-calendar.ts (it depends on the support phase).
 * Every price names where it comes from and when it was read.
 */
import type { Region } from "./fleet.js";

/** vCPUs and memory of one instance type, from the EC2 instance type pages. GPUs per type are in fleet.ts. */
export interface InstanceShape {
  vcpu: number;
  memoryGiB: number;
}

export interface PriceSource {
  /** Where the number was read. */
  source: string;
  /** The day it was read or generated there (YYYY-MM-DD). */
  date: string;
  /** True when this region's price was not published in the source and another region's stands in. */
  standIn: boolean;
}

export interface InstancePrice extends PriceSource {
  instanceType: string;
  region: Region;
  usdPerHour: number;
}

/** AWS bills and quotes monthly figures as 730 hours (365 × 24 / 12); the AWS Pricing Calculator uses the same. */
export const HOURS_PER_MONTH = 730;

/**
 * The general-purpose type non-GPU pods are priced against. The general NodePool admits
 * c/m/r families of generation 6 and newer; m6i is the balanced one (4 GiB per vCPU).
 */
export const GENERAL_REFERENCE_TYPE = "m6i.xlarge";

/** https://aws.amazon.com/ec2/instance-types/ (general purpose and accelerated computing tables). */
export const INSTANCE_SHAPES: Readonly<Record<string, InstanceShape>> = {
  "m6i.xlarge": { vcpu: 4, memoryGiB: 16 },
  "g5.xlarge": { vcpu: 4, memoryGiB: 16 },
  "g5.2xlarge": { vcpu: 8, memoryGiB: 32 },
  "g5.12xlarge": { vcpu: 48, memoryGiB: 192 },
  "g6.xlarge": { vcpu: 4, memoryGiB: 16 },
  "g6.2xlarge": { vcpu: 8, memoryGiB: 32 },
  "g6.12xlarge": { vcpu: 48, memoryGiB: 192 },
  "p4d.24xlarge": { vcpu: 96, memoryGiB: 1152 },
};

/**
 * us-east-1 prices as generated into Karpenter's fallback price table,
 * aws/karpenter-provider-aws pkg/providers/pricing/zz_generated.pricing_aws.go
 * ("generated at 2026-01-19T13:23:24Z for us-east-1"), itself from the AWS Price List API.
 */
const KARPENTER_USE1: PriceSource = {
  source: "aws/karpenter-provider-aws pkg/providers/pricing/zz_generated.pricing_aws.go (AWS Price List API, us-east-1)",
  date: "2026-01-19",
  standIn: false,
};

const USE1_USD_PER_HOUR: Readonly<Record<string, number>> = {
  "m6i.xlarge": 0.192,
  "g5.xlarge": 1.006,
  "g5.2xlarge": 1.212,
  "g5.12xlarge": 5.672,
  "g6.xlarge": 0.8048,
  "g6.2xlarge": 0.9776,
  "g6.12xlarge": 4.6016,
  "p4d.24xlarge": 21.957642,
};

/**
 * The source above only carries us-east-1. us-west-2 and eu-west-1 use the same figure
 * and say so (standIn, shown on the page); eu-west-1 list prices are typically higher, so
 * its estimates are low. Replace a stand-in with the region's published price when known.
 */
const STAND_IN: PriceSource = { ...KARPENTER_USE1, standIn: true };

function regionPrices(region: Region, src: PriceSource): InstancePrice[] {
  return Object.entries(USE1_USD_PER_HOUR).map(([instanceType, usdPerHour]) => ({ instanceType, region, usdPerHour, ...src }));
}

/** Instance type × region. */
export const PRICES: readonly InstancePrice[] = [
  ...regionPrices("us-east-1", KARPENTER_USE1),
  ...regionPrices("us-west-2", STAND_IN),
  ...regionPrices("eu-west-1", STAND_IN),
];

/** The price of one instance type in one region, or undefined when the table has none. */
export function priceOf(prices: readonly InstancePrice[], instanceType: string, region: string): InstancePrice | undefined {
  return prices.find((p) => p.instanceType === instanceType && p.region === region);
}
