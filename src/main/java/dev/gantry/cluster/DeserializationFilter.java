package dev.gantry.cluster;

import java.io.ObjectInputFilter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JVM-wide Java deserialization filter: an allow-list, everything else refused. Gantry's own maps
 * hold strings and vert.x and Hazelcast use their own formats, so Java serialization is only left for
 * what Hazelcast ships between members (exceptions in responses, JDK collections and values); a class
 * outside the list — the first link of every known gadget chain (e.g. {@code java.net.URL},
 * commons-collections, {@code javax.management}) — fails with {@link java.io.InvalidClassException}
 * before any of its code runs.
 */
public final class DeserializationFilter {

  /** Allowed packages (a trailing {@code .*} is that package, {@code .**} also its subpackages); {@code !*} refuses the rest. */
  static final String PATTERN = String.join(";",
      "maxdepth=64",
      "java.lang.*", "java.util.*", "java.util.concurrent.*", "java.util.concurrent.atomic.*", "java.time.*",
      "java.math.*", "java.io.IOException", "java.io.UncheckedIOException", "java.io.EOFException",
      "java.net.ConnectException", "java.net.SocketException", "java.net.SocketTimeoutException",
      "java.net.UnknownHostException",
      "com.hazelcast.**", "io.vertx.**",
      "!*");

  private static final Logger LOG = LoggerFactory.getLogger(DeserializationFilter.class);

  /** Installs the filter once per JVM; one the operator set with {@code -Djdk.serialFilter} is kept. */
  public static synchronized void install() {
    ObjectInputFilter current = ObjectInputFilter.Config.getSerialFilter();
    if (current == null) {
      ObjectInputFilter.Config.setSerialFilter(ObjectInputFilter.Config.createFilter(PATTERN));
      LOG.debug("java deserialization filter installed [pattern: {}]", PATTERN);
    } else if (!PATTERN.equals(current.toString())) {
      LOG.info("keeping the java deserialization filter set for this jvm [filter: {}]", current);
    }
  }

  private DeserializationFilter() {
  }
}
