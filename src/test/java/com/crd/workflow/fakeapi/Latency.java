package com.crd.workflow.fakeapi;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * Added latency: a share of the requests matching a method and a path regex wait a random time
 * in [min, max] before they are served, like a server under load. Watches are left alone.
 */
final class Latency {
  private record Rule(String method, Pattern path, long minMillis, long maxMillis, double share) {}

  private volatile Rule rule;

  void set(String method, String pathRegex, Duration min, Duration max, double share) {
    rule = new Rule(method, Pattern.compile(pathRegex), min.toMillis(), max.toMillis(), share);
  }

  void clear() {
    rule = null;
  }

  void apply(String method, String path, String query) {
    Rule r = rule;
    if (r == null || (query != null && query.contains("watch=true"))
        || !(r.method.equals("*") || r.method.equalsIgnoreCase(method)) || !r.path.matcher(path).find()) {
      return;
    }
    ThreadLocalRandom random = ThreadLocalRandom.current();
    if (random.nextDouble() >= r.share) {
      return;
    }
    try {
      Thread.sleep(random.nextLong(r.minMillis, r.maxMillis + 1));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
