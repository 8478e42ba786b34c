package dev.gantry.pool;

import dev.gantry.GantryNode;
import dev.gantry.config.GantryConfig;
import dev.gantry.config.StartCommand;
import dev.gantry.testing.Ports;
import dev.gantry.testing.TestFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.yaml.snakeyaml.Yaml;
import picocli.CommandLine;

/**
 * What a pool's instance does when it boots, done in this JVM: reads the cloud-init document a fake cloud
 * was given, writes its {@code write_files} under a temp folder (so {@code /etc/gantry/cluster_secret}
 * becomes {@code <tmp>/etc/gantry/cluster_secret}), takes the {@code exec gantry start ...} line of its start
 * script word by word and starts a real {@link GantryNode} with it, on its own thread. Only what a machine
 * would decide differs: the node's address and ports (127.0.0.1 and free ports) and its data folder.
 * Deleting the instance halts the node, as a VM that is switched off.
 */
final class CloudBootedNodes implements AutoCloseable {

  final Map<String, GantryNode> running = new ConcurrentHashMap<>();
  final Map<String, Map<String, Object>> documents = new ConcurrentHashMap<>();
  final Map<String, List<String>> commandLines = new ConcurrentHashMap<>();
  final Map<String, Throwable> failed = new ConcurrentHashMap<>();
  /** The temp folders the machines booted in, deleted on close (each run used to leave three behind). */
  private final List<Path> roots = new CopyOnWriteArrayList<>();
  volatile boolean booting = true;

  void boot(String name, String userData) {
    if (!userData.startsWith("#cloud-config\n")) {
      failed.put(name, new IllegalArgumentException("user-data is not a cloud-config document"));
      return;
    }
    Map<String, Object> document = new Yaml().load(userData);
    documents.put(name, document);
    if (!booting) {
      return;
    }
    Thread starter = new Thread(() -> {
      try {
        running.put(name, start(name, document));
      } catch (Throwable e) {
        failed.put(name, e);
      }
    }, "boot-" + name);
    starter.setDaemon(true);
    starter.start();
  }

  @SuppressWarnings("unchecked")
  private GantryNode start(String name, Map<String, Object> document) throws Exception {
    Path root = TestFiles.tempDir("cloud-" + name + "-");
    roots.add(root);
    String script = null;
    for (Map<String, Object> file : (List<Map<String, Object>>) document.get("write_files")) {
      Path target = root.resolve(((String) file.get("path")).substring(1));
      Files.createDirectories(target.getParent());
      Files.writeString(target, (String) file.get("content"));
      if (((String) file.get("path")).endsWith("/start.sh")) {
        script = (String) file.get("content");
      }
    }
    List<String> words = words(script.lines().filter(l -> l.startsWith("exec ")).findFirst().orElseThrow().substring(5));
    commandLines.put(name, words);
    List<String> args = new ArrayList<>();
    for (int i = 2; i < words.size(); i++) {
      String word = words.get(i);
      if (word.equals("--data-dir")) {
        i++;
        continue;
      }
      args.add(word.startsWith("/etc/gantry/") ? root.resolve(word.substring(1)).toString() : word);
    }
    args.addAll(List.of("--data-dir", root.resolve("var/lib/gantry").toString(), "--host", "127.0.0.1",
        "--port", String.valueOf(Ports.free()), "--cluster-port", String.valueOf(Ports.free()), "--http-instances", "1"));
    StartCommand command = new StartCommand(config -> 0);
    new CommandLine(command).parseArgs(args.toArray(String[]::new));
    GantryConfig config = command.toConfig();
    return GantryNode.start(config);
  }

  /** The words of a shell line of single-quoted and plain words (what {@code UserData} writes). */
  static List<String> words(String line) {
    List<String> out = new ArrayList<>();
    StringBuilder word = new StringBuilder();
    boolean quoted = false;
    boolean any = false;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (c == '\'') {
        quoted = !quoted;
        any = true;
      } else if (c == '\\' && !quoted && i + 1 < line.length()) {
        word.append(line.charAt(++i));
      } else if (c == ' ' && !quoted) {
        if (any || word.length() > 0) {
          out.add(word.toString());
        }
        word.setLength(0);
        any = false;
      } else {
        word.append(c);
      }
    }
    if (any || word.length() > 0) {
      out.add(word.toString());
    }
    return out;
  }

  void halt(String name) {
    GantryNode node = running.remove(name);
    if (node != null) {
      Thread stopper = new Thread(node::halt, "halt-" + name);
      stopper.setDaemon(true);
      stopper.start();
    }
  }

  @Override
  public void close() {
    running.values().forEach(GantryNode::halt);
    running.clear();
    roots.forEach(TestFiles::deleteRecursively);
  }
}
