package com.crd.workflow.observe;

import com.crd.workflow.core.ObservedJob;
import com.crd.workflow.core.PodStory;
import com.crd.workflow.core.Workflow;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;

/**
 * What the API server last said about Workflows, managed Jobs and their pods, fed by LISTs and
 * watch events.
 * It holds observation only, never a decision: a restart rebuilds it from a LIST and the planner
 * gets the same inputs. It remembers which workflows changed since the last {@link #take}, so a
 * tick plans only those.
 *
 * <p>Consistency: one lock guards everything. Events are applied under it one at a time, and
 * {@link #take} copies the inputs of a tick under it, so a tick sees the mirror as of one instant
 * (never half of an event, never a Job without the Workflow event that came before it on the
 * same stream). The records are immutable, so copying means copying references: the lock is held
 * for microseconds per planned workflow, and events never wait for planning or API calls.
 */
public final class Mirror {
  private final Object lock = new Object();
  private final Map<String, Workflow> workflows = new HashMap<>(); // namespace/name
  private final Map<String, String> workflowByOwner = new HashMap<>(); // namespace/uid -> namespace/name
  private final Map<String, ObservedJob> jobs = new HashMap<>(); // namespace/name
  private final Map<String, Map<String, ObservedJob>> jobsByOwner = new HashMap<>(); // namespace/uid
  private final Map<String, PodStory> pods = new HashMap<>(); // namespace/name
  private final Map<String, Map<String, PodStory>> podsByJob = new HashMap<>(); // namespace/job name
  private final Set<String> dirty = new HashSet<>(); // owner keys (namespace/uid)
  private final Runnable onChange;

  /** @param onChange called (outside the lock) after a change that a tick should look at */
  public Mirror(Runnable onChange) {
    this.onChange = onChange;
  }

  public static String owner(Workflow wf) {
    return wf.namespace() + "/" + wf.uid();
  }

  public static String owner(ObservedJob j) {
    return j.namespace() + "/" + j.workflowUid();
  }

  public static String key(String namespace, String name) {
    return namespace + "/" + name;
  }

  // ---------------------------------------------------------------- writes (reflectors)

  public void putWorkflow(Workflow wf) {
    write(() -> putWorkflowLocked(wf));
  }

  public void removeWorkflow(String namespace, String name) {
    write(() -> removeWorkflowLocked(key(namespace, name)));
  }

  public void putJob(ObservedJob job) {
    write(() -> putJobLocked(job));
  }

  public void removeJob(String namespace, String name) {
    write(() -> removeJobLocked(key(namespace, name)));
  }

  /**
   * After a LIST: the Workflows of {@code namespace} (null: all namespaces) are exactly
   * {@code listed}. Only what differs from before is marked changed.
   */
  public void replaceWorkflows(String namespace, Collection<Workflow> listed) {
    replaceWorkflows(namespace, listed, k -> false);
  }

  /**
   * Like {@link #replaceWorkflows(String, Collection)}, but leaves alone the keys
   * ("namespace/name") that {@code newer} names: a watch delivered them while the list ran, so
   * the mirror's copy is at least as new as the list's.
   */
  public void replaceWorkflows(String namespace, Collection<Workflow> listed, Predicate<String> newer) {
    Set<String> seen = new HashSet<>();
    for (Workflow wf : listed) {
      seen.add(key(wf.namespace(), wf.name()));
      if (!newer.test(key(wf.namespace(), wf.name()))) {
        putWorkflow(wf);
      }
    }
    retainWorkflows(namespace, seen, newer);
  }

  /** After a LIST that was put item by item: drops the Workflows of the scope it did not name. */
  public void retainWorkflows(String namespace, Set<String> listed, Predicate<String> newer) {
    boolean changed = false;
    synchronized (lock) {
      for (String k : List.copyOf(workflows.keySet())) {
        if (inScope(namespace, workflows.get(k).namespace()) && !listed.contains(k)
            && !newer.test(k)) {
          changed |= removeWorkflowLocked(k);
        }
      }
    }
    if (changed) {
      onChange.run();
    }
  }

  /** After a LIST: the managed Jobs of {@code namespace} (null: all) are exactly {@code listed}. */
  public void replaceJobs(String namespace, Collection<ObservedJob> listed) {
    replaceJobs(namespace, listed, k -> false);
  }

  /** Like {@link #replaceWorkflows(String, Collection, Predicate)}, for Jobs. */
  public void replaceJobs(String namespace, Collection<ObservedJob> listed, Predicate<String> newer) {
    Set<String> seen = new HashSet<>();
    for (ObservedJob j : listed) {
      seen.add(key(j.namespace(), j.name()));
      if (!newer.test(key(j.namespace(), j.name()))) {
        putJob(j);
      }
    }
    retainJobs(namespace, seen, newer);
  }

  /** After a LIST that was put item by item: drops the Jobs of the scope it did not name. */
  public void retainJobs(String namespace, Set<String> listed, Predicate<String> newer) {
    boolean changed = false;
    synchronized (lock) {
      for (String k : List.copyOf(jobs.keySet())) {
        if (inScope(namespace, jobs.get(k).namespace()) && !listed.contains(k) && !newer.test(k)) {
          changed |= removeJobLocked(k);
        }
      }
    }
    if (changed) {
      onChange.run();
    }
  }

  /**
   * A managed pod was seen. Its workflow is planned again, as for a Job event: a pod that cannot
   * pull its image changes the step's message while its Job does not change at all.
   */
  public void putPod(PodStory pod) {
    write(() -> putPodLocked(pod));
  }

  public void removePod(String namespace, String name) {
    write(() -> removePodLocked(key(namespace, name)));
  }

  /** After a LIST that was put item by item: drops the pods of the scope it did not name. */
  public void retainPods(String namespace, Set<String> listed, Predicate<String> newer) {
    boolean changed = false;
    synchronized (lock) {
      for (String k : List.copyOf(pods.keySet())) {
        if (inScope(namespace, pods.get(k).namespace()) && !listed.contains(k) && !newer.test(k)) {
          changed |= removePodLocked(k);
        }
      }
    }
    if (changed) {
      onChange.run();
    }
  }

  /** Applies one change under the lock; wakes the loop, outside it, if anything changed. */
  private void write(java.util.function.BooleanSupplier change) {
    boolean changed;
    synchronized (lock) {
      changed = change.getAsBoolean();
    }
    if (changed) {
      onChange.run();
    }
  }

  /** Marks workflows to be planned on the next tick (a retry after a failed action). */
  public void touch(Collection<String> owners) {
    synchronized (lock) {
      dirty.addAll(owners);
    }
  }

  private static boolean inScope(String scope, String namespace) {
    return scope == null || scope.equals(namespace);
  }

  private boolean putWorkflowLocked(Workflow wf) {
    String k = key(wf.namespace(), wf.name());
    Workflow old = workflows.put(k, wf);
    if (Objects.equals(old, wf)) {
      return false;
    }
    if (old != null && !Objects.equals(old.uid(), wf.uid())) {
      workflowByOwner.remove(owner(old));
      dirty.add(owner(old)); // its Jobs are now orphans
    }
    workflowByOwner.put(owner(wf), k);
    dirty.add(owner(wf));
    return true;
  }

  private boolean removeWorkflowLocked(String k) {
    Workflow old = workflows.remove(k);
    if (old == null) {
      return false;
    }
    workflowByOwner.remove(owner(old));
    dirty.add(owner(old));
    return true;
  }

  private boolean putJobLocked(ObservedJob j) {
    String k = key(j.namespace(), j.name());
    ObservedJob old = jobs.put(k, j);
    if (Objects.equals(old, j)) {
      return false;
    }
    if (old != null && !owner(old).equals(owner(j))) {
      dropFromOwner(old);
    }
    jobsByOwner.computeIfAbsent(owner(j), o -> new HashMap<>()).put(j.name(), j);
    dirty.add(owner(j));
    return true;
  }

  private boolean removeJobLocked(String k) {
    ObservedJob old = jobs.remove(k);
    if (old == null) {
      return false;
    }
    dropFromOwner(old);
    return true;
  }

  private void dropFromOwner(ObservedJob j) {
    Map<String, ObservedJob> siblings = jobsByOwner.get(owner(j));
    if (siblings != null) {
      siblings.remove(j.name());
      if (siblings.isEmpty()) {
        jobsByOwner.remove(owner(j));
      }
    }
    dirty.add(owner(j));
  }

  private boolean putPodLocked(PodStory p) {
    String k = key(p.namespace(), p.name());
    if (p.jobName() == null || !p.tellsSomething()) {
      // Not a Job's pod, or one that is running or succeeded: it explains nothing, and dropping
      // it keeps the mirror small (most of 100,000 pods succeed). A waiting pod that starts
      // running is dropped here too, so its old waiting reason goes with it.
      return removePodLocked(k);
    }
    PodStory old = pods.put(k, p);
    if (Objects.equals(old, p)) {
      return false;
    }
    if (old != null && !Objects.equals(old.jobName(), p.jobName())) {
      dropFromJob(old);
    }
    podsByJob.computeIfAbsent(key(p.namespace(), p.jobName()), j -> new HashMap<>()).put(p.name(), p);
    markJobOwner(p);
    return true;
  }

  private boolean removePodLocked(String k) {
    PodStory old = pods.remove(k);
    if (old == null) {
      return false;
    }
    dropFromJob(old);
    return true;
  }

  private void dropFromJob(PodStory p) {
    String j = key(p.namespace(), p.jobName());
    Map<String, PodStory> siblings = podsByJob.get(j);
    if (siblings != null) {
      siblings.remove(p.name());
      if (siblings.isEmpty()) {
        podsByJob.remove(j);
      }
    }
    markJobOwner(p);
  }

  /** A pod seen before its Job marks nothing: the Job's own event will. */
  private void markJobOwner(PodStory p) {
    ObservedJob job = jobs.get(key(p.namespace(), p.jobName()));
    if (job != null) {
      dirty.add(owner(job));
    }
  }

  /**
   * The Job with its newest pod that explains something attached (the latest creation, then the
   * last name).
   */
  private ObservedJob withPod(ObservedJob j) {
    Map<String, PodStory> ps = podsByJob.get(key(j.namespace(), j.name()));
    if (ps == null) {
      return j;
    }
    PodStory latest = null;
    for (PodStory p : ps.values()) {
      if (latest == null || newer(p, latest)) {
        latest = p;
      }
    }
    return j.withPod(latest);
  }

  private static boolean newer(PodStory a, PodStory b) {
    if (a.creation() != null && b.creation() != null && !a.creation().equals(b.creation())) {
      return a.creation().isAfter(b.creation());
    }
    return a.name().compareTo(b.name()) > 0;
  }

  private List<ObservedJob> withPods(Map<String, ObservedJob> js) {
    if (js == null) {
      return List.of();
    }
    List<ObservedJob> out = new ArrayList<>(js.size());
    for (ObservedJob j : js.values()) {
      out.add(withPod(j));
    }
    return List.copyOf(out);
  }

  // ---------------------------------------------------------------- reads (the tick)

  /**
   * The inputs of one tick, taken at one instant: every workflow when {@code all}, else those
   * changed since the last take plus {@code due}. Clears the changed set.
   */
  public Observation take(boolean all, Collection<String> due) {
    synchronized (lock) {
      Set<String> owners;
      if (all) {
        owners = new HashSet<>(workflowByOwner.keySet());
        owners.addAll(jobsByOwner.keySet());
      } else {
        owners = new HashSet<>(dirty);
        owners.addAll(due);
      }
      dirty.clear();
      return observe(owners);
    }
  }

  private Observation observe(Collection<String> owners) {
    {
      List<Workflow> planned = new ArrayList<>();
      Map<String, List<ObservedJob>> jobsOf = new HashMap<>();
      List<ObservedJob> orphans = new ArrayList<>();
      for (String o : owners) {
        String wfKey = workflowByOwner.get(o);
        Map<String, ObservedJob> js = jobsByOwner.get(o);
        if (wfKey != null) {
          planned.add(workflows.get(wfKey));
          jobsOf.put(o, withPods(js));
        } else if (js != null) {
          orphans.addAll(js.values());
        }
      }
      return new Observation(planned, jobsOf, orphans, workflows.size(), jobs.size());
    }
  }

  /** Every owner key (namespace/uid) with a Workflow or Jobs, sorted: a full sweep's worklist. */
  public List<String> owners() {
    synchronized (lock) {
      Set<String> all = new java.util.TreeSet<>(workflowByOwner.keySet());
      all.addAll(jobsByOwner.keySet());
      return List.copyOf(all);
    }
  }

  /** Every observed managed Job, for decisions shared by all workflows (the global cap). */
  public List<ObservedJob> jobs() {
    synchronized (lock) {
      return List.copyOf(jobs.values());
    }
  }

  /** Owners of the workflows whose status is not final (or not written yet). */
  public List<String> unfinishedOwners() {
    synchronized (lock) {
      List<String> out = new ArrayList<>();
      for (Workflow wf : workflows.values()) {
        if (wf.status() == null || wf.status().phase() == null || !wf.status().phase().isFinal()) {
          out.add(owner(wf));
        }
      }
      return out;
    }
  }

  /** True when something changed since the last {@link #take}. */
  public boolean changed() {
    synchronized (lock) {
      return !dirty.isEmpty();
    }
  }

  /** The inputs for these owners, as they are now (a chunk of a full sweep). */
  public Observation takeOwners(Collection<String> owners) {
    synchronized (lock) {
      return observe(owners);
    }
  }

  /** Every observed Workflow, for metrics and views. */
  public List<Workflow> workflows() {
    synchronized (lock) {
      return List.copyOf(workflows.values());
    }
  }

  /** The observed Jobs of one workflow, each with its latest pod. */
  public List<ObservedJob> jobsOf(Workflow wf) {
    synchronized (lock) {
      return withPods(jobsByOwner.get(owner(wf)));
    }
  }

  /** Every observed managed pod, for metrics. */
  public List<PodStory> pods() {
    synchronized (lock) {
      return List.copyOf(pods.values());
    }
  }

  /** Attempts of a managed Job ({@code namespace/name}), or null when the mirror has no such Job. */
  public Integer attempts(String job) {
    synchronized (lock) {
      ObservedJob j = jobs.get(job);
      return j == null ? null : j.attempts();
    }
  }

  public Workflow workflow(String namespace, String name) {
    synchronized (lock) {
      return workflows.get(key(namespace, name));
    }
  }

  /** What one tick plans from: the workflows to plan, their Jobs, and Jobs with no workflow. */
  public record Observation(List<Workflow> workflows, Map<String, List<ObservedJob>> jobsByOwner,
      List<ObservedJob> orphans, int totalWorkflows, int totalJobs) {
    public List<ObservedJob> jobsOf(Workflow wf) {
      return jobsByOwner.getOrDefault(owner(wf), List.of());
    }
  }
}
