package dev.gantry.cluster;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a node's cluster secret comes from: the one given ({@code --cluster-secret},
 * {@code GANTRY_CLUSTER_SECRET}, {@code --cluster-secret-file}), else the one kept in
 * {@code <data-dir>/cluster_secret} (0600), else — only for the first node of a new cluster on a loopback
 * address — a new one, saved there. A node on a network address never makes one up: a secret generated
 * there would be a cluster no one else can join, or one started by accident in the open.
 */
public final class ClusterSecrets {

  public static final String FILE = "cluster_secret";
  private static final Logger LOG = LoggerFactory.getLogger(ClusterSecrets.class);

  /** The secret to use; {@code given} may be null. Throws with what to do when there is none. */
  public static ClusterSecret resolve(ClusterSecret given, Path dataDir, String host, boolean joining) throws IOException {
    if (given != null) {
      return given;
    }
    Path file = dataDir.resolve(FILE);
    if (Files.exists(file)) {
      return ClusterSecret.of(Files.readString(file));
    }
    if (joining) {
      throw new IllegalStateException("this node joins a cluster (--join) but has no cluster secret: give it the "
          + "secret of that cluster with GANTRY_CLUSTER_SECRET or --cluster-secret-file (the first node printed it "
          + "and keeps it in its <data-dir>/" + FILE + ")");
    }
    if (!loopback(host)) {
      throw new IllegalStateException("this node listens on " + host + ", a network address, and has no cluster "
          + "secret, so anyone who can reach it could join its cluster. Generate one (openssl rand -hex 32) and give "
          + "every node the same value with GANTRY_CLUSTER_SECRET or --cluster-secret-file; or use --host 127.0.0.1");
    }
    String value = ClusterSecret.generate();
    Files.createDirectories(dataDir);
    Path temp = dataDir.resolve(FILE + ".tmp");
    Files.deleteIfExists(temp);
    Files.createFile(temp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(temp, value);
    Files.move(temp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    LOG.info("generated a cluster secret in {} (0600); other nodes join with GANTRY_CLUSTER_SECRET=$(cat {}) "
        + "java -jar gantry.jar --join {}:<cluster-port> ...", file, file, host);
    return ClusterSecret.of(value);
  }

  static boolean loopback(String host) {
    try {
      return InetAddress.getByName(host).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  private ClusterSecrets() {
  }
}
