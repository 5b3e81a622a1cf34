/** A ServiceAccount per app, with its token unmounted unless the app asks for API access. */
import { ServiceAccount } from "kubernetes-models/v1/ServiceAccount";
import { Role } from "kubernetes-models/rbac.authorization.k8s.io/v1/Role";
import { RoleBinding } from "kubernetes-models/rbac.authorization.k8s.io/v1/RoleBinding";
import type { AppSpec, TenantSpec } from "../api/tenant.js";
import type { KubeObject } from "./object.js";
import { appLabels, tenantNamespace } from "./labels.js";

export function buildIdentity(tenant: TenantSpec, app: AppSpec): KubeObject[] {
  const namespace = tenantNamespace(tenant);
  const labels = appLabels(tenant, app);
  const objects: KubeObject[] = [
    new ServiceAccount({ metadata: { name: app.name, namespace, labels }, automountServiceAccountToken: app.apiAccess !== undefined }),
  ];
  if (app.apiAccess) {
    objects.push(
      new Role({
        metadata: { name: app.name, namespace, labels },
        rules: app.apiAccess.rules.map((r) => ({ apiGroups: [...r.apiGroups], resources: [...r.resources], verbs: [...r.verbs] })),
      }),
      new RoleBinding({
        metadata: { name: app.name, namespace, labels },
        roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: app.name },
        subjects: [{ kind: "ServiceAccount", name: app.name, namespace }],
      }),
    );
  }
  return objects;
}
