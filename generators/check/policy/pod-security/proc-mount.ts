/**
 * kubernetes/kubernetes .../pod-security-admission/policy/check_procMount.go (procMount_1_34):
 * securityContext.procMount unset or Default, except in a user-namespaced pod (hostUsers: false).
 */
import { containers, securityContext, text, userNamespaced, type PodCheck } from "./pod.js";

export const procMount: PodCheck = {
  id: "procMount",
  rule: "pss-proc-mount",
  level: "baseline",
  upstream: "check_procMount.go",
  description: "No container unmasks /proc (securityContext.procMount other than Default), unless the pod runs in its own user namespace.",
  fix: "Remove securityContext.procMount (or set it to Default).",
  check: (pod) =>
    userNamespaced(pod)
      ? []
      : containers(pod).flatMap(({ c, path, name }) => {
          const v = securityContext(c).procMount;
          return v === undefined || v === null || v === "Default"
            ? []
            : [{ path: `${path}.securityContext.procMount`, message: `container "${name}" sets procMount ${text(v)}` }];
        }),
};
