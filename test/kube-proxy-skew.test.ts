/**
 * The fleet's kube-proxy pin against Kubernetes' version skew policy, with the policy's own
 * example (kubernetes.io/releases/version-skew-policy, "kube-proxy": with kube-apiserver at
 * 1.33, kube-proxy is supported at 1.33, 1.32, 1.31 and 1.30).
 */
import { describe, expect, it } from "vitest";
import { kubeProxySkew } from "../generators/api/validate.js";
import { DEFAULT_FLEET } from "../generators/fleet/fleet.js";
import { EKS_CALENDAR, eksAddonVersion } from "../generators/fleet/eks-calendar.js";

describe("kube-proxy version skew", () => {
  it.each(["v1.33.3-eksbuild.10", "v1.32.6-eksbuild.8", "v1.31.10-eksbuild.8", "v1.30.14-eksbuild.8"])(
    "admits %s on a 1.33 API server",
    (v) => {
      expect(kubeProxySkew(v, "1.33")).toBeUndefined();
    },
  );

  it("refuses a kube-proxy newer than the API server, or four minors older", () => {
    expect(kubeProxySkew("v1.34.1-eksbuild.2", "1.33")).toBe("kube-proxy 1.34 is newer than the API server");
    expect(kubeProxySkew("v1.29.15-eksbuild.16", "1.33")).toBe("kube-proxy 1.29 is 4 minor versions older than the API server (at most 3)");
    expect(kubeProxySkew("latest", "1.33")).toMatch(/not a kube-proxy version/);
  });

  it("holds for the kube-proxy every committed cluster runs (the pin, else the calendar's version for its minor)", () => {
    const addon = DEFAULT_FLEET.eks?.managedAddons.find((a) => a.name === "kube-proxy");
    expect(addon).toBeDefined();
    for (const c of DEFAULT_FLEET.clusters) {
      const version = addon?.version ?? eksAddonVersion("kube-proxy", c.kubernetesVersion);
      expect(version, c.name).toBeDefined();
      expect(kubeProxySkew(version ?? "", c.kubernetesVersion), c.name).toBeUndefined();
    }
  });

  it("the calendar lists for each minor a kube-proxy of exactly that minor, as EKS's table does", () => {
    for (const e of EKS_CALENDAR) {
      expect(e.addons["kube-proxy"].startsWith(`v${e.minor}.`), e.minor).toBe(true);
      expect(kubeProxySkew(e.addons["kube-proxy"], e.minor), e.minor).toBeUndefined();
    }
  });
});
