package com.crd.workflow.kube;

import com.crd.workflow.core.Names;
import com.crd.workflow.core.ObservedJob;
import com.crd.workflow.core.PodStory;
import com.crd.workflow.core.Workflow;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Reads API objects while their JSON streams in, keeping only the fields the operator reads. A
 * Job's pod template, an object's managedFields and kubectl's last-applied annotation are skipped
 * token by token, never built into a tree: they are most of a LIST's bytes.
 */
public final class Decode {
  private Decode() {}

  /**
   * Which members of an object to keep. {@code ALL} keeps a member's whole value; a shape keeps an
   * object member's listed children; members not listed are skipped.
   */
  public record Shape(Map<String, Shape> children) {
    public static final Shape ALL = new Shape(null);

    static Shape of(Object... pairs) {
      Map<String, Shape> m = new java.util.HashMap<>();
      for (int i = 0; i < pairs.length; i += 2) {
        m.put((String) pairs[i], (Shape) pairs[i + 1]);
      }
      return new Shape(Map.copyOf(m));
    }
  }

  /** Status fields, so an ERROR event's object (a Status) keeps its code and message. */
  private static final Object[] STATUS_FIELDS = {"code", Shape.ALL, "message", Shape.ALL,
      "reason", Shape.ALL};

  public static final Shape WORKFLOW = withStatusFields(
      "metadata", Shape.of("namespace", Shape.ALL, "name", Shape.ALL, "uid", Shape.ALL,
          "labels", Shape.ALL, "generation", Shape.ALL, "resourceVersion", Shape.ALL,
          "deletionTimestamp", Shape.ALL, "creationTimestamp", Shape.ALL,
          "annotations", Shape.of(Names.ANNOTATION_RERUN, Shape.ALL)),
      "spec", Shape.ALL,
      "status", Shape.ALL);

  public static final Shape JOB = withStatusFields(
      "metadata", Shape.of("namespace", Shape.ALL, "name", Shape.ALL, "labels", Shape.ALL,
          "annotations", Shape.of(Names.ANNOTATION_PROPAGATED, Shape.ALL),
          "resourceVersion", Shape.ALL, "creationTimestamp", Shape.ALL,
          "deletionTimestamp", Shape.ALL, "ownerReferences", Shape.ALL),
      "spec", Shape.of("completions", Shape.ALL, "backoffLimit", Shape.ALL, "suspend", Shape.ALL),
      "status", Shape.ALL);

  /**
   * A managed pod: only what explains a step's wait or failure. Its spec (most of its bytes) and
   * all labels but the Job's name are skipped.
   */
  public static final Shape POD = withStatusFields(
      "metadata", Shape.of("namespace", Shape.ALL, "name", Shape.ALL,
          "labels", Shape.of(Names.LABEL_JOB_NAME, Shape.ALL, Names.LABEL_JOB_NAME_LEGACY, Shape.ALL),
          "resourceVersion", Shape.ALL, "creationTimestamp", Shape.ALL,
          "ownerReferences", Shape.ALL),
      "status", Shape.of("phase", Shape.ALL, "conditions", Shape.ALL,
          "containerStatuses", Shape.ALL));

  private static Shape withStatusFields(Object... pairs) {
    Object[] all = new Object[pairs.length + STATUS_FIELDS.length];
    System.arraycopy(pairs, 0, all, 0, pairs.length);
    System.arraycopy(STATUS_FIELDS, 0, all, pairs.length, STATUS_FIELDS.length);
    return Shape.of(all);
  }

  /** One kind of object: what to keep of it and how to turn what was kept into a record. */
  public record Kind<T>(String name, Shape shape, Function<JsonObject, T> convert) {}

  public static final Kind<Workflow> WORKFLOWS = new Kind<>("workflows", WORKFLOW, Convert::workflow);
  public static final Kind<ObservedJob> JOBS = new Kind<>("jobs", JOB, Convert::job);
  public static final Kind<PodStory> PODS = new Kind<>("pods", POD, Convert::pod);

  /** A list's own metadata. */
  public record ListMeta(String resourceVersion, String continueToken) {}

  /**
   * Reads one page of a LIST, handing each item to {@code sink} as soon as it is read. An item of
   * an unexpected shape is skipped and reported to {@code bad}; the rest of the page still counts.
   */
  public static <T> ListMeta list(Reader body, Kind<T> kind, Consumer<T> sink, Consumer<String> bad)
      throws IOException {
    JsonReader in = new JsonReader(body);
    String rv = null;
    String cont = null;
    expect(in, JsonToken.BEGIN_OBJECT, "a list object");
    in.beginObject();
    while (in.hasNext()) {
      String name = in.nextName();
      if (name.equals("metadata") && in.peek() == JsonToken.BEGIN_OBJECT) {
        JsonObject meta = select(in, Shape.of("resourceVersion", Shape.ALL, "continue", Shape.ALL));
        rv = Json.str(meta, "resourceVersion");
        cont = Json.str(meta, "continue");
      } else if (name.equals("items") && in.peek() == JsonToken.BEGIN_ARRAY) {
        in.beginArray();
        while (in.hasNext()) {
          T item = item(in, kind, bad);
          if (item != null) {
            sink.accept(item);
          }
        }
        in.endArray();
      } else {
        in.skipValue();
      }
    }
    in.endObject();
    return new ListMeta(rv, cont);
  }

  private static <T> T item(JsonReader in, Kind<T> kind, Consumer<String> bad) throws IOException {
    if (in.peek() != JsonToken.BEGIN_OBJECT) {
      in.skipValue();
      bad.accept(kind.name() + ": a list item is not an object");
      return null;
    }
    JsonObject kept = select(in, kind.shape());
    try {
      return kind.convert().apply(kept);
    } catch (RuntimeException e) {
      bad.accept(kind.name() + ": cannot read " + Json.str(kept, "metadata", "name") + ": " + e);
      return null;
    }
  }

  /** One line of a watch stream. {@code object} is null for BOOKMARK and ERROR. */
  public record Event<T>(String type, T object, String resourceVersion, int errorCode,
      String errorMessage) {}

  /**
   * Parses one watch line. Throws {@link IOException} when it is not an event at all (not JSON,
   * no type, no object), so the caller can start over rather than trust the stream.
   */
  public static <T> Event<T> event(String line, Kind<T> kind) throws IOException {
    JsonReader in = new JsonReader(new StringReader(line));
    String type = null;
    JsonObject object = null;
    try {
      expect(in, JsonToken.BEGIN_OBJECT, "a watch event");
      in.beginObject();
      while (in.hasNext()) {
        String name = in.nextName();
        if (name.equals("type") && in.peek() == JsonToken.STRING) {
          type = in.nextString();
        } else if (name.equals("object") && in.peek() == JsonToken.BEGIN_OBJECT) {
          object = select(in, kind.shape());
        } else {
          in.skipValue();
        }
      }
      in.endObject();
    } catch (IOException | IllegalStateException | NumberFormatException e) {
      throw new IOException("not a watch event: " + abbreviate(line), e);
    }
    if (type == null || object == null) {
      throw new IOException("not a watch event (no type or object): " + abbreviate(line));
    }
    String rv = Json.str(object, "metadata", "resourceVersion");
    if (type.equals("ERROR")) {
      return new Event<>(type, null, rv, (int) Json.num(object, 0, "code"),
          Json.str(object, "message"));
    }
    if (type.equals("BOOKMARK")) {
      return new Event<>(type, null, rv, 0, null);
    }
    if (!type.equals("ADDED") && !type.equals("MODIFIED") && !type.equals("DELETED")) {
      throw new IOException("unknown watch event type " + type);
    }
    try {
      return new Event<>(type, kind.convert().apply(object), rv, 0, null);
    } catch (RuntimeException e) {
      throw new IOException(kind.name() + ": cannot read " + Json.str(object, "metadata", "name")
          + ": " + e, e);
    }
  }

  /** Keeps the members {@code shape} lists; the reader must be at the start of an object. */
  static JsonObject select(JsonReader in, Shape shape) throws IOException {
    JsonObject out = new JsonObject();
    in.beginObject();
    while (in.hasNext()) {
      String name = in.nextName();
      Shape child = shape.children().get(name);
      if (child == null) {
        in.skipValue();
      } else if (child.children() == null || in.peek() != JsonToken.BEGIN_OBJECT) {
        out.add(name, element(in));
      } else {
        out.add(name, select(in, child));
      }
    }
    in.endObject();
    return out;
  }

  private static JsonElement element(JsonReader in) throws IOException {
    try {
      return JsonParser.parseReader(in);
    } catch (com.google.gson.JsonParseException e) {
      throw new IOException(e.getMessage(), e);
    }
  }

  private static void expect(JsonReader in, JsonToken token, String what) throws IOException {
    if (in.peek() != token) {
      throw new IOException("expected " + what + ", got " + in.peek());
    }
  }

  static String abbreviate(String s) {
    return s.length() <= 120 ? s : s.substring(0, 120) + "...";
  }
}
