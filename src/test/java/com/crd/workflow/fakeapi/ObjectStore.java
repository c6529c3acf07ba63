package com.crd.workflow.fakeapi;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * The fake etcd plus the generic registry logic: one global resourceVersion, a bounded history
 * of changes for watches, and the create/update/delete rules every resource shares.
 *
 * <p>Stored objects are never mutated in place: every write stores a fresh tree, so watch events
 * and snapshots can share them without copying. Everything a caller gets back is a copy.
 */
final class ObjectStore {
  static final int DEFAULT_HISTORY_LIMIT = 10_000;

  /** Which part of the object a write may change: the main resource or the /status subresource. */
  enum Target { MAIN, STATUS }

  /** A write's outcome; {@code created} only for a PUT that created the object. */
  record WriteResult(JsonObject object, boolean created) {}

  /** A delete's outcome; {@code removed} is false when finalizers keep the object around. */
  record DeleteResult(JsonObject object, boolean removed) {}

  record ListResult(List<JsonObject> items, String resourceVersion) {}

  private static final String GENERATE_NAME_ALPHABET = "bcdfghjklmnpqrstvwxz2456789";
  private static final int REMOVED_UIDS_LIMIT = 100_000;

  private final Clock clock;
  private final int historyLimit;
  private final SecureRandom random = new SecureRandom();
  private final Map<ResourceType, TreeMap<String, JsonObject>> objects = new HashMap<>();
  private final ArrayDeque<WatchEvent> history = new ArrayDeque<>();
  private final List<WatchSubscription> subscriptions = new CopyOnWriteArrayList<>();
  /** Owners that are gone; the garbage collector deletes what they owned. */
  private final Set<String> removedUids = new LinkedHashSet<>();
  private long resourceVersion;
  private volatile Runnable onChange = () -> {};
  private final List<java.util.function.Consumer<WatchEvent>> listeners = new CopyOnWriteArrayList<>();

  ObjectStore(Clock clock, int historyLimit) {
    this.clock = clock;
    this.historyLimit = historyLimit;
    for (ResourceType t : ResourceType.ALL) {
      objects.put(t, new TreeMap<>());
    }
  }

  /** Called under the store lock for every change, in resourceVersion order; must be quick. */
  void addListener(java.util.function.Consumer<WatchEvent> listener) {
    listeners.add(listener);
  }

  /** Lets the garbage collector know there may be work. */
  void onChange(Runnable hook) {
    this.onChange = hook;
  }

  Clock clock() {
    return clock;
  }

  synchronized String currentResourceVersion() {
    return Long.toString(resourceVersion);
  }

  // ---------------------------------------------------------------- reads

  synchronized JsonObject get(ResourceType type, String ns, String name) {
    JsonObject o = find(type, ns, name);
    if (o == null) {
      throw ApiError.notFound(type, name);
    }
    return o.deepCopy();
  }

  synchronized JsonObject getOrNull(ResourceType type, String ns, String name) {
    JsonObject o = find(type, ns, name);
    return o == null ? null : o.deepCopy();
  }

  /** Sorted by namespace, then name, like etcd's key order. */
  synchronized ListResult list(ResourceType type, String ns, Predicate<JsonObject> filter) {
    List<JsonObject> items = new ArrayList<>();
    for (JsonObject o : objects.get(type).values()) {
      if ((ns == null || ns.equals(Json.namespace(o))) && filter.test(o)) {
        items.add(o.deepCopy());
      }
    }
    return new ListResult(items, currentResourceVersion());
  }

  /** One page of a list, in key order, after {@code afterKey}; {@code more} when items remain. */
  record Page(List<JsonObject> items, String resourceVersion, boolean more, int remaining) {}

  /**
   * Pages straight from the sorted map, copying only the page: a paged LIST of 100,000 objects
   * costs the same per page as one of 100.
   */
  synchronized Page listPage(ResourceType type, String ns, Predicate<JsonObject> filter, String afterKey,
      int limit, boolean countRemaining) {
    TreeMap<String, JsonObject> all = objects.get(type);
    java.util.NavigableMap<String, JsonObject> from = afterKey == null ? all : all.tailMap(afterKey, false);
    if (ns != null) {
      String start = key(ns, "");
      String end = ns + '\u0001'; // every key of the namespace sorts below this
      if (afterKey != null && afterKey.compareTo(end) >= 0) {
        from = java.util.Collections.emptyNavigableMap();
      } else if (afterKey != null && afterKey.compareTo(start) >= 0) {
        from = all.subMap(afterKey, false, end, false);
      } else {
        from = all.subMap(start, true, end, false);
      }
    }
    List<JsonObject> items = new ArrayList<>();
    boolean more = false;
    int remaining = 0;
    for (JsonObject o : from.values()) {
      if (!filter.test(o)) {
        continue;
      }
      if (limit > 0 && items.size() >= limit) {
        more = true;
        if (!countRemaining) {
          break; // the real server leaves remainingItemCount unset under a selector, too
        }
        remaining++;
        continue;
      }
      items.add(o.deepCopy());
    }
    return new Page(items, currentResourceVersion(), more, countRemaining ? remaining : -1);
  }

  static String sortKey(JsonObject o) {
    return key(Json.namespace(o), Json.name(o));
  }

  /** Shared, read-only view of every stored object, for the background controllers. */
  synchronized List<JsonObject> snapshot(ResourceType type) {
    return new ArrayList<>(objects.get(type).values());
  }

  synchronized boolean wasRemoved(String uid) {
    return removedUids.contains(uid);
  }

  synchronized boolean exists(String uid) {
    for (TreeMap<String, JsonObject> byKey : objects.values()) {
      for (JsonObject o : byKey.values()) {
        if (uid.equals(Json.uid(o))) {
          return true;
        }
      }
    }
    return false;
  }

  // ---------------------------------------------------------------- create

  synchronized JsonObject create(ResourceType type, String ns, JsonObject body) {
    JsonObject obj = GoEncoding.normalize(type, body.deepCopy());
    checkTypeMeta(type, obj, !type.builtIn());
    JsonObject meta = Json.meta(obj);
    String bodyNs = Json.str(meta, "namespace");
    if (bodyNs != null && !bodyNs.isEmpty() && !bodyNs.equals(ns)) {
      throw ApiError.badRequest("the namespace of the provided object does not match the namespace sent on the request");
    }
    String rv = Json.str(meta, "resourceVersion");
    if (rv != null && !rv.isEmpty()) {
      throw ApiError.internal("resourceVersion should not be set on objects to be created");
    }
    String name = Json.str(meta, "name");
    String generateName = Json.str(meta, "generateName");
    boolean generated = name == null || name.isEmpty();
    if (generated) {
      if (generateName == null || generateName.isEmpty()) {
        throw ApiError.invalid(type, "", "metadata.name", "FieldValueRequired",
            "Required value: name or generateName is required");
      }
      name = generateName(type, ns, generateName);
    }
    Admission.validateName(type, name);
    if (find(type, ns, name) != null) {
      throw ApiError.alreadyExists(type, name);
    }
    meta.addProperty("name", name);
    meta.addProperty("namespace", ns);
    meta.addProperty("uid", UUID.randomUUID().toString());
    meta.addProperty("creationTimestamp", Json.time(clock.instant()));
    if (type.generational()) {
      meta.addProperty("generation", 1);
    }
    meta.remove("deletionTimestamp");
    meta.remove("deletionGracePeriodSeconds");
    meta.remove("selfLink");
    if (type.statusSubresource()) {
      obj.remove("status");
    }
    Admission.prepareCreate(type, obj);
    JsonObject stored = canonical(type, obj);
    commit(type, "ADDED", stored, null);
    return stored.deepCopy();
  }

  private String generateName(ResourceType type, String ns, String prefix) {
    for (int attempt = 0; attempt < 10; attempt++) {
      StringBuilder name = new StringBuilder(prefix.length() > 58 ? prefix.substring(0, 58) : prefix);
      for (int i = 0; i < 5; i++) {
        name.append(GENERATE_NAME_ALPHABET.charAt(random.nextInt(GENERATE_NAME_ALPHABET.length())));
      }
      if (find(type, ns, name.toString()) == null) {
        return name.toString();
      }
    }
    throw ApiError.alreadyExists(type, prefix);
  }

  // ---------------------------------------------------------------- update and patch

  /** PUT semantics: the body replaces the object (or, for /status, its status). */
  synchronized WriteResult update(ResourceType type, String ns, String name, JsonObject body, Target target) {
    JsonObject existing = find(type, ns, name);
    if (existing == null) {
      if (type.createOnUpdate() && target == Target.MAIN) {
        JsonObject toCreate = body.deepCopy();
        Json.meta(toCreate).remove("resourceVersion");
        return new WriteResult(create(type, ns, toCreate), true);
      }
      throw ApiError.notFound(type, name);
    }
    return new WriteResult(applyUpdate(type, existing, body.deepCopy(), target, false), false);
  }

  /**
   * PATCH semantics: {@code patcher} gets a copy of the current object and returns the patched
   * one, all under the store lock, so patches never lose concurrent writes.
   */
  synchronized JsonObject patch(ResourceType type, String ns, String name, UnaryOperator<JsonObject> patcher,
      Target target) {
    JsonObject existing = find(type, ns, name);
    if (existing == null) {
      throw ApiError.notFound(type, name);
    }
    JsonObject patched = patcher.apply(existing.deepCopy());
    return applyUpdate(type, existing, patched, target, true);
  }

  /** For the in-process controllers: like PATCH, but only if the object is still the same one. */
  synchronized JsonObject patchIfSameUid(ResourceType type, String ns, String name, String uid,
      UnaryOperator<JsonObject> patcher, Target target) {
    JsonObject existing = find(type, ns, name);
    if (existing == null || !uid.equals(Json.uid(existing))) {
      return null;
    }
    return patch(type, ns, name, patcher, target);
  }

  private JsonObject applyUpdate(ResourceType type, JsonObject existing, JsonObject candidate, Target target,
      boolean isPatch) {
    String name = Json.name(existing);
    String ns = Json.namespace(existing);
    GoEncoding.normalize(type, candidate);
    checkTypeMeta(type, candidate, !type.builtIn() && !isPatch);
    JsonObject cmeta = Json.meta(candidate);
    String bodyName = Json.str(cmeta, "name");
    if (!name.equals(bodyName)) {
      throw ApiError.badRequest("the name of the object (" + (bodyName == null ? "" : bodyName)
          + ") does not match the name on the URL (" + name + ")");
    }
    String bodyNs = Json.str(cmeta, "namespace");
    if (bodyNs != null && !bodyNs.isEmpty() && !bodyNs.equals(ns)) {
      throw ApiError.badRequest("the namespace of the provided object does not match the namespace sent on the request");
    }
    String bodyUid = Json.str(cmeta, "uid");
    if (bodyUid != null && !bodyUid.isEmpty() && !bodyUid.equals(Json.uid(existing))) {
      throw ApiError.conflict(type, name, "Precondition failed: UID in precondition: " + bodyUid
          + ", UID in object meta: " + Json.uid(existing));
    }
    String bodyRv = Json.str(cmeta, "resourceVersion");
    if (bodyRv != null && !bodyRv.isEmpty()) {
      if (!bodyRv.equals(Json.resourceVersion(existing))) {
        throw ApiError.staleResourceVersion(type, name);
      }
    } else if (!isPatch && !type.unconditionalUpdate()) {
      throw ApiError.invalid(type, name, "metadata.resourceVersion", "FieldValueInvalid",
          "Invalid value: 0x0: must be specified for an update");
    }

    JsonObject result;
    if (target == Target.STATUS) {
      result = existing.deepCopy();
      replaceOrRemove(result, "status", candidate.get("status"));
    } else {
      result = candidate;
      if (type.statusSubresource()) {
        replaceOrRemove(result, "status", existing.get("status"));
      }
      keepSystemMetadata(Json.meta(existing), Json.meta(result), type);
    }
    if (Json.hasDeletionTimestamp(existing) && addsFinalizers(existing, result)) {
      throw ApiError.invalid(type, name, "metadata.finalizers", "FieldValueForbidden",
          "Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers "
              + newFinalizers(existing, result));
    }
    if (target == Target.MAIN) {
      Admission.validateUpdate(type, existing, result);
    }
    JsonObject rmeta = Json.meta(result);
    if (type.generational() && !sameOutsideMetadataAndStatus(existing, result)) {
      long generation = Json.num(Json.meta(existing), "generation") == null
          ? 0 : Json.num(Json.meta(existing), "generation");
      rmeta.addProperty("generation", generation + 1);
    }
    result = canonical(type, result);
    if (result.equals(existing)) {
      return existing.deepCopy();
    }
    if (Json.hasDeletionTimestamp(result) && !Json.hasFinalizers(result)) {
      removeObject(type, result);
      return result.deepCopy();
    }
    commit(type, "MODIFIED", result, existing);
    return result.deepCopy();
  }

  /** Fields the server owns; a client cannot change them through an update. */
  private static void keepSystemMetadata(JsonObject from, JsonObject to, ResourceType type) {
    for (String key : new String[] {"name", "namespace", "uid", "creationTimestamp", "deletionTimestamp",
        "deletionGracePeriodSeconds", "resourceVersion"}) {
      replaceOrRemove(to, key, from.get(key));
    }
    if (type.generational()) {
      replaceOrRemove(to, "generation", from.get("generation"));
    }
    to.remove("selfLink");
  }

  private static void replaceOrRemove(JsonObject target, String key, JsonElement value) {
    if (value == null || value.isJsonNull()) {
      target.remove(key);
    } else {
      target.add(key, value.deepCopy());
    }
  }

  private static boolean sameOutsideMetadataAndStatus(JsonObject a, JsonObject b) {
    JsonObject x = a.deepCopy();
    JsonObject y = b.deepCopy();
    for (String key : new String[] {"metadata", "status", "apiVersion", "kind"}) {
      x.remove(key);
      y.remove(key);
    }
    return x.equals(y);
  }

  private static boolean addsFinalizers(JsonObject before, JsonObject after) {
    return !newFinalizers(before, after).isEmpty();
  }

  private static List<String> newFinalizers(JsonObject before, JsonObject after) {
    JsonArray old = Json.finalizers(before);
    JsonArray now = Json.finalizers(after);
    List<String> added = new ArrayList<>();
    if (now != null) {
      for (JsonElement f : now) {
        if (old == null || !old.contains(f)) {
          added.add(f.getAsString());
        }
      }
    }
    return added;
  }

  // ---------------------------------------------------------------- delete

  /**
   * @param policy Background, Foreground, Orphan, or null for the type's default
   * @param preconditions DeleteOptions.preconditions (uid and/or resourceVersion), or null
   */
  synchronized DeleteResult delete(ResourceType type, String ns, String name, String policy,
      JsonObject preconditions) {
    JsonObject existing = find(type, ns, name);
    if (existing == null) {
      throw ApiError.notFound(type, name);
    }
    String wantUid = Json.str(preconditions, "uid");
    if (wantUid != null && !wantUid.equals(Json.uid(existing))) {
      throw ApiError.conflict(type, name, "Precondition failed: UID in precondition: " + wantUid
          + ", UID in object meta: " + Json.uid(existing));
    }
    String wantRv = Json.str(preconditions, "resourceVersion");
    if (wantRv != null && !wantRv.equals(Json.resourceVersion(existing))) {
      throw ApiError.conflict(type, name, "Precondition failed: ResourceVersion in precondition: " + wantRv
          + ", ResourceVersion in object meta: " + Json.resourceVersion(existing));
    }
    if (Json.hasDeletionTimestamp(existing)) {
      return new DeleteResult(existing.deepCopy(), false);
    }
    String effective = policy != null ? policy : type.defaultPropagation();
    JsonObject result = existing.deepCopy();
    // The garbage collector does orphaning and foreground deletion through these finalizers.
    if (effective.equals("Orphan")) {
      addFinalizer(result, "orphan");
    } else if (effective.equals("Foreground")) {
      addFinalizer(result, "foregroundDeletion");
    }
    if (!Json.hasFinalizers(result)) {
      removeObject(type, result);
      return new DeleteResult(result.deepCopy(), true);
    }
    JsonObject meta = Json.meta(result);
    Long generation = Json.num(meta, "generation");
    if (generation != null && generation > 0) {
      meta.addProperty("generation", generation + 1);
    }
    meta.addProperty("deletionTimestamp", Json.time(clock.instant()));
    meta.addProperty("deletionGracePeriodSeconds", 0);
    result = canonical(type, result);
    commit(type, "MODIFIED", result, existing);
    return new DeleteResult(result.deepCopy(), false);
  }

  private static void addFinalizer(JsonObject object, String finalizer) {
    JsonObject meta = Json.meta(object);
    JsonArray finalizers = Json.array(meta, "finalizers");
    if (finalizers == null) {
      finalizers = new JsonArray();
      meta.add("finalizers", finalizers);
    }
    if (!finalizers.contains(new JsonPrimitive(finalizer))) {
      finalizers.add(finalizer);
    }
  }

  private void removeObject(ResourceType type, JsonObject lastState) {
    objects.get(type).remove(key(Json.namespace(lastState), Json.name(lastState)));
    long rv = ++resourceVersion;
    Json.meta(lastState).addProperty("resourceVersion", Long.toString(rv));
    record(new WatchEvent(rv, "DELETED", type, lastState, null));
    String uid = Json.uid(lastState);
    if (uid != null) {
      removedUids.add(uid);
      if (removedUids.size() > REMOVED_UIDS_LIMIT) {
        removedUids.remove(removedUids.iterator().next());
      }
    }
  }

  // ---------------------------------------------------------------- watch

  /**
   * Registers a watch. With no resourceVersion (or "0") the current objects come first as ADDED
   * events, like a real server; otherwise every retained change after that version is replayed.
   *
   * @param sendInitialEvents the streaming-list flag: true forces the initial ADDED events, and
   *     with bookmarks allowed they end with a BOOKMARK annotated k8s.io/initial-events-end;
   *     false suppresses them; null keeps the classic behaviour
   * @throws ApiError 410 Expired when the requested version is older than the retained history
   */
  synchronized WatchSubscription watch(ResourceType type, String ns, Predicate<JsonObject> filter,
      String fromResourceVersion, Boolean sendInitialEvents, boolean allowBookmarks) {
    boolean noVersion = fromResourceVersion == null || fromResourceVersion.isEmpty()
        || fromResourceVersion.equals("0");
    WatchSubscription sub;
    if (Boolean.TRUE.equals(sendInitialEvents) || noVersion && sendInitialEvents == null) {
      // The synthetic ADDED events carry the current version; live changes are all newer.
      sub = new WatchSubscription(type, ns, filter, resourceVersion - 1);
      for (JsonObject o : objects.get(type).values()) {
        sub.offer(new WatchEvent(resourceVersion, "ADDED", type, o, null));
      }
      if (Boolean.TRUE.equals(sendInitialEvents) && allowBookmarks) {
        sub.offerLine(WatchEvent.toLine("BOOKMARK", initialEventsEndBookmark(type)));
      }
    } else if (noVersion) {
      sub = new WatchSubscription(type, ns, filter, resourceVersion);
    } else {
      long from;
      try {
        from = Long.parseLong(fromResourceVersion);
      } catch (NumberFormatException e) {
        throw ApiError.badRequest("invalid resource version: " + fromResourceVersion);
      }
      long oldestReplayable = history.isEmpty() ? resourceVersion : history.peekFirst().resourceVersion() - 1;
      if (from < oldestReplayable) {
        throw ApiError.expired("too old resource version: " + from + " (" + oldestReplayable + ")");
      }
      sub = new WatchSubscription(type, ns, filter, from);
      for (WatchEvent e : history) {
        if (e.resourceVersion() > from) {
          sub.offer(e);
        }
      }
    }
    subscriptions.add(sub);
    return sub;
  }

  private JsonObject initialEventsEndBookmark(ResourceType type) {
    JsonObject bookmark = new JsonObject();
    bookmark.addProperty("kind", type.kind());
    bookmark.addProperty("apiVersion", type.apiVersion());
    JsonObject meta = new JsonObject();
    meta.addProperty("resourceVersion", Long.toString(resourceVersion));
    JsonObject annotations = new JsonObject();
    annotations.addProperty("k8s.io/initial-events-end", "true");
    meta.add("annotations", annotations);
    bookmark.add("metadata", meta);
    return bookmark;
  }

  /**
   * Queues a BOOKMARK carrying the current resourceVersion. Done under the lock, so it lands after
   * every change it covers, and a client resuming from it misses nothing.
   */
  synchronized void bookmark(WatchSubscription sub) {
    JsonObject bookmark = new JsonObject();
    bookmark.addProperty("kind", sub.type().kind());
    bookmark.addProperty("apiVersion", sub.type().apiVersion());
    JsonObject meta = new JsonObject();
    meta.addProperty("resourceVersion", Long.toString(resourceVersion));
    bookmark.add("metadata", meta);
    sub.offerLine(WatchEvent.toLine("BOOKMARK", bookmark));
  }

  void unsubscribe(WatchSubscription sub) {
    subscriptions.remove(sub);
  }

  void dropWatches() {
    for (WatchSubscription s : subscriptions) {
      s.drop();
    }
  }

  void closeWatches() {
    for (WatchSubscription s : subscriptions) {
      s.close();
    }
  }

  int openWatches() {
    return subscriptions.size();
  }

  /** Forgets all history, as if etcd had compacted: any older resourceVersion now gets 410. */
  synchronized void compactHistory() {
    history.clear();
  }

  synchronized List<WatchEvent> history(ResourceType type) {
    return history.stream().filter(e -> type == null || e.resource() == type).toList();
  }

  // ---------------------------------------------------------------- internals

  private void commit(ResourceType type, String eventType, JsonObject stored, JsonObject previous) {
    long rv = ++resourceVersion;
    Json.meta(stored).addProperty("resourceVersion", Long.toString(rv));
    objects.get(type).put(key(Json.namespace(stored), Json.name(stored)), stored);
    record(new WatchEvent(rv, eventType, type, stored, previous));
  }

  private void record(WatchEvent event) {
    history.addLast(event);
    while (history.size() > historyLimit) {
      history.removeFirst();
    }
    for (WatchSubscription s : subscriptions) {
      s.offer(event);
    }
    for (java.util.function.Consumer<WatchEvent> l : listeners) {
      l.accept(event);
    }
    onChange.run();
  }

  private JsonObject find(ResourceType type, String ns, String name) {
    return objects.get(type).get(key(ns, name));
  }

  private static String key(String ns, String name) {
    // NUL sorts before every name character, so keys sort by namespace first, then name.
    return ns + '\0' + name;
  }

  /** apiVersion, kind, metadata, then the rest: the order a real server writes. */
  private static JsonObject canonical(ResourceType type, JsonObject obj) {
    JsonObject out = new JsonObject();
    out.addProperty("apiVersion", type.apiVersion());
    out.addProperty("kind", type.kind());
    out.add("metadata", Json.meta(obj));
    for (Map.Entry<String, JsonElement> e : obj.entrySet()) {
      if (!out.has(e.getKey())) {
        out.add(e.getKey(), e.getValue());
      }
    }
    return out;
  }

  /** Custom resources must name their apiVersion and kind; built-ins may leave them out. */
  private static void checkTypeMeta(ResourceType type, JsonObject obj, boolean required) {
    String apiVersion = Json.str(obj, "apiVersion");
    String kind = Json.str(obj, "kind");
    if (required && (kind == null || kind.isEmpty())) {
      throw ApiError.badRequest("Object 'Kind' is missing in '" + Json.write(obj) + "'");
    }
    if (required && (apiVersion == null || apiVersion.isEmpty())) {
      throw ApiError.badRequest("Object 'apiVersion' is missing in '" + Json.write(obj) + "'");
    }
    if (kind != null && !kind.isEmpty() && !kind.equals(type.kind())) {
      throw ApiError.badRequest(type.kind() + " in version \"" + type.version()
          + "\" cannot be handled as a " + type.kind() + ": the kind in the data (" + kind
          + ") does not match the expected kind (" + type.kind() + ")");
    }
    if (apiVersion != null && !apiVersion.isEmpty() && !apiVersion.equals(type.apiVersion())) {
      throw ApiError.badRequest("the API version in the data (" + apiVersion
          + ") does not match the expected API version (" + type.apiVersion() + ")");
    }
  }
}
