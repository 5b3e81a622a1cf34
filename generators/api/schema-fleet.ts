/**
 * The runtime description of the fleet API (fleet/fleet.ts), held to its interfaces by
 * `fields<T>()` like the tenant API's (schema.ts).
 */
import type {
  ClusterSpec,
  EksManagedAddon,
  EksSpec,
  EnvSpec,
  Fleet,
  Prerequisite,
  GpuInstanceType,
  GpuPool,
  RegionSpec,
  RolloutSpec as FleetRolloutSpec,
} from "../fleet/fleet.js";
import { ENVIRONMENTS, REGIONS } from "../fleet/fleet.js";
import {
  absent,
  array,
  boolean,
  either,
  fields,
  integer,
  map,
  oneOfValues,
  opt,
  req,
  string,
  walk,
  type Desc,
  type ShapeProblem,
} from "./shape.js";

export const FLEET_SCHEMA: Desc = fields<Fleet>({
  environments: req(
    array(
      fields<EnvSpec>({
        name: req(oneOfValues(...ENVIRONMENTS)),
        production: req(boolean),
        globalCertificateIssuer: opt(string),
      }),
    ),
  ),
  regions: req(
    array(
      fields<RegionSpec>({
        name: req(oneOfValues(...REGIONS)),
        short: req(string),
        zones: req(array(string)),
        gpuPool: req(
          either(
            absent,
            fields<GpuPool>({
              name: req(string),
              instanceTypes: req(array(fields<GpuInstanceType>({ name: req(string), gpus: req(integer) }))),
              gpuLimit: req(integer),
            }),
          ),
        ),
      }),
    ),
  ),
  clusters: req(
    array(
      fields<ClusterSpec>({
        name: req(string),
        env: req(oneOfValues(...ENVIRONMENTS)),
        region: req(oneOfValues(...REGIONS)),
        kubernetesVersion: req(string),
        efsFileSystemId: req(string),
        oidcIssuerId: opt(string),
        vpcCidr: opt(string),
      }),
    ),
  ),
  rollout: opt(
    fields<FleetRolloutSpec>({
      mode: req(oneOfValues("auto", "progressive")),
      canaryRegion: req(oneOfValues(...REGIONS)),
      maxUpdate: opt(map(either(integer, string))),
    }),
  ),
  imageRegistries: opt(array(string)),
  eks: opt(
    fields<EksSpec>({
      managedAddons: req(
        array(
          fields<EksManagedAddon>({
            name: req(oneOfValues("vpc-cni", "coredns", "kube-proxy", "eks-pod-identity-agent")),
            version: opt(string),
            configuration: opt(map(string)),
            verify: req(string),
          }),
        ),
      ),
      prerequisites: req(array(fields<Prerequisite>({ name: req(string), description: req(string), verify: req(string) }))),
    }),
  ),
});

/** Every departure of the fleet from the fleet API. */
export function fleetShapeProblems(fleet: unknown): ShapeProblem[] {
  const out: ShapeProblem[] = [];
  walk(fleet, FLEET_SCHEMA, "", out, ENVIRONMENTS);
  return out;
}
