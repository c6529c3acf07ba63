package com.crd.workflow.cli;

import com.crd.workflow.core.Data;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** One line about what a step's pod gets, for {@code plan}: names and quantities, never values. */
final class PodSummary {
  private PodSummary() {}

  static String pod(Map<String, Object> podTemplate) {
    List<String> parts = new ArrayList<>();
    String sa = Data.string(podTemplate, "serviceAccountName");
    Object automount = podTemplate.get("automountServiceAccountToken");
    boolean token = automount instanceof Boolean b ? b : sa != null;
    parts.add((sa == null ? "default service account" : "service account " + sa)
        + (token ? ", API token mounted" : ", no API token"));
    List<String> volumes = names(Data.list(podTemplate, "volumes"), "name");
    if (!volumes.isEmpty()) {
      parts.add("volumes " + String.join(", ", volumes));
    }
    for (String key : List.of("nodeSelector", "tolerations", "affinity", "imagePullSecrets",
        "securityContext", "priorityClassName", "runtimeClassName", "metadata")) {
      if (podTemplate.containsKey(key)) {
        parts.add(key);
      }
    }
    return String.join("; ", parts);
  }

  static String container(Map<String, Object> c) {
    List<String> parts = new ArrayList<>();
    List<String> env = names(Data.list(c, "env"), "name");
    if (!env.isEmpty()) {
      parts.add("env " + String.join(", ", env));
    }
    if (!Data.list(c, "envFrom").isEmpty()) {
      List<String> from = new ArrayList<>();
      for (Object e : Data.list(c, "envFrom")) {
        String cm = Data.string(Data.map(e, "configMapRef"), "name");
        String secret = Data.string(Data.map(e, "secretRef"), "name");
        from.add(cm != null ? "configMap " + cm : "secret " + secret);
      }
      parts.add("envFrom " + String.join(", ", from));
    }
    Map<String, Object> resources = Data.map(c, "resources");
    for (String kind : List.of("requests", "limits")) {
      Map<String, Object> q = Data.map(resources, kind);
      if (!q.isEmpty()) {
        List<String> each = new ArrayList<>();
        q.forEach((k, v) -> each.add(k + " " + v));
        parts.add(kind + " " + String.join(", ", each));
      }
    }
    List<String> mounts = new ArrayList<>();
    for (Object m : Data.list(c, "volumeMounts")) {
      mounts.add(Data.string(m, "name") + " at " + Data.string(m, "mountPath"));
    }
    if (!mounts.isEmpty()) {
      parts.add("mounts " + String.join(", ", mounts));
    }
    for (String key : List.of("args", "workingDir", "imagePullPolicy", "securityContext")) {
      if (c.containsKey(key)) {
        parts.add(key);
      }
    }
    return String.join("; ", parts);
  }

  private static List<String> names(List<?> items, String key) {
    List<String> out = new ArrayList<>();
    items.forEach(i -> out.add(String.valueOf(Data.string(i, key))));
    return out;
  }
}
