package com.crd.workflow.scenarios;

import static org.junit.jupiter.api.Assertions.*;

import com.crd.workflow.scenarios.ApiUsage.Use;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * {@code deploy/rbac.yaml} grants exactly what the operator used: derived from every request it
 * made to the in-process API in this run (the scenario suite, faults, churn, observability), so a
 * new call fails here until it is granted, and a grant nothing uses fails until it is removed.
 * Leases go in the namespaced Role (the operator touches them in its own namespace only);
 * everything else in the ClusterRole. The other test classes run in several JVMs at once, so this
 * one runs in a Maven test execution of its own, after all of them (see the pom).
 */
class RbacUsageTest {
  /** (apiGroup, resource, verb): what one RBAC rule line grants. */
  record Grant(String apiGroup, String resource, String verb) implements Comparable<Grant> {
    static Grant of(Use u) {
      return new Grant(u.apiGroup(), u.resource(), u.verb());
    }

    @Override
    public int compareTo(Grant o) {
      return toString().compareTo(o.toString());
    }
  }

  private static final String LEASES = "leases";

  @SuppressWarnings("unchecked")
  private static Set<Grant> grants(String kind) throws IOException {
    Set<Grant> out = new TreeSet<>();
    for (Object doc : new Yaml().loadAll(Files.readString(Path.of("deploy", "rbac.yaml")))) {
      Map<String, Object> m = (Map<String, Object>) doc;
      if (m == null || !kind.equals(m.get("kind"))) {
        continue;
      }
      for (Map<String, Object> rule : (List<Map<String, Object>>) m.get("rules")) {
        for (Object g : (List<Object>) rule.get("apiGroups")) {
          for (Object r : (List<Object>) rule.get("resources")) {
            for (Object v : (List<Object>) rule.get("verbs")) {
              out.add(new Grant(String.valueOf(g), String.valueOf(r), String.valueOf(v)));
            }
          }
        }
      }
    }
    return out;
  }

  private static Set<Use> uses() {
    String selected = System.getProperty("selectedTests", "");
    Assumptions.assumeTrue(selected.isBlank() || selected.startsWith("${"),
        "only some tests ran (-Dtest=" + selected + "): RBAC is checked against the whole `mvn test`");
    Assumptions.assumeTrue(ApiUsage.suiteRan(),
        "the in-process scenario suite did not run (run the whole `mvn test`)");
    return ApiUsage.uses();
  }

  private static Set<Grant> used(Set<Use> uses, boolean leases) {
    return uses.stream().filter(u -> u.resource().equals(LEASES) == leases).map(Grant::of)
        .collect(Collectors.toCollection(TreeSet::new));
  }

  private static Set<Grant> minus(Set<Grant> a, Set<Grant> b) {
    Set<Grant> out = new TreeSet<>(a);
    out.removeAll(b);
    return out;
  }

  @Test
  @DisplayName("the ClusterRole grants every verb the operator used on Workflows, Jobs and Events, and nothing more")
  void clusterRoleIsExactlyWhatWasUsed() throws IOException {
    Set<Grant> used = used(uses(), false);
    Set<Grant> granted = grants("ClusterRole");
    assertAll(
        () -> assertEquals(Set.of(), minus(used, granted), "used but not granted (the operator"
            + " would get 403 on a real cluster): add to the ClusterRole in deploy/rbac.yaml"),
        () -> assertEquals(Set.of(), minus(granted, used), "granted but never used in the"
            + " scenarios: remove from deploy/rbac.yaml (or add the scenario that needs it)"));
  }

  @Test
  @DisplayName("the leader-election Role grants exactly the Lease verbs used, all in one namespace")
  void roleIsExactlyTheLeaseVerbsUsed() throws IOException {
    Set<Use> uses = uses();
    Set<Grant> used = used(uses, true);
    assertFalse(used.isEmpty(), "no Lease calls: leader election never ran in the scenarios");
    assertEquals(used, grants("Role"));
    assertEquals(1, uses.stream().filter(u -> u.resource().equals(LEASES)).map(Use::namespace)
        .distinct().count(), "Leases in more than one namespace: a namespaced Role is not enough");
  }
}
