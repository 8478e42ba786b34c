package dev.gantry.pool;

import dev.gantry.config.DatabaseUrl;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The cloud-init document a pool's instance boots from: it creates a {@code gantry} system user, writes
 * the cluster secret (and the database password, if any) to files only that user can read, writes a start
 * script and a systemd unit that runs {@code gantry start --join … --cluster-secret-file … --labels
 * pool=<name>,…} as that user, then blocks the instance metadata service for every user but root and
 * removes cloud-init's copies of the user-data.
 *
 * <p>Why: no secret is on a command line (so not in {@code ps} or the journal) or in a log; but user-data
 * itself is readable from the metadata service by any process of the instance until the block is in
 * place, and by whoever may read the instance's attributes through the cloud's API. Gantry accepts that:
 * a pool's instances run nothing but Gantry and its engines, and the cloud account is trusted with the
 * cluster anyway. Every word of the start line is single-quoted for the shell.
 */
public final class UserData {

  public static final String SECRET_FILE = "/etc/gantry/cluster_secret";
  public static final String DB_PASSWORD_FILE = "/etc/gantry/db_password";
  public static final String START_SCRIPT = "/etc/gantry/start.sh";
  static final List<String> METADATA_ADDRESSES = List.of("169.254.169.254", "100.100.100.200");

  private UserData() {
  }

  /**
   * @param startCommand the Gantry executable on the image ({@code gantry})
   * @param peers {@code host:port} cluster addresses of nodes to join
   * @param database the database the node shares with the cluster; its password goes to a file
   */
  public static String render(String startCommand, String nodeName, List<String> peers, Map<String, String> labels,
      String clusterSecret, DatabaseUrl database) {
    StringBuilder out = new StringBuilder("#cloud-config\n")
        .append("users:\n  - default\n  - name: gantry\n    system: true\n    shell: /usr/sbin/nologin\n")
        .append("write_files:\n");
    file(out, SECRET_FILE, "gantry:gantry", "0400", clusterSecret);
    String password = database.password();
    DatabaseUrl withoutPassword = new DatabaseUrl(database.host(), database.port(), database.database(), database.user(), null);
    if (password != null) {
      file(out, DB_PASSWORD_FILE, "gantry:gantry", "0400", password);
    }
    String labelList = labels.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(","));
    String start = String.join(" ", List.of(quote(startCommand), "start", "--node-name", quote(nodeName),
        "--join", quote(String.join(",", peers)), "--cluster-secret-file", quote(SECRET_FILE),
        "--labels", quote(labelList), "--db-url", quote(withoutPassword.toUrl()),
        "--data-dir", "'/var/lib/gantry'"))
        + (password == null ? "" : " --db-password-file " + quote(DB_PASSWORD_FILE));
    file(out, START_SCRIPT, "root:root", "0755", "#!/bin/sh\nGANTRY_HOST=\"$(hostname -I | cut -d ' ' -f 1)\"\n"
        + "export GANTRY_HOST\nexec " + start);
    file(out, "/etc/systemd/system/gantry.service", "root:root", "0644", "[Unit]\nDescription=Gantry node (worker pool)\n"
        + "After=network-online.target\nWants=network-online.target\n\n[Service]\nUser=gantry\nExecStart=" + START_SCRIPT
        + "\nRestart=on-failure\nRestartSec=5\nTimeoutStopSec=60\n\n[Install]\nWantedBy=multi-user.target");
    out.append("runcmd:\n");
    for (String address : METADATA_ADDRESSES) {
      out.append("  - [iptables, -A, OUTPUT, -d, '").append(address)
          .append("', -m, owner, '!', --uid-owner, '0', -j, REJECT]\n");
    }
    out.append("  - [sh, -c, 'rm -f /var/lib/cloud/instance/user-data.txt*']\n")
        .append("  - [install, -d, -o, gantry, -g, gantry, -m, '0700', /var/lib/gantry]\n")
        .append("  - [systemctl, daemon-reload]\n")
        .append("  - [systemctl, enable, --now, gantry.service]\n");
    return out.toString();
  }

  private static void file(StringBuilder out, String path, String owner, String permissions, String content) {
    out.append("  - path: ").append(path).append('\n')
        .append("    owner: ").append(owner).append('\n')
        .append("    permissions: '").append(permissions).append("'\n")
        .append("    defer: true\n")
        .append("    content: |\n");
    for (String line : content.split("\n", -1)) {
      out.append("      ").append(line).append('\n');
    }
  }

  /** One word for {@code sh}: single quotes, with a quote inside written as {@code '\''}. */
  static String quote(String word) {
    return "'" + word.replace("'", "'\\''") + "'";
  }
}
