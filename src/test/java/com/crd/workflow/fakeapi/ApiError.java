package com.crd.workflow.fakeapi;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;

/**
 * A failed request, carrying exactly the metav1.Status a real API server would send, so client
 * code that switches on {@code reason} or {@code code} sees the same thing it would in a cluster.
 */
public final class ApiError extends RuntimeException {
  private final int code;
  private final String reason;
  private final JsonObject details;
  private final Integer retryAfterSeconds;

  ApiError(int code, String reason, String message, JsonObject details, Integer retryAfterSeconds) {
    super(message);
    this.code = code;
    this.reason = reason;
    this.details = details;
    this.retryAfterSeconds = retryAfterSeconds;
  }

  public int code() {
    return code;
  }

  public String reason() {
    return reason;
  }

  Integer retryAfterSeconds() {
    return retryAfterSeconds;
  }

  JsonObject toStatus() {
    JsonObject status = new JsonObject();
    status.addProperty("kind", "Status");
    status.addProperty("apiVersion", "v1");
    status.add("metadata", new JsonObject());
    status.addProperty("status", "Failure");
    status.addProperty("message", getMessage());
    status.addProperty("reason", reason);
    if (details != null) {
      status.add("details", details.deepCopy());
    }
    status.addProperty("code", code);
    return status;
  }

  private static JsonObject details(ResourceType type, String name, boolean kindNotResource) {
    JsonObject d = new JsonObject();
    if (name != null) {
      d.addProperty("name", name);
    }
    if (type != null) {
      if (!type.group().isEmpty()) {
        d.addProperty("group", type.group());
      }
      // The real server puts the resource plural in "kind" for most errors, but the Kind for Invalid.
      d.addProperty("kind", kindNotResource ? type.kind() : type.plural());
    }
    return d;
  }

  static ApiError notFound(ResourceType type, String name) {
    return new ApiError(404, "NotFound",
        type.qualifiedResource() + " \"" + name + "\" not found", details(type, name, false), null);
  }

  static ApiError pathNotFound() {
    return new ApiError(404, "NotFound", "the server could not find the requested resource",
        new JsonObject(), null);
  }

  static ApiError alreadyExists(ResourceType type, String name) {
    return new ApiError(409, "AlreadyExists",
        type.qualifiedResource() + " \"" + name + "\" already exists", details(type, name, false), null);
  }

  static ApiError conflict(ResourceType type, String name, String why) {
    return new ApiError(409, "Conflict",
        "Operation cannot be fulfilled on " + type.qualifiedResource() + " \"" + name + "\": " + why,
        details(type, name, false), null);
  }

  static ApiError staleResourceVersion(ResourceType type, String name) {
    return conflict(type, name,
        "the object has been modified; please apply your changes to the latest version and try again");
  }

  /** 422 with one field cause, like apimachinery's field.ErrorList rendering. */
  static ApiError invalid(ResourceType type, String name, String field, String causeReason, String detail) {
    JsonObject d = details(type, name, true);
    JsonArray causes = new JsonArray();
    JsonObject cause = new JsonObject();
    cause.addProperty("reason", causeReason);
    cause.addProperty("message", detail);
    cause.addProperty("field", field);
    causes.add(cause);
    d.add("causes", causes);
    return new ApiError(422, "Invalid",
        type.qualifiedKind() + " \"" + name + "\" is invalid: " + field + ": " + detail, d, null);
  }

  static ApiError unprocessable(String message) {
    return new ApiError(422, "Invalid", message, new JsonObject(), null);
  }

  static ApiError badRequest(String message) {
    return new ApiError(400, "BadRequest", message, null, null);
  }

  static ApiError unsupportedMediaType(String accepted) {
    return new ApiError(415, "UnsupportedMediaType",
        "the body of the request was in an unknown format - accepted media types include: " + accepted,
        null, null);
  }

  static ApiError methodNotAllowed() {
    return new ApiError(405, "MethodNotAllowed",
        "the server does not allow this method on the requested resource", new JsonObject(), null);
  }

  static ApiError expired(String message) {
    return new ApiError(410, "Expired", message, null, null);
  }

  static ApiError internal(String message) {
    return new ApiError(500, "InternalError", "Internal error occurred: " + message,
        causesOf(message), null);
  }

  private static JsonObject causesOf(String message) {
    JsonObject d = new JsonObject();
    JsonArray causes = new JsonArray();
    JsonObject cause = new JsonObject();
    cause.addProperty("message", message);
    causes.add(cause);
    d.add("causes", causes);
    return d;
  }

  /** An arbitrary status code, used by fault injection; reason follows StatusReason conventions. */
  static ApiError forCode(int code, String message) {
    return switch (code) {
      case 400 -> badRequest(message);
      case 401 -> new ApiError(401, "Unauthorized", "Unauthorized", null, null);
      case 403 -> new ApiError(403, "Forbidden", "forbidden: " + message, new JsonObject(), null);
      case 404 -> new ApiError(404, "NotFound", message, new JsonObject(), null);
      case 405 -> methodNotAllowed();
      case 409 -> new ApiError(409, "Conflict", "Operation cannot be fulfilled (" + message
          + "): the object has been modified; please apply your changes to the latest version and try again",
          new JsonObject(), null);
      case 410 -> expired(message);
      case 422 -> unprocessable(message);
      case 429 -> {
        JsonObject d = new JsonObject();
        d.addProperty("retryAfterSeconds", 1);
        yield new ApiError(429, "TooManyRequests", "Too many requests, please try again later.", d, 1);
      }
      case 500 -> internal(message);
      case 503 -> new ApiError(503, "ServiceUnavailable", message, null, null);
      case 504 -> new ApiError(504, "Timeout", message, null, null);
      default -> new ApiError(code, "Unknown", message, null, null);
    };
  }
}
