package com.crd.workflow;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

/**
 * Ends a test run with one line per group of skipped tests and why, e.g. {@code 13 tests of
 * K3sScenariosTest skipped: no Docker engine}: a green build says what it did not test.
 * Registered in {@code META-INF/services/org.junit.platform.launcher.TestExecutionListener}.
 * Surefire sends a test JVM's output to report files, so the lines also go to a file of their own
 * in the folder named by the {@code skipSummaryDir} system property (the test classes run in
 * several JVMs, each running many test plans), which {@code make test} prints last, sorted.
 */
public final class SkipSummary implements TestExecutionListener {
  private static final AtomicInteger PLANS = new AtomicInteger();
  private final Map<String, Integer> skipped = new TreeMap<>();
  private TestPlan plan;

  @Override
  public void testPlanExecutionStarted(TestPlan testPlan) {
    plan = testPlan;
    skipped.clear();
  }

  @Override
  public void executionSkipped(TestIdentifier id, String reason) {
    long tests = id.isTest() ? 1 : plan.getDescendants(id).stream().filter(TestIdentifier::isTest).count();
    add(id, tests, reason);
  }

  @Override
  public void executionFinished(TestIdentifier id, TestExecutionResult result) {
    if (result.getStatus() != TestExecutionResult.Status.ABORTED) {
      return; // an assumption that did not hold aborts: skipped, with the assumption as reason
    }
    String reason = result.getThrowable().map(Throwable::getMessage).orElse("aborted")
        .replaceFirst("^Assumption failed: ", "");
    long tests = id.isTest() ? 1 : plan.getDescendants(id).stream().filter(TestIdentifier::isTest).count();
    add(id, tests, reason);
  }

  private synchronized void add(TestIdentifier id, long tests, String reason) {
    if (tests == 0) {
      return;
    }
    String why = reason == null ? "no reason given" : reason.strip().replaceFirst("^SKIPPED: ", "");
    if (why.contains("==> ")) {
      why = why.substring(why.lastIndexOf("==> ") + 4); // JUnit's "condition ==> message": the message says why
    }
    if (why.length() > 160) {
      why = why.substring(0, 157) + "...";
    }
    String key = className(id) + "\u0000" + why;
    skipped.merge(key, (int) tests, Integer::sum);
  }

  private String className(TestIdentifier id) {
    for (Optional<TestIdentifier> t = Optional.of(id); t.isPresent(); t = plan.getParent(t.get())) {
      if (t.get().getSource().orElse(null) instanceof ClassSource c) {
        String name = c.getClassName();
        return name.substring(name.lastIndexOf('.') + 1);
      }
    }
    return id.getDisplayName();
  }

  @Override
  public synchronized void testPlanExecutionFinished(TestPlan testPlan) {
    if (skipped.isEmpty()) {
      return;
    }
    StringBuilder b = new StringBuilder();
    skipped.forEach((key, n) -> {
      String[] parts = key.split("\u0000", 2);
      b.append(String.format("  %d %s of %s skipped: %s%n", n, n == 1 ? "test" : "tests", parts[0],
          parts[1].replace("\n", " ")));
    });
    System.out.print("\nSkipped, and why:\n" + b);
    System.out.flush();
    String dir = System.getProperty("skipSummaryDir");
    if (dir != null && !dir.isEmpty()) {
      Path file = Path.of(dir, ProcessHandle.current().pid() + "-" + PLANS.incrementAndGet() + ".txt");
      try {
        Files.createDirectories(file.getParent());
        Files.writeString(file, b.toString());
      } catch (IOException e) {
        System.out.println("could not write " + file + ": " + e);
      }
    }
  }
}
