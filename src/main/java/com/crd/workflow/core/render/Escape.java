package com.crd.workflow.core.render;

/** Escaping for the text formats the renderers write. */
public final class Escape {
  private Escape() {}

  /** For HTML and XML text and attribute values. */
  public static String xml(String s) {
    if (s == null) {
      return "";
    }
    StringBuilder b = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '&' -> b.append("&amp;");
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '"' -> b.append("&quot;");
        case '\'' -> b.append("&#39;");
        default -> {
          if (c < 0x20 && c != '\n' && c != '\t') {
            b.append(' '); // control characters are not allowed in XML 1.0
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.toString();
  }

  /** Inside a double-quoted DOT string. */
  public static String dot(String s) {
    return s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
  }

  /** Inside a double-quoted Mermaid label: quotes and angle brackets as entity codes. */
  public static String mermaid(String s) {
    return s.replace("&", "#amp;").replace("\"", "#quot;").replace("<", "#lt;").replace(">", "#gt;")
        .replace("\n", " ");
  }
}
