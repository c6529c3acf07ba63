package com.crd.workflow.core;

import static com.crd.workflow.core.Fixtures.spec;
import static com.crd.workflow.core.Fixtures.step;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ValidationTest {
  static Stream<Arguments> cases() {
    List<Step> many = new ArrayList<>();
    for (int i = 0; i < 101; i++) {
      many.add(step("s" + i));
    }
    List<Step> chain = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      chain.add(step("c" + i, "c" + ((i + 1) % 100)));
    }
    String[] seventeen = new String[17];
    for (int i = 0; i < 17; i++) {
      seventeen[i] = "d" + i;
    }
    return Stream.of(
        Arguments.of("a valid diamond has no problems",
            spec(step("a"), step("b", "a"), step("c", "a"), step("d", "b", "c")), List.of()),
        Arguments.of("a deadline below 1 second, a negative TTL and retention",
            spec(step("a")).withDeadline(0L).withCleanUp(-1L, -2L, -3L),
            List.of("spec.activeDeadlineSeconds must be at least 1 second, got 0",
                "spec.ttlSecondsAfterFinished must be 0 or more seconds, got -1",
                "spec.jobRetention.onSuccess must be 0 or more seconds, got -2",
                "spec.jobRetention.onFailure must be 0 or more seconds, got -3")),
        Arguments.of("a 1 s deadline, a TTL and retention of 0 are fine",
            spec(step("a")).withDeadline(1L).withCleanUp(0L, 0L, 0L), List.of()),
        Arguments.of("no steps", spec(), List.of("spec.containers must list at least one step")),
        Arguments.of("too many steps", new WorkflowSpec(60, many),
            List.of("spec.containers has 101 steps; at most 100 are allowed")),
        Arguments.of("duplicate step names", spec(step("a"), step("a")),
            List.of("duplicate step name a")),
        Arguments.of("a step name that is not a DNS-1123 label", spec(step("Build_1")),
            List.of("step \"Build_1\": stepName must be a DNS-1123 label (lowercase letters, digits"
                + " and '-', starting and ending with a letter or digit, at most 63 characters)")),
        Arguments.of("a step name longer than 63 characters", spec(step("a".repeat(64))),
            List.of("step \"" + "a".repeat(64) + "\": stepName must be a DNS-1123 label (lowercase"
                + " letters, digits and '-', starting and ending with a letter or digit, at most 63"
                + " characters)")),
        Arguments.of("an empty step name", spec(new Step("", "img", null, List.of())),
            List.of("a step has no stepName")),
        Arguments.of("an empty image", spec(new Step("a", " ", null, List.of())),
            List.of("step a: image must not be empty")),
        Arguments.of("maxStepTimeout 0", new WorkflowSpec(0, List.of(step("a"))),
            List.of("spec.maxStepTimeout must be -1 (unlimited) or at least 1 second, got 0")),
        Arguments.of("maxStepTimeout -5", new WorkflowSpec(-5, List.of(step("a"))),
            List.of("spec.maxStepTimeout must be -1 (unlimited) or at least 1 second, got -5")),
        Arguments.of("a step that depends on itself", spec(step("a", "a")),
            List.of("step a depends on itself")),
        Arguments.of("a step that depends on an unknown step", spec(step("a"), step("b", "x")),
            List.of("step b depends on unknown step x")),
        Arguments.of("too many dependencies", spec(step("a", seventeen)),
            Stream.concat(Stream.of("step a: dependsOn lists 17 steps; at most 16 are allowed"),
                Stream.of(seventeen).map(d -> "step a depends on unknown step " + d))
                .toList()),
        Arguments.of("a two-step cycle names the cycle", spec(step("a", "b"), step("b", "a")),
            List.of("dependency cycle: a -> b -> a")),
        Arguments.of("a longer cycle behind a valid root", spec(step("root"), step("x", "root", "z"),
            step("y", "x"), step("z", "y")), List.of("dependency cycle: x -> z -> y -> x")),
        Arguments.of("a 100-step ring is found without overflowing the stack",
            new WorkflowSpec(60, chain), List.of(cycleOf100())));
  }

  static String cycleOf100() {
    // c0 -> c1 -> ... -> c99 -> c0, starting from the smallest name "c0".
    List<String> path = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      path.add("c" + i);
    }
    path.add("c0");
    return "dependency cycle: " + String.join(" -> ", path);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void reportsExactlyTheseProblems(String scenario, WorkflowSpec spec, List<String> expected) {
    assertEquals(expected, Validation.problems(spec));
  }
}
