package dev.gantry.pool;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.config.DatabaseUrl;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/** The cloud-init document: secrets in files only the service reads, never on the start line; every word quoted. */
class UserDataTest {

  private static final String SECRET = "0123456789abcdef0123456789abcdef";

  @SuppressWarnings("unchecked")
  @Test
  void secretsGoToFilesAndTheStartLineNamesThemOnly() {
    Map<String, String> labels = new LinkedHashMap<>(Map.of("pool", "gpu"));
    String userData = UserData.render("gantry", "gpu-abc", List.of("10.0.0.5:5701"), labels, SECRET,
        DatabaseUrl.parse("postgresql://gantry:db-Pass'word@10.0.0.9:5432/gantry"));

    Map<String, Object> document = new Yaml().load(userData);
    List<Map<String, Object>> files = (List<Map<String, Object>>) document.get("write_files");
    Map<String, Object> secret = files.stream().filter(f -> f.get("path").equals(UserData.SECRET_FILE)).findFirst().orElseThrow();
    Map<String, Object> password = files.stream().filter(f -> f.get("path").equals(UserData.DB_PASSWORD_FILE)).findFirst()
        .orElseThrow();
    String script = (String) files.stream().filter(f -> f.get("path").equals(UserData.START_SCRIPT)).findFirst().orElseThrow()
        .get("content");
    String start = script.lines().filter(l -> l.startsWith("exec ")).findFirst().orElseThrow();

    assertThat(secret).containsEntry("owner", "gantry:gantry").containsEntry("permissions", "0400");
    assertThat(((String) secret.get("content")).strip()).isEqualTo(SECRET);
    assertThat(((String) password.get("content")).strip()).isEqualTo("db-Pass'word");
    assertThat(start).doesNotContain(SECRET).doesNotContain("db-Pass");
    assertThat(CloudBootedNodes.words(start.substring(5))).containsSubsequence("--cluster-secret-file", UserData.SECRET_FILE)
        .containsSubsequence("--db-url", "postgresql://gantry@10.0.0.9:5432/gantry")
        .containsSubsequence("--db-password-file", UserData.DB_PASSWORD_FILE)
        .containsSubsequence("--labels", "pool=gpu").containsSubsequence("--join", "10.0.0.5:5701");
    assertThat(userData).contains("[iptables, -A, OUTPUT, -d, '169.254.169.254', -m, owner, '!', --uid-owner, '0', -j, REJECT]");
  }

  @Test
  void aQuoteInAWordCannotEndItsQuoting() {
    assertThat(UserData.quote("a'; rm -rf / #")).isEqualTo("'a'\\''; rm -rf / #'");
    assertThat(CloudBootedNodes.words(UserData.quote("a'; rm -rf / #") + " next")).containsExactly("a'; rm -rf / #", "next");
  }
}
