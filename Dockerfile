# syntax=docker/dockerfile:1
#
# Gantry node image. Build:   docker build -t gantry:dev .
# Run one node (embedded PostgreSQL in the volume; a node on a network address refuses to start without
# a cluster secret):
#   docker run --name gantry --hostname gantry -e GANTRY_HOST=gantry -e GANTRY_CLUSTER_SECRET="$(openssl rand -hex 32)" \
#              -v gantry-data:/var/lib/gantry -p 127.0.0.1:8080:8080 gantry:dev
#   docker exec gantry cat /var/lib/gantry/initial_admin_password     # the first admin password
# GANTRY_HOST must be an address of the container (its host name or service name): the node binds
# HTTP and Hazelcast to it and advertises it to its peers. See docs/OPERATIONS.md.

# ---- build: the shaded jar ------------------------------------------------------------------------
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml ./
COPY src ./src
# the web console's files, which the jar serves
COPY webroot ./webroot
# the Maven repository is a build cache, not a layer: rebuilds after a source change reuse it
RUN --mount=type=cache,target=/root/.m2 mvn -B -q package -DskipTests

# ---- runtime ----------------------------------------------------------------------------------------
FROM eclipse-temurin:17-jre

LABEL org.opencontainers.image.title="Gantry" \
      org.opencontainers.image.description="Masterless, clustered, OpenAI-compatible model serving platform"

# a fixed uid/gid so that bind-mounted data directories can be prepared on the host (chown 10001)
RUN groupadd --system --gid 10001 gantry \
 && useradd --system --uid 10001 --gid gantry --home-dir /var/lib/gantry --shell /usr/sbin/nologin gantry \
 && mkdir -p /opt/gantry/conf /var/lib/gantry \
 && chown gantry:gantry /var/lib/gantry

WORKDIR /opt/gantry
COPY --from=build /src/target/gantry.jar /opt/gantry/gantry.jar
# the bundled embedding model's graph (builtin all-minilm-l6-v2) is read from models/ beside the jar
COPY --from=build /src/target/models /opt/gantry/models
# AWS EC2 and Alibaba Cloud ECS support for worker pools, on the jar's manifest Class-Path
# (cloud/gantry-aws.jar, cloud/gantry-aliyun.jar)
COPY --from=build /src/target/cloud /opt/gantry/cloud
# every line of the default file is a comment; mount your own over it or use GANTRY_* variables
COPY conf/gantry.properties /opt/gantry/conf/gantry.properties

# Every option of `gantry start` is also a GANTRY_<NAME> variable. The data directory (engine logs, pid
# files and, without GANTRY_DB_URL, the embedded PostgreSQL) is the one place the node writes to.
ENV GANTRY_DATA_DIR=/var/lib/gantry \
    GANTRY_PORT=8080 \
    GANTRY_CLUSTER_PORT=5701

# The JVM's flags: a small idle footprint by default. A node that serves much gateway traffic, streams above all,
# wants a fixed heap touched at start: -e GANTRY_JAVA_OPTS="-Xms2g -Xmx2g -XX:+AlwaysPreTouch" (docs/OPERATIONS.md).
ENV GANTRY_JAVA_OPTS="-XX:+UseSerialGC -Xms32m -Xmn32m -Xmx512m"

USER gantry:gantry

# 8080: HTTP (API, gateway, console, /metrics, /health); 5701: Hazelcast, node to node only
EXPOSE 8080 5701

# Ready = database answers, cluster member running, verticles deployed (503 otherwise).
# curl ships with the eclipse-temurin image; the node listens on GANTRY_HOST, not on every interface.
HEALTHCHECK --interval=10s --timeout=3s --start-period=60s --retries=3 \
  CMD curl -fsS -o /dev/null "http://${GANTRY_HOST:-127.0.0.1}:${GANTRY_PORT:-8080}/health/ready" || exit 1

# exec: java replaces the shell and is the one that gets the container's signals (graceful stop)
ENTRYPOINT ["/bin/sh","-c","exec java $GANTRY_JAVA_OPTS -jar /opt/gantry/gantry.jar \"$@\"","gantry"]
CMD ["start"]
