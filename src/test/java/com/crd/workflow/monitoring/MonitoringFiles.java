package com.crd.workflow.monitoring;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/** Reading the monitoring files as plain YAML trees, and finding tools, for both test classes. */
final class MonitoringFiles {
  static final Path ROOT =
      Path.of(System.getProperty("basedir", ".")).toAbsolutePath().normalize();

  private MonitoringFiles() {}

  static Optional<Path> onPath(String command) {
    String path = Optional.ofNullable(System.getenv("PATH")).orElse("");
    return Arrays.stream(path.split(File.pathSeparator))
        .filter(d -> !d.isEmpty())
        .map(d -> Path.of(d, command))
        .filter(Files::isRegularFile)
        .filter(Files::isExecutable)
        .findFirst();
  }

  static Yaml plainYaml() {
    return new Yaml(new SafeConstructor(new LoaderOptions()));
  }

  static Map<String, Object> readYaml(Path file) throws IOException {
    assertTrue(Files.isRegularFile(file), "missing " + ROOT.relativize(file));
    try (Reader reader = Files.newBufferedReader(file)) {
      return map(plainYaml().load(reader), ROOT.relativize(file).toString());
    }
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> map(Object o, String what) {
    assertInstanceOf(Map.class, o, what + " is not a mapping");
    return (Map<String, Object>) o;
  }

  static List<?> list(Object o, String what) {
    assertInstanceOf(List.class, o, what + " is not a list");
    return (List<?>) o;
  }
}
