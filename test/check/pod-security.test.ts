/**
 * The Pod Security port (generators/check/policy/pod-security/), run on cases taken from
 * upstream's tests, kubernetes/kubernetes staging/src/k8s.io/pod-security-admission/policy/
 * check_*_test.go: each case's pod, and the fields upstream's ForbiddenDetail names (the pod,
 * or which containers), as the paths our violations carry. The check rules import the same
 * POD_CHECKS, so these tables test what `npm run check` runs.
 */
import { describe, expect, it } from "vitest";
import { POD_CHECKS, type Pod } from "../../generators/check/policy/pod-security/index.js";
import { POD_SECURITY_RULES } from "../../generators/check/policy/pod-security.js";

type Case = { name: string; pod: Pod; paths: string[] };
const pod = (spec: Record<string, unknown>, metadata: Record<string, unknown> = {}): Pod => ({ metadata, spec });
const sc = (name: string, securityContext?: Record<string, unknown>): Record<string, unknown> =>
  securityContext === undefined ? { name } : { name, securityContext };

/** Per upstream check ID: its test file's cases. */
const CASES: Record<string, Case[]> = {
  // check_seccompProfile_restricted_test.go
  seccompProfile_restricted: [
    { name: "no explicit seccomp", pod: pod({ containers: [sc("a")] }), paths: ["spec.containers[0].securityContext.seccompProfile.type"] },
    {
      name: "pod seccomp invalid",
      pod: pod({ securityContext: { seccompProfile: { type: "Unconfined" } }, containers: [sc("a")] }),
      paths: ["spec.securityContext.seccompProfile.type"],
    },
    {
      name: "containers seccomp invalid",
      pod: pod({
        securityContext: { seccompProfile: { type: "RuntimeDefault" } },
        containers: [
          sc("a"),
          sc("b", {}),
          sc("c", { seccompProfile: { type: "Unconfined" } }),
          sc("d", { seccompProfile: { type: "Unconfined" } }),
          sc("e", { seccompProfile: { type: "RuntimeDefault" } }),
          sc("f", { seccompProfile: { type: "RuntimeDefault" } }),
        ],
      }),
      paths: ["spec.containers[2].securityContext.seccompProfile.type", "spec.containers[3].securityContext.seccompProfile.type"],
    },
    {
      name: "pod nil, container fallthrough",
      pod: pod({
        containers: [
          sc("a"),
          sc("b", {}),
          sc("d", { seccompProfile: { type: "RuntimeDefault" } }),
          sc("e", { seccompProfile: { type: "RuntimeDefault" } }),
        ],
      }),
      paths: ["spec.containers[0].securityContext.seccompProfile.type", "spec.containers[1].securityContext.seccompProfile.type"],
    },
  ],
  // check_runAsNonRoot_test.go
  runAsNonRoot: [
    { name: "no explicit runAsNonRoot", pod: pod({ containers: [sc("a")] }), paths: ["spec.containers[0].securityContext.runAsNonRoot"] },
    {
      name: "pod runAsNonRoot=false",
      pod: pod({ securityContext: { runAsNonRoot: false }, containers: [sc("a")] }),
      paths: ["spec.securityContext.runAsNonRoot"],
    },
    {
      name: "containers runAsNonRoot=false",
      pod: pod({
        securityContext: { runAsNonRoot: true },
        containers: [
          sc("a"),
          sc("b", {}),
          sc("c", { runAsNonRoot: false }),
          sc("d", { runAsNonRoot: false }),
          sc("e", { runAsNonRoot: true }),
        ],
      }),
      paths: ["spec.containers[2].securityContext.runAsNonRoot", "spec.containers[3].securityContext.runAsNonRoot"],
    },
    {
      name: "pod nil, container fallthrough",
      pod: pod({ containers: [sc("a"), sc("b", {}), sc("d", { runAsNonRoot: true }), sc("e", { runAsNonRoot: true })] }),
      paths: ["spec.containers[0].securityContext.runAsNonRoot", "spec.containers[1].securityContext.runAsNonRoot"],
    },
    { name: "host users false allowed", pod: pod({ hostUsers: false, containers: [sc("a")] }), paths: [] },
  ],
  // check_runAsUser_test.go
  runAsUser: [
    {
      name: "pod runAsUser=0",
      pod: pod({ securityContext: { runAsUser: 0 }, containers: [sc("a")] }),
      paths: ["spec.securityContext.runAsUser"],
    },
    {
      name: "containers runAsUser=0",
      pod: pod({ securityContext: { runAsUser: 1000 }, containers: [sc("a"), sc("b", { runAsUser: 0 }), sc("c", { runAsUser: 1 })] }),
      paths: ["spec.containers[1].securityContext.runAsUser"],
    },
    {
      name: "UserNamespacesPodSecurityStandards enabled",
      pod: pod({ hostUsers: false, securityContext: { runAsUser: 0 }, containers: [sc("a")] }),
      paths: [],
    },
  ],
  // check_sysctls_test.go
  sysctls: [
    {
      name: "forbidden sysctls",
      pod: pod({ securityContext: { sysctls: [{ name: "a" }, { name: "b" }] } }),
      paths: ["spec.securityContext.sysctls[0].name", "spec.securityContext.sysctls[1].name"],
    },
    {
      name: "new supported sysctls",
      pod: pod({ securityContext: { sysctls: [{ name: "net.ipv4.tcp_keepalive_time" }, { name: "net.ipv4.tcp_rmem" }] } }),
      paths: [],
    },
  ],
  // check_seLinuxOptions_test.go
  seLinuxOptions: [
    {
      name: "invalid pod and containers",
      pod: pod({
        securityContext: { seLinuxOptions: { type: "foo" } },
        containers: [
          sc("a", { seLinuxOptions: { type: "container_t" } }),
          sc("b", { seLinuxOptions: { user: "bar" } }),
          sc("c", { seLinuxOptions: { role: "baz" } }),
        ],
      }),
      paths: [
        "spec.securityContext.seLinuxOptions.type",
        "spec.containers[1].securityContext.seLinuxOptions.user",
        "spec.containers[2].securityContext.seLinuxOptions.role",
      ],
    },
    {
      name: "allowed types",
      pod: pod({
        containers: [sc("a", { seLinuxOptions: { type: "container_init_t" } }), sc("b", { seLinuxOptions: { type: "container_kvm_t" } })],
      }),
      paths: [],
    },
  ],
  // check_procMount_test.go
  procMount: [
    {
      name: "procMount",
      pod: pod({
        containers: [
          sc("a"),
          sc("b", {}),
          sc("c", { procMount: "Default" }),
          sc("d", { procMount: "Unmasked" }),
          sc("e", { procMount: "other" }),
        ],
      }),
      paths: ["spec.containers[3].securityContext.procMount", "spec.containers[4].securityContext.procMount"],
    },
    { name: "procMount with hostUsers false", pod: pod({ hostUsers: false, containers: [sc("d", { procMount: "Unmasked" })] }), paths: [] },
  ],
  // check_appArmorProfile_test.go
  appArmorProfile: [
    {
      name: "unconfined annotations and fields",
      pod: pod(
        {
          securityContext: { appArmorProfile: { type: "Unconfined" } },
          containers: [
            sc("a", { appArmorProfile: { type: "Unconfined" } }),
            sc("b", { appArmorProfile: { type: "Localhost", localhostProfile: "x" } }),
          ],
        },
        {
          annotations: {
            "container.apparmor.security.beta.kubernetes.io/a": "unconfined",
            "container.apparmor.security.beta.kubernetes.io/b": "runtime/default",
            "container.apparmor.security.beta.kubernetes.io/c": "localhost/x",
          },
        },
      ),
      paths: [
        "spec.securityContext.appArmorProfile.type",
        "spec.containers[0].securityContext.appArmorProfile.type",
        'metadata.annotations["container.apparmor.security.beta.kubernetes.io/a"]',
      ],
    },
  ],
  // check_windowsHostProcess_test.go
  windowsHostProcess: [
    {
      name: "host process on pod and a container",
      pod: pod({
        securityContext: { windowsOptions: { hostProcess: true } },
        containers: [sc("a", { windowsOptions: { hostProcess: true } }), sc("b", { windowsOptions: { hostProcess: false } })],
      }),
      paths: ["spec.securityContext.windowsOptions.hostProcess", "spec.containers[0].securityContext.windowsOptions.hostProcess"],
    },
  ],
  // check_capabilities_baseline_test.go
  capabilities_baseline: [
    {
      name: "multiple containers",
      pod: pod({
        containers: [
          sc("a", { capabilities: { add: ["FOO", "BAR"] } }),
          sc("b", { capabilities: { add: ["BAR", "BAZ"] } }),
          sc("c", { capabilities: { add: ["NET_RAW", "CHOWN"] } }),
        ],
      }),
      paths: [
        "spec.containers[0].securityContext.capabilities.add[0]",
        "spec.containers[0].securityContext.capabilities.add[1]",
        "spec.containers[1].securityContext.capabilities.add[0]",
        "spec.containers[1].securityContext.capabilities.add[1]",
        "spec.containers[2].securityContext.capabilities.add[0]",
      ],
    },
  ],
  // check_capabilities_restricted_test.go
  capabilities_restricted: [
    {
      name: "multiple containers",
      pod: pod({
        containers: [
          sc("a", { capabilities: { add: ["FOO"], drop: ["ALL"] } }),
          sc("b", { capabilities: { add: ["NET_BIND_SERVICE"], drop: ["ALL"] } }),
          sc("c", { capabilities: { drop: ["NET_RAW"] } }),
        ],
      }),
      paths: ["spec.containers[0].securityContext.capabilities.add[0]", "spec.containers[2].securityContext.capabilities.drop"],
    },
    { name: "windows pod", pod: pod({ os: { name: "windows" }, containers: [sc("a")] }), paths: [] },
  ],
  // check_hostNamespaces_test.go, check_privileged_test.go, check_hostPorts_test.go, check_hostPathVolumes_test.go
  hostNamespaces: [
    {
      name: "host namespaces",
      pod: pod({ hostIPC: true, hostNetwork: true, hostPID: true }),
      paths: ["spec.hostNetwork", "spec.hostPID", "spec.hostIPC"],
    },
  ],
  privileged: [
    {
      name: "multiple containers",
      pod: pod({ containers: [sc("a", { privileged: true }), sc("b", { privileged: false }), sc("c")] }),
      paths: ["spec.containers[0].securityContext.privileged"],
    },
  ],
  hostPorts: [
    {
      name: "multiple ports",
      pod: pod({ containers: [{ name: "a", ports: [{ hostPort: 0 }, { hostPort: 10 }] }] }),
      paths: ["spec.containers[0].ports[1].hostPort"],
    },
  ],
  hostPathVolumes: [
    {
      name: "host path",
      pod: pod({
        volumes: [
          { name: "a", hostPath: {} },
          { name: "b", emptyDir: {} },
        ],
      }),
      paths: ["spec.volumes[0].hostPath"],
    },
  ],
  // check_restrictedVolumes_test.go (hostPath is pss-host-path's here)
  restrictedVolumes: [
    {
      name: "restricted volume types",
      pod: pod({
        volumes: [
          { name: "a", gcePersistentDisk: {} },
          { name: "b", nfs: {} },
          { name: "c", configMap: {} },
          { name: "d", hostPath: {} },
        ],
      }),
      paths: ["spec.volumes[0].gcePersistentDisk", "spec.volumes[1].nfs"],
    },
  ],
  // check_allowPrivilegeEscalation_test.go
  allowPrivilegeEscalation: [
    {
      name: "multiple containers",
      pod: pod({ containers: [sc("a"), sc("b", { allowPrivilegeEscalation: true }), sc("c", { allowPrivilegeEscalation: false })] }),
      paths: ["spec.containers[0].securityContext.allowPrivilegeEscalation", "spec.containers[1].securityContext.allowPrivilegeEscalation"],
    },
    { name: "windows pod", pod: pod({ os: { name: "windows" }, containers: [sc("a")] }), paths: [] },
  ],
  // check_seccompProfile_baseline_test.go
  seccompProfile_baseline: [
    {
      name: "pod and container Unconfined",
      pod: pod({
        securityContext: { seccompProfile: { type: "Unconfined" } },
        containers: [sc("a", { seccompProfile: { type: "Unconfined" } }), sc("b")],
      }),
      paths: ["spec.securityContext.seccompProfile.type", "spec.containers[0].securityContext.seccompProfile.type"],
    },
  ],
  // check_hostProbesAndhostLifecycle_test.go
  hostProbesAndhostLifecycle: [
    {
      name: "probe and hook hosts",
      pod: pod({
        containers: [
          { name: "a", livenessProbe: { httpGet: { host: "bad.host" } }, lifecycle: { preStop: { tcpSocket: { host: "bad.host" } } } },
          { name: "b", readinessProbe: { httpGet: { port: 80 } } },
        ],
      }),
      paths: ["spec.containers[0].livenessProbe.httpGet.host", "spec.containers[0].lifecycle.preStop.tcpSocket.host"],
    },
  ],
};

describe("the Pod Security port", () => {
  it("has one check per upstream check, each with its upstream cases, and one rule per check", () => {
    expect(POD_CHECKS.map((c) => c.id).sort()).toEqual(Object.keys(CASES).sort());
    expect(POD_SECURITY_RULES.map((r) => r.id)).toEqual(POD_CHECKS.map((c) => c.rule));
    for (const c of POD_CHECKS) expect(c.upstream, c.id).toMatch(/^check_\w+\.go$/);
  });

  describe.each(POD_CHECKS.map((c) => [c.id, c] as const))("%s", (id, check) => {
    it.each(CASES[id]!.map((c) => [c.name, c] as const))("%s", (_name, c) => {
      expect(check.check(c.pod).map((v) => v.path)).toEqual(c.paths);
    });

    it("admits a pod that sets nothing it restricts, with every restricted-profile field set", () => {
      const good = pod({
        securityContext: { runAsNonRoot: true, runAsUser: 10001, seccompProfile: { type: "RuntimeDefault" } },
        containers: [sc("a", { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } })],
        volumes: [{ name: "v", emptyDir: {} }],
      });
      expect(check.check(good)).toEqual([]);
    });
  });
});
