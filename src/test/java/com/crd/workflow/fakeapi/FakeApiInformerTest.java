package com.crd.workflow.fakeapi;

import static com.crd.workflow.fakeapi.FakeApiFixtures.NS;
import static org.awaitility.Awaitility.await;

import io.kubernetes.client.informer.SharedIndexInformer;
import io.kubernetes.client.informer.SharedInformerFactory;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.models.V1Job;
import io.kubernetes.client.openapi.models.V1JobList;
import io.kubernetes.client.util.generic.GenericKubernetesApi;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** client-java's list-then-watch informer keeps an accurate cache across dropped and expired watches. */
class FakeApiInformerTest {
  @TempDir Path dir;

  @Test
  void informerCacheSurvivesDroppedAndExpiredWatches() throws Exception {
    try (FakeApiServer server = new FakeApiServer().start()) {
      server.setJobControllerEnabled(false);
      ApiClient client = FakeApiFixtures.watchClient(server, dir);
      server.create("jobs", NS, jobJson("before"));
      SharedInformerFactory factory = new SharedInformerFactory(client);
      SharedIndexInformer<V1Job> informer = factory.sharedIndexInformerFor(
          new GenericKubernetesApi<>(V1Job.class, V1JobList.class, "batch", "v1", "jobs", client), V1Job.class, 0);
      factory.startAllRegisteredInformers();
      try {
        await().atMost(Duration.ofSeconds(5)).until(() -> informer.hasSynced()
            && informer.getIndexer().getByKey(NS + "/before") != null);

        server.dropWatches();
        server.create("jobs", NS, jobJson("after-drop"));
        await().atMost(Duration.ofSeconds(5)).until(() -> informer.getIndexer().getByKey(NS + "/after-drop") != null);

        server.compactWatchHistory();
        server.dropWatches();
        server.create("jobs", NS, jobJson("after-expiry"));
        server.delete("jobs", NS, "before", "Background");
        await().atMost(Duration.ofSeconds(5)).until(() -> informer.getIndexer().getByKey(NS + "/after-expiry") != null
            && informer.getIndexer().getByKey(NS + "/before") == null);
      } finally {
        factory.stopAllRegisteredInformers();
      }
    }
  }

  private static com.google.gson.JsonObject jobJson(String name) {
    return Json.parse(io.kubernetes.client.openapi.JSON.serialize(FakeApiFixtures.job(name, "busybox", "true")))
        .getAsJsonObject();
  }
}
