package com.crd.workflow.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.math.BigDecimal;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class QuantitiesTest {
  @ParameterizedTest(name = "{0} = {1}")
  @CsvSource({"500m, 0.5", "2, 2", "1Ki, 1024", "1Gi, 1073741824", "1.5Gi, 1610612736", "1k, 1000",
      "1M, 1000000", "1e3, 1000", "1E-3, 0.001", ".5, 0.5", "+1, 1", "100n, 0.0000001", "5., 5"})
  void parses(String text, String value) {
    assertEquals(0, new BigDecimal(value).compareTo(Quantities.parse(text)), text);
  }

  @ParameterizedTest(name = "\"{0}\" is not a quantity")
  @CsvSource({"2 cores", "1GB", "1gi", "abc", "''", "1.2.3", "--1", "1Ki1"})
  void rejects(String text) {
    assertNull(Quantities.parse(text));
  }

  @ParameterizedTest(name = "{0} matches the CRD pattern exactly when it parses")
  @CsvSource({"500m", "1Gi", "1e3", "2 cores", "1GB", ".5", "5.", "1E-3"})
  void patternAgrees(String text) {
    assertEquals(Quantities.parse(text) != null, text.matches(Quantities.PATTERN.replaceAll("^\\^|\\$$", "")), text);
  }
}
