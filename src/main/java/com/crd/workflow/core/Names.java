package com.crd.workflow.core;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/** Every name, label key and hash the operator derives, in one place. */
public final class Names {
  public static final String GROUP = "workflow.crd.com";
  public static final String VERSION = "v1";
  public static final String PLURAL = "workflows";
  public static final String KIND = "Workflow";

  public static final String LABEL_MANAGED_BY = "app.kubernetes.io/managed-by";
  public static final String MANAGER = "workflow-operator";
  public static final String LABEL_WORKFLOW = GROUP + "/workflow";
  public static final String LABEL_WORKFLOW_UID = GROUP + "/workflow-uid";
  public static final String LABEL_STEP = GROUP + "/step";
  public static final String LABEL_SPEC_HASH = GROUP + "/spec-hash";
  /** A step's attempt number, on the Jobs of attempts 2 and later. */
  public static final String LABEL_ATTEMPT = GROUP + "/attempt";
  /**
   * A run of the workflow after re-runs from the failure ({@code status.reruns}), on the Jobs
   * created in run 1 and later.
   */
  public static final String LABEL_RUN = GROUP + "/run";
  /** Set to a fresh token on a Failed workflow, re-runs it from the failure (once per token). */
  public static final String ANNOTATION_RERUN = GROUP + "/rerun";
  /** Which label keys came from the workflow: relabelling may remove only these. */
  /** Set by the Job controller on a Job's pods: which Job owns the pod. */
  public static final String LABEL_JOB_NAME = "batch.kubernetes.io/job-name";
  /** The same, as Kubernetes before 1.27 set it (and still sets it beside the new one). */
  public static final String LABEL_JOB_NAME_LEGACY = "job-name";
  public static final String ANNOTATION_PROPAGATED = GROUP + "/propagated-labels";
  /** Kueue's label: the LocalQueue a Job is submitted to. */
  public static final String LABEL_KUEUE_QUEUE = "kueue.x-k8s.io/queue-name";
  /** The one selector that finds every Job this operator manages. */
  public static final String MANAGED_SELECTOR = LABEL_MANAGED_BY + "=" + MANAGER;

  public static final int MAX_LABEL = 63;
  private static final int HASH_CHARS = 12;
  private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
  private static final Pattern LABEL_VALUE =
      Pattern.compile("([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?");

  private Names() {}

  public static boolean isDnsLabel(String s) {
    return s != null && s.length() <= MAX_LABEL && DNS_LABEL.matcher(s).matches();
  }

  public static boolean isLabelValue(String s) {
    return s != null && s.length() <= MAX_LABEL && LABEL_VALUE.matcher(s).matches();
  }

  /**
   * The spec hash: the first 16 hex digits of SHA-256 over a canonical form in which steps are
   * sorted by name and each step's dependsOn is sorted and de-duplicated, so reordering either
   * list keeps the hash, while any change to a step's name, image, command (order matters),
   * dependencies or to maxStepTimeout changes it. Canonical form, one line per item:
   * {@code maxStepTimeout=<n>} then per step {@code step=<name>|image=<image>|command=<json or
   * null>|dependsOn=<a,b>}, followed by {@code |container=<canonical JSON>} when the step sets
   * other Container fields; then {@code stepDefaults=}, {@code podTemplate=} and
   * {@code queueName=} lines, each only when set. Strings are JSON-quoted so separators cannot
   * collide; appending only what is set keeps the hash of a spec that uses none of these fields
   * what it was before they existed, so upgrading the operator restarts nothing.
   * {@code parallelism} is left out: it changes no Job, only how many run at once.
   */
  public static String specHash(WorkflowSpec spec) {
    StringBuilder canon = new StringBuilder("maxStepTimeout=").append(spec.maxStepTimeout());
    List<Step> steps = new ArrayList<>(spec.steps());
    steps.sort(Comparator.comparing(s -> String.valueOf(s.stepName())));
    for (Step s : steps) {
      canon.append("\nstep=").append(quote(s.stepName()))
          .append("|image=").append(quote(s.image()))
          .append("|command=").append(s.command() == null ? "null" : quoteAll(s.command()))
          .append("|dependsOn=").append(quoteAll(s.dependsOn().stream().distinct().sorted().toList()));
      if (!s.container().isEmpty()) {
        canon.append("|container=").append(Data.canonical(s.container()));
      }
      if (s.retries() != null) {
        canon.append("|retries=").append(Data.canonical(s.retries().data()));
      }
    }
    if (!spec.stepDefaults().isEmpty()) {
      canon.append("\nstepDefaults=").append(Data.canonical(spec.stepDefaults()));
    }
    if (!spec.podTemplate().isEmpty()) {
      canon.append("\npodTemplate=").append(Data.canonical(spec.podTemplate()));
    }
    if (spec.queueName() != null) {
      canon.append("\nqueueName=").append(quote(spec.queueName()));
    }
    if (spec.retries() != null) {
      canon.append("\nretries=").append(Data.canonical(spec.retries().data()));
    }
    return sha256(canon.toString()).substring(0, 16);
  }

  /** Hash standing in for the spec hash when the spec could not even be parsed. */
  public static String errorHash(String specError) {
    return sha256("error=" + specError).substring(0, 16);
  }

  /**
   * A Job name unique per (workflow uid, workflow name, step, spec hash): a readable prefix cut
   * to fit, then a hash of the full inputs, so truncation never makes two inputs collide and the
   * result is a DNS-1123 label of at most 63 characters. Including the uid means a re-created
   * Workflow of the same name never meets the Jobs of its predecessor.
   */
  public static String jobName(String workflowName, String workflowUid, String step, String specHash) {
    return jobName(workflowName, workflowUid, step, specHash, 1);
  }

  /**
   * The Job name of one attempt of a step: attempt 1 keeps the name above; a later attempt adds
   * its number to the hashed inputs, so each attempt has its own deterministic name and a crash
   * can never create the same attempt twice.
   */
  public static String jobName(String workflowName, String workflowUid, String step,
      String specHash, int attempt) {
    return jobName(workflowName, workflowUid, step, specHash, attempt, 0);
  }

  /**
   * The Job name of one attempt of a step in run {@code run} (0 until the workflow is re-run from
   * its failure): a run after the first adds its number to the hashed inputs too.
   */
  public static String jobName(String workflowName, String workflowUid, String step,
      String specHash, int attempt, int run) {
    String hash = sha256(workflowUid + "\n" + workflowName + "\n" + step + "\n" + specHash
        + (attempt > 1 ? "\nattempt=" + attempt : "") + (run > 0 ? "\nrun=" + run : ""))
        .substring(0, HASH_CHARS);
    int budget = MAX_LABEL - HASH_CHARS - 1;
    String stepPart = sanitize(step, Math.min(step.length(), 20));
    String wfPart = sanitize(workflowName, budget - 1 - stepPart.length());
    stepPart = sanitize(step, budget - 1 - wfPart.length());
    String prefix = wfPart.isEmpty() ? stepPart : stepPart.isEmpty() ? wfPart : wfPart + "-" + stepPart;
    return prefix.isEmpty() ? "wf-" + hash : prefix + "-" + hash;
  }

  /** A label value standing for {@code value}: itself when valid, else a cut prefix plus hash. */
  public static String labelValue(String value) {
    if (isLabelValue(value)) {
      return value;
    }
    String hash = sha256(value).substring(0, 10);
    String prefix = value.replaceAll("[^A-Za-z0-9_.-]", "-");
    prefix = prefix.substring(0, Math.min(prefix.length(), MAX_LABEL - hash.length() - 1));
    prefix = prefix.replaceAll("^[^A-Za-z0-9]+|[^A-Za-z0-9]+$", "");
    return prefix.isEmpty() ? hash : prefix + "-" + hash;
  }

  /** Desired labels of a step's Job: the workflow's own labels, then the operator's (which win). */
  public static Map<String, String> jobLabels(Workflow wf, String step, String specHash) {
    Map<String, String> labels = new TreeMap<>(wf.labels());
    if (wf.spec() != null && wf.spec().queueName() != null) {
      labels.put(LABEL_KUEUE_QUEUE, wf.spec().queueName());
    }
    labels.putAll(operatorLabels(wf, step, specHash));
    return labels;
  }

  /** The workflow's label keys that a Job carries because of it (operator keys excluded). */
  public static List<String> propagatedKeys(Workflow wf) {
    return wf.labels().keySet().stream()
        .filter(k -> !k.equals(LABEL_MANAGED_BY) && !k.startsWith(GROUP + "/")
            && !(k.equals(LABEL_KUEUE_QUEUE) && wf.spec() != null && wf.spec().queueName() != null))
        .sorted().toList();
  }

  public static Map<String, String> operatorLabels(Workflow wf, String step, String specHash) {
    return Map.of(
        LABEL_MANAGED_BY, MANAGER,
        LABEL_WORKFLOW, labelValue(wf.name()),
        LABEL_WORKFLOW_UID, wf.uid(),
        LABEL_STEP, step,
        LABEL_SPEC_HASH, specHash);
  }

  /**
   * Lower case, every code point but [a-z0-9-] as '-', cut to {@code max} characters, without
   * leading or trailing '-'. A loop rather than regular expressions: this runs for every Job
   * name a tick plans.
   */
  private static String sanitize(String s, int max) {
    String lower = s.toLowerCase();
    StringBuilder out = new StringBuilder(Math.min(lower.length(), Math.max(0, max)));
    lower.codePoints().forEach(c -> out.append(
        (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ? (char) c : '-'));
    int end = Math.max(0, Math.min(out.length(), max));
    int start = 0;
    while (start < end && out.charAt(start) == '-') {
      start++;
    }
    while (end > start && out.charAt(end - 1) == '-') {
      end--;
    }
    return out.substring(start, end);
  }

  private static String quote(String s) {
    if (s == null) {
      return "null";
    }
    StringBuilder b = new StringBuilder();
    Data.quote(s, b);
    return b.toString();
  }

  private static String quoteAll(List<String> items) {
    StringBuilder b = new StringBuilder("[");
    for (int i = 0; i < items.size(); i++) {
      if (i > 0) {
        b.append(',');
      }
      if (items.get(i) == null) {
        b.append("null");
      } else {
        Data.quote(items.get(i), b);
      }
    }
    return b.append(']').toString();
  }

  /** One digest per thread: looking the algorithm up costs more than hashing a short name. */
  private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every Java runtime", e);
    }
  });

  static String sha256(String s) {
    return HexFormat.of().formatHex(SHA256.get().digest(s.getBytes(StandardCharsets.UTF_8)));
  }
}
