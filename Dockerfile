# Runtime image only: the shaded jar is built by Maven first (`make build` ->
# target/workflow-operator.jar), so no build stage is needed here.
#
# Base: eclipse-temurin:17-jre, chosen over gcr.io/distroless/java17 because it is the
# common, well-maintained JRE image with a shell, which keeps `kubectl exec` debugging
# possible on a dev cluster; the pod still runs hardened (non-root, read-only root
# filesystem, no capabilities) as set in deploy/deployment.yaml.
FROM eclipse-temurin:17-jre

COPY target/workflow-operator.jar /app/workflow-operator.jar

# 65532 is the conventional "nonroot" uid/gid; numeric so that Kubernetes can verify
# runAsNonRoot without an /etc/passwd entry, and it matches the pod securityContext.
USER 65532:65532

EXPOSE 8080

ENTRYPOINT ["java", "-jar", "/app/workflow-operator.jar"]
