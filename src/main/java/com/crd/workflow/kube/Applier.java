package com.crd.workflow.kube;

import com.crd.workflow.Log;
import com.crd.workflow.core.Action;
import com.crd.workflow.core.Action.CreateJob;
import com.crd.workflow.core.Action.DeleteJob;
import com.crd.workflow.core.Action.DeleteWorkflow;
import com.crd.workflow.core.Action.PatchJobLabels;
import com.crd.workflow.core.Action.PatchStatus;
import com.crd.workflow.core.Names;
import com.crd.workflow.core.Plan;
import com.crd.workflow.core.Statuses;
import com.crd.workflow.core.Workflow;
import com.crd.workflow.core.WorkflowEvent;
import com.crd.workflow.core.WorkflowStatus;
import com.google.gson.JsonObject;
import io.kubernetes.client.openapi.ApiException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * Carries out plans idempotently: deletes first, then creates and relabels, then one status write
 * per workflow. It keeps going past a failure and reports every error; the next tick retries.
 */
public final class Applier {
  /**
   * What one tick did. {@code carriedOut} counts the actions carried out, by kind;
   * {@code failedWorkflows} are the keys of plans with a failed action.
   */
  public record Result(int actions, List<String> errors, java.util.Set<String> failedWorkflows,
      Map<String, Integer> carriedOut, java.util.Set<String> deferredWorkflows) {}

  private final Map<String, Integer> carriedOut = new java.util.TreeMap<>();

  private final ApiCalls api;
  private final Clock clock;
  private final EventRecorder events;
  private final BooleanSupplier mayAct;
  private final RateLimiter limiter;
  /** Status writes are paid for up front (with their Events), from spare budget only. */
  private final ApiCalls statusApi;
  private final java.util.Set<String> deferred = new java.util.TreeSet<>();
  private final Map<String, java.util.Set<String>> freshUids = new java.util.HashMap<>();

  public Applier(KubeApi api, Clock clock, EventRecorder events, BooleanSupplier mayAct) {
    this(api, api.prepaid(), api.limiter(), clock, events, mayAct);
  }

  /**
   * @param api paced calls (Jobs, the orphan check)
   * @param statusApi calls whose budget the applier takes from {@code limiter} first (status)
   */
  public Applier(ApiCalls api, ApiCalls statusApi, RateLimiter limiter, Clock clock,
      EventRecorder events, BooleanSupplier mayAct) {
    this.api = api;
    this.limiter = limiter;
    this.statusApi = statusApi;
    this.clock = clock;
    this.events = events;
    this.mayAct = mayAct;
  }

  public Result apply(List<Plan> plans, Map<String, Workflow> workflows) {
    freshUids.clear();
    carriedOut.clear();
    deferred.clear();
    List<String> errors = new ArrayList<>();
    java.util.Set<String> failed = new java.util.TreeSet<>();
    int done = 0;
    for (Plan p : plans) {
      for (Action a : p.actions()) {
        if (a instanceof DeleteJob d && act(errors)) {
          done += run(errors, failed, p, d, () -> delete(d));
        } else if (a instanceof DeleteWorkflow w && act(errors)) {
          done += run(errors, failed, p, w, () -> delete(w));
        }
      }
    }
    // Jobs are the work, status is the report: every Job of this tick goes out before any status,
    // so a busy tick never holds a dependent step behind bookkeeping.
    Map<Plan, WorkflowStatus> failures = new java.util.HashMap<>();
    java.util.Set<Plan> jobsFailed = new java.util.HashSet<>();
    for (Plan p : plans) {
      for (Action a : p.actions()) {
        if (!act(errors)) {
          return new Result(done, errors, failed, Map.copyOf(carriedOut), java.util.Set.copyOf(deferred));
        }
        if (a instanceof CreateJob c) {
          try {
            String foreign = create(c);
            if (foreign != null) {
              failures.put(p, Statuses.failed(workflows.get(p.workflowKey()), p.status(),
                  Statuses.REASON_BLOCKED, foreign, clock.instant()));
              count(a, Outcome.PERMANENT);
            } else {
              count(a, Outcome.DONE);
            }
            done++;
          } catch (ApiException e) {
            Outcome o = Outcome.of(e);
            count(a, o);
            if (o == Outcome.PERMANENT) {
              // Refused for good (RBAC, quota, admission): this workflow says so and stops; the
              // others go on, and the tick is not a failure of the operator.
              String msg = "step " + c.step().stepName() + " cannot start: the API server refused its Job: "
                  + ApiCalls.text(e);
              Log.warn(msg, "namespace", c.namespace(), "workflow", c.workflowName());
              failures.put(p, Statuses.failed(workflows.get(p.workflowKey()), p.status(),
                  Statuses.REASON_REJECTED, msg.length() > 512 ? msg.substring(0, 512) : msg,
                  clock.instant()));
            } else {
              jobsFailed.add(p);
              failed.add(p.workflowKey());
              errors.add(describe(p, a, e));
            }
          } catch (RuntimeException e) {
            count(a, Outcome.TRANSIENT);
            jobsFailed.add(p);
            failed.add(p.workflowKey());
            errors.add(describe(p, a, e));
          }
        } else if (a instanceof PatchJobLabels l) {
          done += run(errors, failed, p, l, () -> relabel(l));
        }
      }
    }
    for (Plan p : plans) {
      WorkflowStatus failure = failures.get(p);
      for (Action a : p.actions()) {
        // A status claiming Jobs that failed to be created would be a lie: retry next tick.
        if (a instanceof PatchStatus s && (!jobsFailed.contains(p) || failure != null)
            && act(errors)) {
          PatchStatus write = failure == null ? s : new PatchStatus(s.namespace(), s.workflowName(),
              s.workflowUid(), s.resourceVersion(), failure,
              List.of(WorkflowEvent.warning("Failed", failure.message())));
          // Status and its Events take only spare request budget: under load they wait (the
          // workflow is looked at again shortly, and then reports its newest state at once).
          if (!limiter.tryAcquire(1 + write.events().size())) {
            deferred.add(p.workflowKey());
            continue;
          }
          done += run(errors, failed, p, write, () -> writeStatus(write));
        }
      }
    }
    return new Result(done, errors, failed, Map.copyOf(carriedOut), java.util.Set.copyOf(deferred));
  }

  private interface Call {
    Outcome run() throws ApiException;
  }

  private boolean act(List<String> errors) {
    if (mayAct.getAsBoolean()) {
      return true;
    }
    if (errors.stream().noneMatch(e -> e.startsWith("stopped"))) {
      errors.add("stopped acting: leadership lost or shutting down");
    }
    return false;
  }

  private int run(List<String> errors, java.util.Set<String> failed, Plan p, Action a, Call call) {
    try {
      count(a, call.run());
      return 1;
    } catch (ApiException e) {
      count(a, Outcome.of(e));
      errors.add(p.workflowKey() + ": " + ApiCalls.text(e));
    } catch (RuntimeException e) { // one odd object must not stop the other workflows
      count(a, Outcome.TRANSIENT);
      errors.add(p.workflowKey() + ": " + e);
    }
    failed.add(p.workflowKey());
    return 0;
  }

  /** What became of one action. */
  public enum Outcome {
    DONE, ALREADY_DONE, CONFLICT, TRANSIENT, PERMANENT;

    /** A failed call: worth retrying (throttled, server error, network), or not. */
    static Outcome of(ApiException e) {
      int code = e.getCode();
      if (code == 409) {
        return CONFLICT;
      }
      return code == 0 || code == 408 || code == 429 || code >= 500 ? TRANSIENT : PERMANENT;
    }
  }

  private void count(Action a, Outcome o) {
    carriedOut.merge(a.getClass().getSimpleName() + "/" + o.name().toLowerCase(), 1, Integer::sum);
  }

  private static String describe(Plan p, Action a, Exception e) {
    return p.workflowKey() + ": " + a.getClass().getSimpleName() + ": " + ApiCalls.text(e);
  }

  private Outcome delete(DeleteJob d) throws ApiException {
    if (d.orphanOf() != null && workflowExists(d.namespace(), d.orphanOf(), d.orphanName())) {
      // Created after this tick listed workflows (another replica, a hand-over): not an orphan.
      Log.info("job's workflow appeared meanwhile, keeping it", "namespace", d.namespace(),
          "job", d.jobName());
      return Outcome.ALREADY_DONE;
    }
    try {
      api.delete(Paths.job(d.namespace(), d.jobName()));
      Log.info("deleted job", "namespace", d.namespace(), "job", d.jobName(), "why", d.why());
      return Outcome.DONE;
    } catch (ApiException e) {
      if (e.getCode() != 404) {
        throw e;
      }
      Log.debug("job already gone", "namespace", d.namespace(), "job", d.jobName());
      return Outcome.ALREADY_DONE;
    }
  }

  private Outcome delete(DeleteWorkflow w) throws ApiException {
    try {
      api.delete(Paths.workflow(w.namespace(), w.workflowName()), w.uid());
      Log.info("deleted workflow", "namespace", w.namespace(), "workflow", w.workflowName(),
          "why", w.why());
      return Outcome.DONE;
    } catch (ApiException e) {
      // 404: already gone. 409: the uid precondition failed, a new Workflow holds the name.
      if (e.getCode() != 404 && e.getCode() != 409) {
        throw e;
      }
      Log.debug("workflow already gone", "namespace", w.namespace(), "workflow", w.workflowName());
      return Outcome.ALREADY_DONE;
    }
  }

  /**
   * Asks the API server, not the mirror, whether the workflow exists: a wrong delete is not cheap.
   * A GET of the owner named in the Job's ownerReference; without one, a LIST of the namespace's
   * workflows, once per tick and namespace.
   */
  private boolean workflowExists(String ns, String uid, String name) throws ApiException {
    if (name != null) {
      try {
        return uid.equals(Json.str(api.get(Paths.workflow(ns, name)), "metadata", "uid"));
      } catch (ApiException e) {
        if (e.getCode() == 404) {
          return false;
        }
        throw e;
      }
    }
    java.util.Set<String> uids = freshUids.get(ns);
    if (uids == null) {
      uids = new java.util.HashSet<>();
      for (JsonObject w : api.list(Paths.workflows(ns), null)) {
        uids.add(Json.str(w, "metadata", "uid"));
      }
      freshUids.put(ns, uids);
    }
    return uids.contains(uid);
  }

  /** Creates the Job; returns an error message when the name is taken by a Job that is not ours. */
  private String create(CreateJob c) throws ApiException {
    try {
      api.create(Paths.jobs(c.namespace()), JobSpecs.desiredJobJson(c));
      Log.info("created job", "namespace", c.namespace(), "workflow", c.workflowName(),
          "step", c.step().stepName(), "job", c.jobName());
      return null;
    } catch (ApiException e) {
      if (e.getCode() != 409) {
        throw e;
      }
    }
    // The name is deterministic, so 409 usually means an earlier create whose answer was lost.
    JsonObject existing = api.get(Paths.job(c.namespace(), c.jobName()));
    Map<String, String> labels = Json.strings(existing, "metadata", "labels");
    if (c.workflowUid().equals(labels.get(Names.LABEL_WORKFLOW_UID))
        && c.specHash().equals(labels.get(Names.LABEL_SPEC_HASH))) {
      Log.info("job already exists", "namespace", c.namespace(), "workflow", c.workflowName(),
          "step", c.step().stepName(), "job", c.jobName());
      return null;
    }
    String msg = "step " + c.step().stepName() + " cannot start: job " + c.jobName()
        + " already exists and does not belong to this workflow";
    Log.warn(msg, "namespace", c.namespace(), "workflow", c.workflowName());
    return msg;
  }

  private Outcome relabel(PatchJobLabels l) throws ApiException {
    JsonObject labels = new JsonObject();
    l.set().forEach(labels::addProperty);
    l.remove().forEach(k -> labels.add(k, com.google.gson.JsonNull.INSTANCE));
    JsonObject annotations = new JsonObject();
    annotations.addProperty(Names.ANNOTATION_PROPAGATED, String.join(",", l.propagatedLabels()));
    JsonObject meta = new JsonObject();
    meta.add("labels", labels);
    meta.add("annotations", annotations);
    JsonObject patch = new JsonObject();
    patch.add("metadata", meta);
    try {
      api.mergePatch(Paths.job(l.namespace(), l.jobName()), patch);
      Log.info("relabelled job", "namespace", l.namespace(), "job", l.jobName(),
          "removed", String.join(",", l.remove()));
      return Outcome.DONE;
    } catch (ApiException e) {
      if (e.getCode() != 404) {
        throw e;
      }
      return Outcome.ALREADY_DONE; // the Job is gone: nothing left to relabel
    }
  }

  private Outcome writeStatus(PatchStatus s) throws ApiException {
    JsonObject meta = new JsonObject();
    meta.addProperty("resourceVersion", s.resourceVersion()); // a concurrent writer gets a 409
    JsonObject patch = new JsonObject();
    patch.add("metadata", meta);
    patch.add("status", Convert.toJson(s.status()));
    String path = Paths.workflow(s.namespace(), s.workflowName());
    try {
      statusApi.mergePatch(path + "/status", patch);
    } catch (ApiException e) {
      if (e.getCode() == 404) {
        return Outcome.ALREADY_DONE; // deleted meanwhile: nothing to report on
      } else if (e.getCode() == 409) {
        // Planned from an older Workflow: the newer one's watch event replans it.
        Log.info("status changed meanwhile, retrying next tick", "namespace", s.namespace(),
            "workflow", s.workflowName());
        return Outcome.CONFLICT;
      } else {
        throw e;
      }
    }
    Log.info("status", "namespace", s.namespace(), "workflow", s.workflowName(),
        "status", s.status().phase(), "progress", s.status().progress(),
        "message", s.status().message());
    for (WorkflowEvent e : s.events()) {
      events.record(s.namespace(), s.workflowName(), s.workflowUid(), e);
    }
    return Outcome.DONE;
  }
}
