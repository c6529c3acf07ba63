package com.crd.workflow.core;

import java.math.BigDecimal;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Kubernetes resource quantities ({@code 500m}, {@code 2Gi}, {@code 1e3}), as the API server reads them. */
public final class Quantities {
  /** The same grammar as the API server's resource.Quantity; also the CRD's pattern. */
  public static final String PATTERN =
      "^(\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))))?$";
  private static final Pattern QUANTITY = Pattern.compile(
      "^([+-]?(?:[0-9]+(?:\\.[0-9]*)?|\\.[0-9]+))((?:[KMGTPE]i)|[numkMGTPE]|(?:[eE][+-]?(?:[0-9]+(?:\\.[0-9]*)?|\\.[0-9]+)))?$");
  private static final Map<String, BigDecimal> SUFFIX = Map.ofEntries(
      Map.entry("", BigDecimal.ONE),
      Map.entry("n", new BigDecimal("1e-9")), Map.entry("u", new BigDecimal("1e-6")),
      Map.entry("m", new BigDecimal("1e-3")), Map.entry("k", new BigDecimal("1e3")),
      Map.entry("M", new BigDecimal("1e6")), Map.entry("G", new BigDecimal("1e9")),
      Map.entry("T", new BigDecimal("1e12")), Map.entry("P", new BigDecimal("1e15")),
      Map.entry("E", new BigDecimal("1e18")),
      Map.entry("Ki", BigDecimal.valueOf(2).pow(10)), Map.entry("Mi", BigDecimal.valueOf(2).pow(20)),
      Map.entry("Gi", BigDecimal.valueOf(2).pow(30)), Map.entry("Ti", BigDecimal.valueOf(2).pow(40)),
      Map.entry("Pi", BigDecimal.valueOf(2).pow(50)), Map.entry("Ei", BigDecimal.valueOf(2).pow(60)));

  private Quantities() {}

  /** The value of a quantity (a string or a number), or null when it does not parse. */
  public static BigDecimal parse(Object q) {
    if (q instanceof BigDecimal d) {
      return d;
    }
    if (q instanceof Number n) {
      return new BigDecimal(n.toString());
    }
    if (!(q instanceof String s)) {
      return null;
    }
    Matcher m = QUANTITY.matcher(s);
    if (!m.matches()) {
      return null;
    }
    String suffix = m.group(2) == null ? "" : m.group(2);
    BigDecimal number = new BigDecimal(m.group(1).startsWith("+") ? m.group(1).substring(1)
        : m.group(1).endsWith(".") ? m.group(1) + "0" : m.group(1));
    if (suffix.startsWith("e") || suffix.startsWith("E")) {
      try {
        return number.scaleByPowerOfTen(new BigDecimal(suffix.substring(1)).intValueExact());
      } catch (ArithmeticException e) {
        return null;
      }
    }
    return number.multiply(SUFFIX.get(suffix));
  }
}
