package dev.gantry.cluster;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
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

  /**
   * The secret to use; {@code given} may be null. Throws with what to do when there is none. A secret
   * generated here is announced with the command that starts the next node; a given one is never shown.
   */
  public static ClusterSecret resolve(ClusterSecret given, Path dataDir, String host, int clusterPort, boolean joining)
      throws IOException {
    if (given != null) {
      return given;
    }
    Path file = dataDir.resolve(FILE);
    if (Files.exists(file)) {
      return ClusterSecret.of(Files.readString(file));
    }
    if (joining) {
      throw new IllegalStateException("this node joins a cluster (--join) but has no cluster secret. Give it the "
          + "secret of that cluster with GANTRY_CLUSTER_SECRET=<secret> or --cluster-secret-file <file>; the first "
          + "node of the cluster keeps it in its <data-dir>/" + FILE);
    }
    if (!loopback(host)) {
      throw new IllegalStateException("this node listens on " + host + ", a network address, and has no cluster "
          + "secret, so anyone who can reach it could join its cluster. Generate one with 'openssl rand -hex 32' and "
          + "give every node the same value with GANTRY_CLUSTER_SECRET=<secret> or --cluster-secret-file <file>, "
          + "or listen on a loopback address (--host 127.0.0.1)");
    }
    String value = ClusterSecret.generate();
    save(file, value);
    String join = joinCommand(file, host, clusterPort);
    LOG.info("generated a cluster secret [file: {}] [next node: {}]", file, join);
    System.out.println("\n================================================================\n"
        + " Gantry started a new cluster; its secret is in " + file + " (mode 0600).\n"
        + " Start the next node of this cluster (on this host) with:\n\n"
        + "     " + join + "\n"
        + "================================================================\n");
    return ClusterSecret.of(value);
  }

  /** The command that starts another node of this cluster; it names the secret's file, never the secret. */
  static String joinCommand(Path secretFile, String host, int clusterPort) {
    return "GANTRY_CLUSTER_SECRET=\"$(cat " + secretFile.toAbsolutePath() + ")\" java -jar gantry.jar --join "
        + host + ":" + clusterPort + " --data-dir <another dir> --port <free port> --cluster-port <free port>"
        + " --db-url <this cluster's database>";
  }

  private static void save(Path file, String value) throws IOException {
    Files.createDirectories(file.getParent());
    Path temp = file.resolveSibling(FILE + ".tmp");
    Files.deleteIfExists(temp);
    Files.createFile(temp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(temp, value);
    Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
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
