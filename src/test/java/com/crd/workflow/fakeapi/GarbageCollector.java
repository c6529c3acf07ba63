package com.crd.workflow.fakeapi;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The kube-controller-manager's garbage collector, asynchronous like the real one: dependents
 * of a removed owner are deleted a few tens of milliseconds later, and the {@code orphan} and
 * {@code foregroundDeletion} finalizers that DELETE adds are processed here.
 *
 * <p>An owner counts as gone only if this server saw it removed. A real collector also deletes
 * dependents whose owner uid never existed; tests often use made-up owner uids, so that is left out.
 */
final class GarbageCollector implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(GarbageCollector.class.getName());
  private static final long PERIOD_MS = 20;

  private final ObjectStore store;
  private final AtomicBoolean dirty = new AtomicBoolean();
  private volatile boolean enabled = true;
  private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "fake-apiserver-gc");
    t.setDaemon(true);
    return t;
  });

  GarbageCollector(ObjectStore store) {
    this.store = store;
  }

  void start() {
    store.onChange(() -> dirty.set(true));
    executor.scheduleWithFixedDelay(this::runIfDirty, PERIOD_MS, PERIOD_MS, TimeUnit.MILLISECONDS);
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }

  /** Off, nothing is collected: a scale benchmark's 100,000 objects would cost a scan per change. */
  void setEnabled(boolean enabled) {
    this.enabled = enabled;
  }

  private void runIfDirty() {
    if (!enabled || !dirty.getAndSet(false)) {
      return;
    }
    try {
      pass();
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "garbage collection pass failed; will retry", e);
      dirty.set(true);
    }
  }

  private record Item(ResourceType type, JsonObject object) {
    String uid() {
      return Json.uid(object);
    }
  }

  /** One round; any change it makes marks the store dirty again, so chains finish in later rounds. */
  void pass() {
    List<Item> all = new ArrayList<>();
    for (ResourceType t : ResourceType.ALL) {
      for (JsonObject o : store.snapshot(t)) {
        all.add(new Item(t, o));
      }
    }
    Map<String, List<Item>> dependentsByOwner = new HashMap<>();
    Map<String, Item> byUid = new HashMap<>();
    for (Item item : all) {
      byUid.put(item.uid(), item);
      for (String owner : ownerUids(item.object())) {
        dependentsByOwner.computeIfAbsent(owner, k -> new ArrayList<>()).add(item);
      }
    }
    for (Item owner : all) {
      if (!Json.hasDeletionTimestamp(owner.object())) {
        continue;
      }
      List<Item> dependents = dependentsByOwner.getOrDefault(owner.uid(), List.of());
      if (Json.hasFinalizer(owner.object(), "orphan")) {
        for (Item d : dependents) {
          removeOwnerRefs(d, List.of(owner.uid()));
        }
        removeFinalizer(owner, "orphan");
      } else if (Json.hasFinalizer(owner.object(), "foregroundDeletion")) {
        if (dependents.isEmpty()) {
          removeFinalizer(owner, "foregroundDeletion");
        }
        for (Item d : dependents) {
          boolean hasOwnDependents = dependentsByOwner.containsKey(d.uid());
          deleteQuietly(d, hasOwnDependents ? "Foreground" : "Background");
        }
      }
    }
    for (Item dependent : all) {
      List<String> owners = ownerUids(dependent.object());
      if (owners.isEmpty()) {
        continue;
      }
      List<String> gone = owners.stream().filter(u -> !byUid.containsKey(u) && store.wasRemoved(u)).toList();
      if (gone.isEmpty()) {
        continue;
      }
      if (gone.size() == owners.size()) {
        deleteQuietly(dependent, "Background");
      } else {
        removeOwnerRefs(dependent, gone);
      }
    }
  }

  private static List<String> ownerUids(JsonObject object) {
    JsonArray refs = Json.array(Json.obj(object, "metadata"), "ownerReferences");
    List<String> uids = new ArrayList<>();
    if (refs != null) {
      for (JsonElement r : refs) {
        String uid = r.isJsonObject() ? Json.str(r.getAsJsonObject(), "uid") : null;
        if (uid != null) {
          uids.add(uid);
        }
      }
    }
    return uids;
  }

  private void deleteQuietly(Item item, String policy) {
    if (Json.hasDeletionTimestamp(item.object())) {
      return;
    }
    JsonObject preconditions = new JsonObject();
    preconditions.addProperty("uid", item.uid());
    try {
      store.delete(item.type(), Json.namespace(item.object()), Json.name(item.object()), policy, preconditions);
    } catch (ApiError e) {
      // Already gone or replaced by a new object of the same name: nothing to collect.
    }
  }

  private void removeOwnerRefs(Item item, List<String> ownerUids) {
    store.patchIfSameUid(item.type(), Json.namespace(item.object()), Json.name(item.object()), item.uid(), o -> {
      JsonObject meta = Json.meta(o);
      JsonArray refs = Json.array(meta, "ownerReferences");
      if (refs != null) {
        JsonArray kept = new JsonArray();
        for (JsonElement r : refs) {
          if (!r.isJsonObject() || !ownerUids.contains(Json.str(r.getAsJsonObject(), "uid"))) {
            kept.add(r);
          }
        }
        if (kept.isEmpty()) {
          meta.remove("ownerReferences");
        } else {
          meta.add("ownerReferences", kept);
        }
      }
      return o;
    }, ObjectStore.Target.MAIN);
  }

  private void removeFinalizer(Item item, String finalizer) {
    store.patchIfSameUid(item.type(), Json.namespace(item.object()), Json.name(item.object()), item.uid(), o -> {
      JsonObject meta = Json.meta(o);
      JsonArray finalizers = Json.array(meta, "finalizers");
      if (finalizers != null) {
        JsonArray kept = new JsonArray();
        for (JsonElement f : finalizers) {
          if (!f.getAsString().equals(finalizer)) {
            kept.add(f);
          }
        }
        if (kept.isEmpty()) {
          meta.remove("finalizers");
        } else {
          meta.add("finalizers", kept);
        }
      }
      return o;
    }, ObjectStore.Target.MAIN);
  }
}
