package dev.gantry;

import dev.gantry.config.GantryConfig;
import dev.gantry.config.GantryDefaults;
import dev.gantry.config.StartCommand;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The command line: {@code gantry [start] [options]}. Starting a node is {@link GantryNode#start}. */
@Command(name = "gantry", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
    description = "A masterless, clustered, OpenAI-compatible model serving platform.")
public final class Main {

  private static final Logger LOG = LoggerFactory.getLogger(Main.class);

  public static void main(String[] args) {
    SLF4JBridgeHandler.removeHandlersForRootLogger();
    SLF4JBridgeHandler.install();
    CommandLine cli = new CommandLine(new Main())
        .addSubcommand(new CommandLine(new StartCommand(Main::run)))
        .setDefaultValueProvider(new GantryDefaults());
    cli.getSubcommands().get("start").setDefaultValueProvider(new GantryDefaults());
    cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
      cmd.getErr().println("error: " + e.getMessage());
      return 2;
    });
    String[] effective = args.length == 0 || args[0].startsWith("--") && !isRootOption(args[0])
        ? prepend("start", args) : args;
    System.exit(cli.execute(effective));
  }

  private static int run(GantryConfig config) {
    GantryNode node;
    try {
      node = GantryNode.start(config);
    } catch (Exception e) {
      LOG.error("node failed to start: {}", e.getMessage(), LOG.isDebugEnabled() ? e : null);
      System.err.println("error: " + e.getMessage());
      return 1;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      node.close();
      stopped.countDown();
    }, "gantry-shutdown"));
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return 0;
  }

  private static boolean isRootOption(String arg) {
    return arg.equals("--help") || arg.equals("-h") || arg.equals("--version") || arg.equals("-V");
  }

  private static String[] prepend(String first, String[] rest) {
    String[] out = new String[rest.length + 1];
    out[0] = first;
    System.arraycopy(rest, 0, out, 1, rest.length);
    return out;
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"gantry " + GantryNode.version()};
    }
  }
}
