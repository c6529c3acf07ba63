package com.crd.workflow.e2etooling;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/** The repository checkout the tests run in, and commands run in it. */
final class Repo {
  private Repo() {}

  /** The repository root: Maven runs tests in the project folder. */
  static Path root() {
    Path dir = Path.of("").toAbsolutePath();
    if (!Files.exists(dir.resolve("pom.xml")) || !Files.isDirectory(dir.resolve("test-e2e"))) {
      throw new IllegalStateException("tests must run from the repository root, not " + dir);
    }
    return dir;
  }

  /** How a command ended: its exit code (-1 if killed at the deadline), output and duration. */
  record Result(int exit, String output, Duration took) {
    boolean timedOut() {
      return exit == -1;
    }
  }

  /** True if {@code command} can be started (e.g. "shellcheck --version" succeeds). */
  static boolean installed(String... command) {
    try {
      return run(Duration.ofSeconds(20), env -> { }, command).exit() == 0;
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * Runs a command in the repository root with stdout and stderr merged. The make variables an
   * enclosing make (make test) exports are removed, so an outer make's flags cannot leak in.
   */
  static Result run(Duration deadline, Consumer<Map<String, String>> env, String... command)
      throws IOException {
    Path out = Files.createTempFile("e2etooling", ".out");
    try {
      ProcessBuilder pb = new ProcessBuilder(command).directory(root().toFile())
          .redirectErrorStream(true).redirectOutput(out.toFile())
          .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
      for (String v : List.of("MAKEFLAGS", "MFLAGS", "MAKELEVEL", "MAKEOVERRIDES", "GNUMAKEFLAGS")) {
        pb.environment().remove(v);
      }
      env.accept(pb.environment());
      long start = System.nanoTime();
      Process p = pb.start();
      boolean done;
      try {
        done = p.waitFor(deadline.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        done = false;
      }
      if (!done) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
      }
      Duration took = Duration.ofNanos(System.nanoTime() - start);
      return new Result(done ? p.exitValue() : -1, Files.readString(out), took);
    } finally {
      Files.deleteIfExists(out);
    }
  }

  /**
   * The repository's shell scripts: every {@code *.sh}, plus extension-less files that start with
   * a sh/bash shebang (like .ci/run). Build output (target*) and .git are skipped.
   */
  static List<Path> shellScripts() throws IOException {
    Path root = root();
    TreeSet<Path> found = new TreeSet<>();
    Files.walkFileTree(root, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
        String name = dir.getFileName() == null ? "" : dir.getFileName().toString();
        boolean skip = !dir.equals(root)
            && (name.equals(".git") || name.startsWith("target") || name.equals("node_modules"));
        return skip ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
        String name = file.getFileName().toString();
        if (attrs.isRegularFile() && (name.endsWith(".sh") || (!name.contains(".") && shebang(file)))) {
          found.add(root.relativize(file));
        }
        return FileVisitResult.CONTINUE;
      }
    });
    return new ArrayList<>(found);
  }

  private static boolean shebang(Path file) throws IOException {
    byte[] head;
    try (var in = Files.newInputStream(file)) {
      head = in.readNBytes(64);
    }
    String first = new String(head, java.nio.charset.StandardCharsets.ISO_8859_1).split("\n", 2)[0];
    return first.matches("#!\\s*/\\S*(/|env\\s+)(ba)?sh\\b.*");
  }
}
