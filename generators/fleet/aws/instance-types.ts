/**
 * EC2 GPU instance types: the GPU model and count of each size, and which of the fleet's
 * regions offer the family. Transcribed from the AWS documentation (Amazon EC2 Instance
 * Types, "Accelerated computing": docs.aws.amazon.com/ec2/latest/instancetypes/ac.html,
 * GPU counts per size) and the regional offerings as of 2026-11; re-check a region with
 * `aws ec2 describe-instance-type-offerings --region <region> --filters Name=instance-type,Values=<type>`.
 */

export interface GpuInstanceFacts {
  /** NVIDIA GPU model. */
  gpu: "T4" | "A10G" | "L4" | "L40S" | "V100" | "A100" | "H100";
  /** GPUs per instance of this size. */
  gpus: number;
}

/** GPUs per size, per family. */
const FAMILIES: Readonly<
  Record<string, { gpu: GpuInstanceFacts["gpu"]; sizes: Readonly<Record<string, number>>; regions: readonly string[] }>
> = {
  g4dn: {
    gpu: "T4",
    sizes: { xlarge: 1, "2xlarge": 1, "4xlarge": 1, "8xlarge": 1, "16xlarge": 1, "12xlarge": 4, metal: 8 },
    regions: ["us-east-1", "us-west-2", "eu-west-1"],
  },
  g5: {
    gpu: "A10G",
    sizes: { xlarge: 1, "2xlarge": 1, "4xlarge": 1, "8xlarge": 1, "16xlarge": 1, "12xlarge": 4, "24xlarge": 4, "48xlarge": 8 },
    regions: ["us-east-1", "us-west-2", "eu-west-1"],
  },
  g6: {
    gpu: "L4",
    sizes: { xlarge: 1, "2xlarge": 1, "4xlarge": 1, "8xlarge": 1, "16xlarge": 1, "12xlarge": 4, "24xlarge": 4, "48xlarge": 8 },
    regions: ["us-east-1", "us-west-2", "eu-west-1"],
  },
  gr6: { gpu: "L4", sizes: { "4xlarge": 1, "8xlarge": 1 }, regions: ["us-east-1", "us-west-2"] },
  g6e: {
    gpu: "L40S",
    sizes: { xlarge: 1, "2xlarge": 1, "4xlarge": 1, "8xlarge": 1, "16xlarge": 1, "12xlarge": 4, "24xlarge": 4, "48xlarge": 8 },
    regions: ["us-east-1", "us-west-2"],
  },
  p3: { gpu: "V100", sizes: { "2xlarge": 1, "8xlarge": 4, "16xlarge": 8 }, regions: ["us-east-1", "us-west-2", "eu-west-1"] },
  p3dn: { gpu: "V100", sizes: { "24xlarge": 8 }, regions: ["us-east-1", "us-west-2"] },
  p4d: { gpu: "A100", sizes: { "24xlarge": 8 }, regions: ["us-east-1", "us-west-2", "eu-west-1"] },
  p4de: { gpu: "A100", sizes: { "24xlarge": 8 }, regions: ["us-east-1", "us-west-2"] },
  p5: { gpu: "H100", sizes: { "4xlarge": 1, "48xlarge": 8 }, regions: ["us-east-1", "us-west-2"] },
};

/** The facts of one instance type, or undefined when EC2 has no such GPU type. */
export function gpuInstanceType(name: string): (GpuInstanceFacts & { regions: readonly string[] }) | undefined {
  const [family = "", size = "", ...rest] = name.split(".");
  const f = FAMILIES[family];
  const gpus = f?.sizes[size];
  if (!f || gpus === undefined || rest.length > 0) return undefined;
  return { gpu: f.gpu, gpus, regions: f.regions };
}

/** Every GPU instance type known here, e.g. for a "did you mean". */
export function gpuInstanceTypeNames(): string[] {
  return Object.entries(FAMILIES).flatMap(([family, f]) => Object.keys(f.sizes).map((s) => `${family}.${s}`));
}
