/** API versions: nothing removed in or deprecated by the cluster's Kubernetes version; CRD versions on the allowlist. */
import { BUILTIN_GROUPS, CRD_API_ALLOWLIST, lifecycleOf, versionAtLeast } from "./api-versions.js";
import type { ClusterRule } from "./types.js";
import { apiVersionOf, groupOf, hitOn, kindOf } from "./util.js";

export const API_RULES: readonly ClusterRule[] = [
  {
    id: "api-removed",
    scope: "cluster",
    description: "No object uses an API version its cluster's Kubernetes version no longer serves (Kubernetes deprecation guide).",
    fix: "Move the object to the replacement API version.",
    check: (ctx) =>
      ctx.spec === undefined
        ? []
        : ctx.objects.flatMap((l) => {
            const lc = lifecycleOf(apiVersionOf(l.obj), kindOf(l.obj));
            if (!lc || !versionAtLeast(ctx.spec?.kubernetesVersion ?? "0.0", lc.removed)) return [];
            return [
              hitOn(
                l,
                "apiVersion",
                `${lc.apiVersion} ${kindOf(l.obj)} was removed in Kubernetes ${lc.removed}; cluster runs ${ctx.spec?.kubernetesVersion}`,
                `Use ${lc.replacement}.`,
              ),
            ];
          }),
  },
  {
    id: "api-deprecated",
    scope: "cluster",
    description: "No object uses an API version deprecated in its cluster's Kubernetes version (removal is coming).",
    fix: "Move the object to the replacement API version.",
    check: (ctx) =>
      ctx.spec === undefined
        ? []
        : ctx.objects.flatMap((l) => {
            const v = ctx.spec?.kubernetesVersion ?? "0.0";
            const lc = lifecycleOf(apiVersionOf(l.obj), kindOf(l.obj));
            if (!lc || !versionAtLeast(v, lc.deprecated) || versionAtLeast(v, lc.removed)) return [];
            return [
              hitOn(
                l,
                "apiVersion",
                `${lc.apiVersion} ${kindOf(l.obj)} is deprecated since Kubernetes ${lc.deprecated} (removed in ${lc.removed}); cluster runs ${v}`,
                `Use ${lc.replacement}.`,
              ),
            ];
          }),
  },
  {
    id: "api-crd-allowlist",
    scope: "cluster",
    description: `CRD API versions are on the allowlist: ${CRD_API_ALLOWLIST.join(", ")}.`,
    fix: "Use an allowlisted CRD API version, or add the version to CRD_API_ALLOWLIST once its operator is installed fleet-wide.",
    check: (ctx) =>
      ctx.objects.flatMap((l) => {
        const v = apiVersionOf(l.obj);
        if (BUILTIN_GROUPS.includes(groupOf(v)) || CRD_API_ALLOWLIST.includes(v)) return [];
        return [hitOn(l, "apiVersion", `${v} is not an allowlisted CRD API version`)];
      }),
  },
];
