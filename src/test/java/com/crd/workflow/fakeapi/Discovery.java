package com.crd.workflow.fakeapi;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * /version, health checks and the discovery documents (/api, /apis, /apis/{group}[/{version}]),
 * enough for clients that look before they leap.
 */
final class Discovery {
  private final Supplier<String> hostPort;

  Discovery(Supplier<String> hostPort) {
    this.hostPort = hostPort;
  }

  /** The document for a discovery path, or null when the path is not a discovery path. */
  JsonElement document(String path) {
    String p = path.endsWith("/") && path.length() > 1 ? path.substring(0, path.length() - 1) : path;
    switch (p) {
      case "/version" -> {
        return version();
      }
      case "/healthz", "/livez", "/readyz" -> {
        return new com.google.gson.JsonPrimitive("ok");
      }
      case "/api" -> {
        JsonObject o = new JsonObject();
        o.addProperty("kind", "APIVersions");
        JsonArray versions = new JsonArray();
        versions.add("v1");
        o.add("versions", versions);
        JsonArray addresses = new JsonArray();
        JsonObject address = new JsonObject();
        address.addProperty("clientCIDR", "0.0.0.0/0");
        address.addProperty("serverAddress", hostPort.get());
        addresses.add(address);
        o.add("serverAddressByClientCIDRs", addresses);
        return o;
      }
      case "/apis" -> {
        JsonObject o = new JsonObject();
        o.addProperty("kind", "APIGroupList");
        o.addProperty("apiVersion", "v1");
        JsonArray groups = new JsonArray();
        groupNames().forEach(g -> groups.add(group(g)));
        o.add("groups", groups);
        return o;
      }
      case "/api/v1" -> {
        return resourceList("", "v1");
      }
      default -> {
        String[] s = p.split("/");
        if (s.length == 3 && s[1].equals("apis") && groupNames().contains(s[2])) {
          JsonObject g = group(s[2]);
          g.addProperty("kind", "APIGroup");
          g.addProperty("apiVersion", "v1");
          return g;
        }
        if (s.length == 4 && s[1].equals("apis") && groupNames().contains(s[2])) {
          return resourceList(s[2], s[3]);
        }
        return null;
      }
    }
  }

  private static Set<String> groupNames() {
    Set<String> names = new LinkedHashSet<>();
    ResourceType.ALL.stream().filter(t -> !t.group().isEmpty()).forEach(t -> names.add(t.group()));
    return names;
  }

  private static JsonObject group(String name) {
    JsonObject g = new JsonObject();
    g.addProperty("name", name);
    JsonArray versions = new JsonArray();
    JsonObject preferred = null;
    for (ResourceType t : ResourceType.ALL) {
      if (t.group().equals(name)) {
        JsonObject v = new JsonObject();
        v.addProperty("groupVersion", t.apiVersion());
        v.addProperty("version", t.version());
        if (!versions.contains(v)) {
          versions.add(v);
        }
        preferred = v;
      }
    }
    g.add("versions", versions);
    g.add("preferredVersion", preferred);
    return g;
  }

  private static JsonElement resourceList(String group, String version) {
    List<ResourceType> types = ResourceType.ALL.stream()
        .filter(t -> t.group().equals(group) && t.version().equals(version)).toList();
    if (types.isEmpty()) {
      return null;
    }
    JsonObject o = new JsonObject();
    o.addProperty("kind", "APIResourceList");
    o.addProperty("apiVersion", "v1");
    o.addProperty("groupVersion", types.get(0).apiVersion());
    JsonArray resources = new JsonArray();
    for (ResourceType t : types) {
      resources.add(resource(t.plural(), t, List.of("create", "delete", "deletecollection", "get", "list",
          "patch", "update", "watch")));
      if (t.statusSubresource()) {
        resources.add(resource(t.plural() + "/status", t, List.of("get", "patch", "update")));
      }
    }
    o.add("resources", resources);
    return o;
  }

  private static JsonObject resource(String name, ResourceType t, List<String> verbs) {
    JsonObject r = new JsonObject();
    r.addProperty("name", name);
    r.addProperty("singularName", name.contains("/") ? "" : t.kind().toLowerCase());
    r.addProperty("namespaced", t.namespaced());
    r.addProperty("kind", t.kind());
    JsonArray v = new JsonArray();
    verbs.forEach(v::add);
    r.add("verbs", v);
    return r;
  }

  private static JsonObject version() {
    JsonObject v = new JsonObject();
    v.addProperty("major", "1");
    v.addProperty("minor", "31");
    v.addProperty("gitVersion", "v1.31.0-fakeapi");
    v.addProperty("gitCommit", "0000000000000000000000000000000000000000");
    v.addProperty("gitTreeState", "clean");
    v.addProperty("buildDate", "2024-08-13T00:00:00Z");
    v.addProperty("goVersion", "go1.22.5");
    v.addProperty("compiler", "gc");
    v.addProperty("platform", "linux/amd64");
    return v;
  }
}
