package dev.gantry.catalog;

import dev.gantry.cluster.NodeRecord;
import dev.gantry.cluster.NodeState;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The model catalog: the curated file shipped in the jar ({@code catalog/gantry-catalog.json}), an
 * operator's files at URLs ({@link CatalogUrls}, their last good copies) and in
 * {@code <data-dir>/catalog.d/*.json} (same shape; a family of the same name replaces an earlier one, so
 * local files win over URLs, which win over the shipped file). A file that does not read is reported under
 * {@code sources} with its error and left out; it never breaks the catalog.
 *
 * <p>{@link #forCluster} answers, for the cluster's live nodes, each family with the specs that fit some
 * node (with those nodes), best first: specs for accelerators before CPU ones, bigger hardware first,
 * then specs this cluster measured ({@link PgMeasuredSpecStore}), then standard, throughput, latency.
 */
public final class Catalog {

  public static final String SHIPPED = "catalog/gantry-catalog.json";

  private final Path operatorDir;
  private final CatalogUrls urls;

  public Catalog(Path operatorDir) {
    this(operatorDir, CatalogUrls.none());
  }

  public Catalog(Path operatorDir, CatalogUrls urls) {
    this.operatorDir = operatorDir;
    this.urls = urls;
  }

  /** Every family, read now (blocking: small files), with each source's outcome. */
  public Loaded load() {
    Map<String, CatalogFamily> families = new LinkedHashMap<>();
    JsonArray sources = new JsonArray();
    read("shipped:" + SHIPPED, shipped(), families, sources);
    urls.addTo(families, sources);
    if (operatorDir != null && Files.isDirectory(operatorDir)) {
      try (Stream<Path> files = Files.list(operatorDir)) {
        for (Path file : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
          String text;
          try {
            text = Files.readString(file);
          } catch (IOException e) {
            sources.add(new JsonObject().put("source", file.toString()).put("error", "cannot read: " + e.getMessage()));
            continue;
          }
          read(file.toString(), text, families, sources);
        }
      } catch (IOException e) {
        sources.add(new JsonObject().put("source", operatorDir.toString()).put("error", "cannot list: " + e.getMessage()));
      }
    }
    return new Loaded(List.copyOf(families.values()), sources);
  }

  /** What was read: the families and, per source, how many families or the error. */
  public record Loaded(List<CatalogFamily> families, JsonArray sources) {

    /**
     * With the specs this cluster measured: each joins its family (replacing a spec of the same id), or
     * makes a family of its own when the catalog has none of that name.
     */
    public Loaded withMeasured(List<PgMeasuredSpecStore.Measured> measured) {
      if (measured.isEmpty()) {
        return this;
      }
      Map<String, CatalogFamily> byName = new LinkedHashMap<>();
      families.forEach(f -> byName.put(f.name(), f));
      for (PgMeasuredSpecStore.Measured one : measured) {
        CatalogFamily family = byName.getOrDefault(one.family(), new CatalogFamily(one.family(), one.family(),
            "Specs measured on this cluster by \"find the best spec\" runs.", new JsonArray(), null, List.of(), "measured"));
        List<CatalogSpec> specs = new ArrayList<>(family.specs().stream().filter(s -> !s.id().equals(one.spec().id())).toList());
        specs.add(one.spec());
        byName.put(family.name(), new CatalogFamily(family.name(), family.title(), family.description(), family.categories(),
            family.homepage(), List.copyOf(specs), family.source()));
      }
      JsonArray all = sources.copy().add(new JsonObject().put("source", "measured").put("specs", measured.size()));
      return new Loaded(List.copyOf(byName.values()), all);
    }
  }

  /** Why {@code text} is not a valid catalog file, or null when it is. */
  static String problem(String source, String text) {
    JsonArray report = new JsonArray();
    read(source, text, new LinkedHashMap<>(), report);
    return report.getJsonObject(0).getString("error");
  }

  /** Parses one catalog file into {@code families}; a bad file is reported and contributes nothing. */
  static void read(String source, String text, Map<String, CatalogFamily> families, JsonArray sources) {
    List<CatalogFamily> parsed = new ArrayList<>();
    try {
      JsonArray list = new JsonObject(text).getJsonArray("families");
      if (list == null) {
        throw new IllegalArgumentException("a catalog file is {\"families\": [...]}");
      }
      for (Object family : list) {
        if (!(family instanceof JsonObject object)) {
          throw new IllegalArgumentException("every family is an object");
        }
        parsed.add(CatalogFamily.from(object, source));
      }
    } catch (DecodeException | ClassCastException | IllegalArgumentException e) {
      sources.add(new JsonObject().put("source", source).put("error", e.getMessage()));
      return;
    }
    parsed.forEach(family -> families.put(family.name(), family));
    sources.add(new JsonObject().put("source", source).put("families", parsed.size()));
  }

  /**
   * The catalog for these nodes: {@code items} (families with {@code specs}, each with {@code fits},
   * {@code nodes} where it fits, or {@code reason} where it fits nowhere); with {@code all} false, only
   * specs that fit and families that have one.
   */
  public static JsonObject forCluster(Loaded loaded, List<NodeRecord> nodes, boolean all) {
    List<NodeRecord> usable = nodes.stream().filter(n -> n.state() == NodeState.READY).toList();
    JsonArray items = new JsonArray();
    for (CatalogFamily family : loaded.families()) {
      List<JsonObject> specs = new ArrayList<>();
      for (CatalogSpec spec : family.specs()) {
        List<NodeRecord> fitting = usable.stream().filter(n -> spec.misfit(n) == null).toList();
        JsonObject json = spec.toJson().put("fits", !fitting.isEmpty()).put("nodes", CatalogSpec.names(fitting))
            .put("weight", spec.hardware().weight());
        if (fitting.isEmpty()) {
          json.put("reason", usable.isEmpty() ? "no node is ready" : usable.stream().map(spec::misfit)
              .reduce((a, b) -> a + "; " + b).orElse(""));
        }
        if (all || !fitting.isEmpty()) {
          specs.add(json);
        }
      }
      if (specs.isEmpty()) {
        continue;
      }
      specs.sort(Comparator.<JsonObject, Boolean>comparing(s -> !s.getBoolean("fits"))
          .thenComparing(s -> -s.getDouble("weight"))
          .thenComparing(s -> !"measured".equals(s.getString("source")))
          .thenComparing(s -> CatalogSpec.MODES.indexOf(s.getString("mode"))));
      JsonArray ordered = new JsonArray();
      specs.forEach(s -> {
        s.remove("weight");
        ordered.add(s);
      });
      items.add(new JsonObject().put("name", family.name()).put("title", family.title())
          .put("description", family.description()).put("categories", family.categories())
          .put("homepage", family.homepage()).put("source", family.source()).put("specs", ordered));
    }
    return new JsonObject().put("items", items).put("sources", loaded.sources());
  }

  private static String shipped() {
    try (InputStream in = Catalog.class.getClassLoader().getResourceAsStream(SHIPPED)) {
      if (in == null) {
        throw new IllegalStateException(SHIPPED + " is missing from the jar");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
