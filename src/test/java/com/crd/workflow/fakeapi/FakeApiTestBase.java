package com.crd.workflow.fakeapi;

import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.apis.BatchV1Api;
import io.kubernetes.client.openapi.apis.CustomObjectsApi;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * A fresh server per test, its Job controller off so tests move Jobs themselves, and the real
 * client-java pointed at it.
 */
abstract class FakeApiTestBase {
  @TempDir Path dir;
  FakeApiServer server;
  ApiClient client;
  BatchV1Api batch;
  CustomObjectsApi custom;

  @BeforeEach
  void startServer() throws Exception {
    server = new FakeApiServer().start();
    server.setJobControllerEnabled(false);
    client = FakeApiFixtures.client(server, dir);
    batch = new BatchV1Api(client);
    custom = new CustomObjectsApi(client);
  }

  @AfterEach
  void stopServer() {
    server.close();
  }
}
