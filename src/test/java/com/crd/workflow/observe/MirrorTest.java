package com.crd.workflow.observe;

import static org.junit.jupiter.api.Assertions.*;

import com.crd.workflow.core.Names;
import com.crd.workflow.core.ObservedJob;
import com.crd.workflow.core.ObservedJob.JobPhase;
import com.crd.workflow.core.Workflow;
import com.crd.workflow.core.WorkflowSpec;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The mirror: what changed since the last take, orphans, and lists that replace a scope. */
class MirrorTest {
  private final AtomicInteger wakes = new AtomicInteger();
  private final Mirror mirror = new Mirror(wakes::incrementAndGet);

  private static Workflow wf(String ns, String name, String uid, String rv) {
    return new Workflow(ns, name, uid, Map.of(), 1, rv, false, new WorkflowSpec(60, List.of()),
        null, null);
  }

  private static ObservedJob job(String ns, String name, String uid, JobPhase phase) {
    return new ObservedJob(ns, name, Map.of(Names.LABEL_MANAGED_BY, Names.MANAGER,
        Names.LABEL_WORKFLOW_UID, uid), List.of(), phase, null, null, null, null, false, null);
  }

  private static Set<String> names(Mirror.Observation o) {
    return o.workflows().stream().map(Workflow::name).collect(Collectors.toSet());
  }

  @Test
  @DisplayName("a tick takes only what changed, and nothing twice")
  void takesWhatChanged() {
    mirror.replaceWorkflows(null, List.of(wf("ns", "a", "ua", "1"), wf("ns", "b", "ub", "1")));
    assertEquals(Set.of("a", "b"), names(mirror.take(false, List.of())));
    assertEquals(Set.of(), names(mirror.take(false, List.of())));
    mirror.putJob(job("ns", "b-1", "ub", JobPhase.RUNNING));
    Mirror.Observation o = mirror.take(false, List.of());
    assertEquals(Set.of("b"), names(o));
    assertEquals(1, o.jobsOf(o.workflows().get(0)).size());
    assertEquals(Set.of("a"), names(mirror.take(false, List.of("ns/ua"))), "a due timer");
    assertEquals(Set.of("a", "b"), names(mirror.take(true, List.of())), "a full tick");
  }

  @Test
  @DisplayName("an event that repeats what the mirror holds changes nothing and wakes no one")
  void repeatsAreQuiet() {
    mirror.putWorkflow(wf("ns", "a", "ua", "1"));
    mirror.take(false, List.of());
    int before = wakes.get();
    mirror.putWorkflow(wf("ns", "a", "ua", "1"));
    mirror.replaceWorkflows("ns", List.of(wf("ns", "a", "ua", "1")));
    assertEquals(before, wakes.get());
    assertEquals(Set.of(), names(mirror.take(false, List.of())));
  }

  @Test
  @DisplayName("Jobs whose workflow is gone are handed over as orphans")
  void orphans() {
    mirror.putWorkflow(wf("ns", "a", "ua", "1"));
    mirror.putJob(job("ns", "a-1", "ua", JobPhase.SUCCEEDED));
    mirror.take(false, List.of());
    mirror.removeWorkflow("ns", "a");
    Mirror.Observation o = mirror.take(false, List.of());
    assertEquals(List.of(), o.workflows());
    assertEquals(List.of("a-1"), o.orphans().stream().map(ObservedJob::name).toList());
  }

  @Test
  @DisplayName("a LIST replaces its own namespace only, and deletions it reveals are changes")
  void listReplacesItsScope() {
    mirror.replaceJobs("x", List.of(job("x", "j1", "u", JobPhase.RUNNING)));
    mirror.replaceJobs("y", List.of(job("y", "j2", "u", JobPhase.RUNNING)));
    mirror.take(true, List.of());
    mirror.replaceJobs("x", List.of());
    Mirror.Observation o = mirror.take(false, List.of());
    assertEquals(List.of(), o.orphans().stream().filter(j -> j.namespace().equals("x")).toList());
    assertEquals(List.of("j2"), mirror.take(true, List.of()).orphans().stream()
        .map(ObservedJob::name).toList());
  }

  @Test
  @DisplayName("a workflow re-created under the same name: the old uid's Jobs become orphans")
  void recreatedWorkflow() {
    mirror.putWorkflow(wf("ns", "a", "old", "1"));
    mirror.putJob(job("ns", "a-1", "old", JobPhase.RUNNING));
    mirror.take(false, List.of());
    mirror.putWorkflow(wf("ns", "a", "new", "5"));
    Mirror.Observation o = mirror.take(false, List.of());
    assertEquals(List.of("new"), o.workflows().stream().map(Workflow::uid).toList());
    assertEquals(List.of("a-1"), o.orphans().stream().map(ObservedJob::name).toList());
  }
}
