/**
 * Availability zones per AWS region (the zone names every account sees; which physical
 * zone a name maps to differs per account). From the AWS documentation ("Regions and
 * Zones", docs.aws.amazon.com/AWSEC2/latest/UserGuide/using-regions-availability-zones.html);
 * verify with `aws ec2 describe-availability-zones --region <region> --query 'AvailabilityZones[].ZoneName'`.
 */
export const AVAILABILITY_ZONES: Readonly<Record<string, readonly string[]>> = {
  "us-east-1": ["us-east-1a", "us-east-1b", "us-east-1c", "us-east-1d", "us-east-1e", "us-east-1f"],
  "us-east-2": ["us-east-2a", "us-east-2b", "us-east-2c"],
  "us-west-1": ["us-west-1a", "us-west-1b", "us-west-1c"],
  "us-west-2": ["us-west-2a", "us-west-2b", "us-west-2c", "us-west-2d"],
  "eu-west-1": ["eu-west-1a", "eu-west-1b", "eu-west-1c"],
  "eu-west-2": ["eu-west-2a", "eu-west-2b", "eu-west-2c"],
  "eu-central-1": ["eu-central-1a", "eu-central-1b", "eu-central-1c"],
};

/** Why a zone cannot be used in a region, or undefined. */
export function zoneProblem(region: string, zone: string): string | undefined {
  const zones = AVAILABILITY_ZONES[region];
  if (!zones) return undefined;
  if (zones.includes(zone)) return undefined;
  const owner = Object.entries(AVAILABILITY_ZONES).find(([, z]) => z.includes(zone))?.[0];
  return owner
    ? `is a zone of ${owner}, not of ${region}; ${region} has ${zones.join(", ")}`
    : `${region} has no such availability zone; it has ${zones.join(", ")}`;
}
