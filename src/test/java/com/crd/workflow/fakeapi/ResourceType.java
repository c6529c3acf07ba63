package com.crd.workflow.fakeapi;

import java.util.List;
import java.util.Optional;

/**
 * What the fake server knows about one resource. The flags mirror the per-type registry
 * strategies of the real API server, because clients can observe every one of them.
 *
 * @param statusSubresource writes to the main resource ignore status, and /status only writes status
 * @param generational metadata.generation is maintained (bumped on spec changes)
 * @param builtIn built-in types accept strategic merge patch; custom resources answer 415
 * @param unconditionalUpdate PUT without metadata.resourceVersion is allowed (not for custom resources)
 * @param createOnUpdate PUT of a missing object creates it (only Events do this)
 * @param defaultPropagation used when a DELETE names no policy (batch/v1 Jobs orphan, for history)
 */
record ResourceType(
    String group,
    String version,
    String plural,
    String kind,
    boolean namespaced,
    boolean statusSubresource,
    boolean generational,
    boolean builtIn,
    boolean unconditionalUpdate,
    boolean createOnUpdate,
    String defaultPropagation) {

  static final ResourceType WORKFLOWS =
      new ResourceType("workflow.crd.com", "v1", "workflows", "Workflow", true, true, true, false, false, false, "Background");
  static final ResourceType JOBS =
      new ResourceType("batch", "v1", "jobs", "Job", true, true, true, true, true, false, "Orphan");
  static final ResourceType LEASES =
      new ResourceType("coordination.k8s.io", "v1", "leases", "Lease", true, false, false, true, true, false, "Background");
  /** Written only by the simulated Job controller and kubelet (see JobController). */
  static final ResourceType PODS =
      new ResourceType("", "v1", "pods", "Pod", true, true, false, true, true, false, "Background");
  static final ResourceType EVENTS =
      new ResourceType("", "v1", "events", "Event", true, false, false, true, true, true, "Background");

  /** Served so that manifests holding what a Workflow refers to can be applied; nothing reads them. */
  static final ResourceType SECRETS =
      new ResourceType("", "v1", "secrets", "Secret", true, false, false, true, true, false, "Background");
  static final ResourceType CONFIG_MAPS =
      new ResourceType("", "v1", "configmaps", "ConfigMap", true, false, false, true, true, false, "Background");
  static final ResourceType SERVICE_ACCOUNTS =
      new ResourceType("", "v1", "serviceaccounts", "ServiceAccount", true, false, false, true, true, false, "Background");

  static final List<ResourceType> ALL =
      List.of(WORKFLOWS, JOBS, PODS, LEASES, EVENTS, SECRETS, CONFIG_MAPS, SERVICE_ACCOUNTS);

  String apiVersion() {
    return group.isEmpty() ? version : group + "/" + version;
  }

  String listKind() {
    return kind + "List";
  }

  /** "jobs.batch", or just "events" for the core group: how the server names it in messages. */
  String qualifiedResource() {
    return group.isEmpty() ? plural : plural + "." + group;
  }

  /** "Job.batch": how validation errors name the kind. */
  String qualifiedKind() {
    return group.isEmpty() ? kind : kind + "." + group;
  }

  static Optional<ResourceType> find(String group, String version, String plural) {
    return ALL.stream()
        .filter(t -> t.group.equals(group) && t.version.equals(version) && t.plural.equals(plural))
        .findFirst();
  }

  static ResourceType byPlural(String plural) {
    return ALL.stream()
        .filter(t -> t.plural.equals(plural))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("unknown resource " + plural));
  }
}
