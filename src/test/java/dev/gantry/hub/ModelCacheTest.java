package dev.gantry.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.common.Ids;
import dev.gantry.testing.TestFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The node's model cache against the stand-in hub: resume after a cut and a restart, one download per file, integrity, progress. */
class ModelCacheTest {

  static final int SIZE = 3 << 20;
  static final RetryPolicy QUICK = new RetryPolicy(4, Duration.ofMillis(20), Duration.ofMillis(100));

  FakeHub hub;
  Path dir;
  String repo;
  byte[] weights;
  ModelCache cache;

  @BeforeEach
  void setUp() {
    hub = new FakeHub();
    dir = TestFiles.tempDir("gantry-cache-");
    repo = "org-" + Ids.random(6) + "/model";
    weights = random(SIZE, 1);
    hub.add(repo, "c0ffee" + Ids.random(10).toLowerCase().replaceAll("[^0-9a-f]", "a"),
        Map.of("model-Q4_K_M.gguf", weights, "README.txt", "hello".getBytes()), false);
    cache = cache(QUICK);
  }

  @AfterEach
  void tearDown() {
    cache.close();
    hub.close();
    TestFiles.deleteRecursively(dir);
  }

  @Test
  void aDownloadCutInTheMiddleResumesFromWhereItWas() throws Exception {
    HubSnapshot snapshot = snapshot("*.gguf");
    hub.cutNextDownload("model-Q4_K_M.gguf", SIZE / 2);

    Path path = cache.ensure(snapshot, null, p -> { }).get(30, TimeUnit.SECONDS);

    assertThat(Files.readAllBytes(path)).isEqualTo(weights);
    List<long[]> transfers = hub.transfers("model-Q4_K_M.gguf");
    assertThat(transfers).hasSize(2);
    assertThat(transfers.get(1)[0]).as("where the second request started").isPositive();
    assertThat(transfers.get(1)[1]).as("bytes served after the cut").isLessThan(SIZE)
        .isEqualTo(SIZE - transfers.get(1)[0]);
    assertThat(path).isEqualTo(dir.resolve("huggingface").resolve(repo).resolve(snapshot.commit()).resolve("model-Q4_K_M.gguf"));
    assertThat(path.resolveSibling("model-Q4_K_M.gguf.part")).doesNotExist();
  }

  @Test
  void aNodeStoppedMidDownloadResumesFromItsPartFileWhenStartedAgain() throws Exception {
    HubSnapshot snapshot = snapshot("*.gguf");
    cache.close();
    cache = cache(new RetryPolicy(4, Duration.ofMinutes(5), Duration.ofMinutes(5)));
    hub.cutNextDownload("model-Q4_K_M.gguf", SIZE / 3);
    CompletableFuture<Path> first = cache.ensure(snapshot, null, p -> { });
    Path part = cache.layout().file(snapshot, snapshot.files().get(0)).resolveSibling("model-Q4_K_M.gguf.part");
    dev.gantry.testing.Eventually.await(Duration.ofSeconds(20), () -> assertThat(Files.size(part)).isPositive());

    cache.close();
    cache = cache(QUICK);
    Path path = cache.ensure(snapshot, null, p -> { }).get(30, TimeUnit.SECONDS);

    assertThat(first).as("the stopped node's download ends failed, however late its worker sees the stop")
        .failsWithin(Duration.ofSeconds(30));
    assertThat(Files.readAllBytes(path)).isEqualTo(weights);
    List<long[]> transfers = hub.transfers("model-Q4_K_M.gguf");
    assertThat(transfers).hasSize(2);
    assertThat(transfers.get(1)[0]).as("the restarted node resumed from its part").isPositive();
    assertThat(transfers.get(1)[1]).isLessThan(SIZE).isEqualTo(SIZE - transfers.get(1)[0]);
  }

  @Test
  void twoModelsSharingAFileDownloadItOnce() throws Exception {
    HubSnapshot one = snapshot("*.gguf");
    HubSnapshot two = snapshot("*Q4_K_M*");

    CompletableFuture<Path> a = cache.ensure(one, null, p -> { });
    CompletableFuture<Path> b = cache.ensure(two, null, p -> { });

    assertThat(a.get(30, TimeUnit.SECONDS)).isEqualTo(b.get(30, TimeUnit.SECONDS));
    assertThat(hub.downloads("model-Q4_K_M.gguf")).isEqualTo(1);
    assertThat(hub.bytesServed("model-Q4_K_M.gguf")).isEqualTo(SIZE);
    assertThat(cache.ensure(two, null, p -> { }).get(30, TimeUnit.SECONDS)).isEqualTo(a.get());
    assertThat(hub.downloads("model-Q4_K_M.gguf")).as("a cached file is not fetched again").isEqualTo(1);
  }

  @Test
  void progressArrivesInOrderAndEndsAtTheTotal() throws Exception {
    HubSnapshot snapshot = snapshot("*");
    hub.cutNextDownload("model-Q4_K_M.gguf", SIZE / 4);
    List<DownloadProgress> seen = new CopyOnWriteArrayList<>();

    cache.ensure(snapshot, null, seen::add).get(30, TimeUnit.SECONDS);

    assertThat(seen).isNotEmpty();
    for (int i = 1; i < seen.size(); i++) {
      assertThat(seen.get(i).bytes()).isGreaterThan(seen.get(i - 1).bytes());
    }
    assertThat(seen.get(seen.size() - 1)).satisfies(last -> {
      assertThat(last.bytes()).isEqualTo(SIZE + 5);
      assertThat(last.percent()).isEqualTo(100);
      assertThat(last.etaSeconds()).isZero();
    });
  }

  @Test
  void theTokenGoesToTheHubButNotToTheFileHostItRedirectsTo() throws Exception {
    HubSnapshot snapshot = snapshot("*.gguf");

    Path path = cache.ensure(snapshot, hub.token, p -> { }).get(30, TimeUnit.SECONDS);

    assertThat(Files.readAllBytes(path)).isEqualTo(weights);
    assertThat(hub.resolveAuthorizations()).isPositive();
    assertThat(hub.fileHostAuthorizations()).isZero();
  }

  @Test
  void aCachedSnapshotIsReadyAgainAndAgainWithoutTheHub() throws Exception {
    HubSnapshot snapshot = snapshot("*");
    cache.ensure(snapshot, null, p -> { }).get(30, TimeUnit.SECONDS);
    hub.close();

    for (int i = 0; i < 200; i++) {
      assertThat(cache.ensure(snapshot, null, p -> { }).get(10, TimeUnit.SECONDS)).as("ensure #%d", i)
          .isEqualTo(cache.layout().enginePath(snapshot));
    }
    hub = new FakeHub();
  }

  @Test
  void aCorruptedCachedFileIsDetectedAndDownloadedAgain() throws Exception {
    HubSnapshot snapshot = snapshot("*.gguf");
    Path path = cache.ensure(snapshot, null, p -> { }).get(30, TimeUnit.SECONDS);
    byte[] corrupted = weights.clone();
    corrupted[1234] ^= 0x5a;
    Files.write(path, corrupted);
    Files.setLastModifiedTime(path, FileTime.fromMillis(Files.getLastModifiedTime(path).toMillis() + 5_000));

    cache.ensure(snapshot, null, p -> { }).get(30, TimeUnit.SECONDS);

    assertThat(Files.readAllBytes(path)).isEqualTo(weights);
    assertThat(hub.downloads("model-Q4_K_M.gguf")).isEqualTo(2);
  }

  @Test
  void notEnoughDiskFailsBeforeAnyByteIsFetchedAndSaysHowMuchIsNeeded() {
    cache.close();
    cache = new ModelCache(dir, new HubHttp(), QUICK, Duration.ofMillis(20), () -> 1L << 20);

    assertThatThrownBy(() -> cache.ensure(snapshot("*.gguf"), null, p -> { }).get(30, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class).rootCause().hasMessageContaining("not enough disk")
        .hasMessageContaining("67.0 MiB free");
    assertThat(hub.downloads("model-Q4_K_M.gguf")).isZero();
  }

  @Test
  void aModelScopeRepoDownloadsThroughItsOwnApi() throws Exception {
    HubRequest request = new HubRequest(HubKind.MODELSCOPE, hub.endpoint(), repo, "master", "*.gguf", null);
    HubSnapshot snapshot = ModelHub.snapshot(ModelHub.of(HubKind.MODELSCOPE, new HubHttp()), request);

    Path path = cache.ensure(snapshot, null, p -> { }).get(30, TimeUnit.SECONDS);

    assertThat(snapshot.files()).singleElement().satisfies(f -> assertThat(f.sha256()).isEqualTo(FakeHub.sha256(weights)));
    assertThat(Files.readAllBytes(path)).isEqualTo(weights);
    assertThat(path.toString()).contains("modelscope/" + repo + "/" + snapshot.commit());
  }

  private HubSnapshot snapshot(String glob) throws Exception {
    return ModelHub.snapshot(ModelHub.of(HubKind.HUGGINGFACE, new HubHttp()),
        new HubRequest(HubKind.HUGGINGFACE, hub.endpoint(), repo, "main", glob, null));
  }

  private ModelCache cache(RetryPolicy retry) {
    return new ModelCache(dir, new HubHttp(), retry, Duration.ofMillis(20), null);
  }

  static byte[] random(int size, long seed) {
    byte[] data = new byte[size];
    new Random(seed).nextBytes(data);
    return data;
  }
}
