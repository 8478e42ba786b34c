package dev.gantry.engine.backend;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The rendezvous of a stand-in engine's ranks over TCP, as torch.distributed's store does for vLLM and
 * SGLang: the leader (rank 0) listens on the master address; every other rank connects to it, says its
 * rank and keeps the connection open. The leader is ready only once all {@code nnodes - 1} others have
 * joined; it exits when one of them goes away, and a worker exits when it loses the leader, so that
 * losing any rank ends the whole group, as with NCCL.
 */
final class StandInRendezvous {

  static final long JOIN_DEADLINE_MS = 60_000;

  private final Set<Integer> joined = ConcurrentHashMap.newKeySet();
  private final CountDownLatch everyRank;
  private final int nnodes;

  private StandInRendezvous(int nnodes) {
    this.nnodes = nnodes;
    this.everyRank = new CountDownLatch(nnodes - 1);
  }

  boolean complete() {
    return joined.size() == nnodes - 1;
  }

  /** Waits up to {@link #JOIN_DEADLINE_MS} for every other rank; answers whether they all joined. */
  boolean awaitComplete() throws InterruptedException {
    return everyRank.await(JOIN_DEADLINE_MS, TimeUnit.MILLISECONDS);
  }

  /** Rank 0: listens at {@code host:port} and accepts the other ranks in the background. */
  static StandInRendezvous lead(String host, int port, int nnodes) throws IOException {
    StandInRendezvous rendezvous = new StandInRendezvous(nnodes);
    ServerSocket server = new ServerSocket();
    server.bind(new InetSocketAddress(host, port));
    System.out.println("rank 0 waiting for " + (nnodes - 1) + " ranks on " + host + ":" + port);
    Thread accepting = new Thread(() -> {
      while (true) {
        try {
          Socket socket = server.accept();
          new Thread(() -> rendezvous.follow(socket), "rank-reader").start();
        } catch (IOException e) {
          return;
        }
      }
    }, "rendezvous");
    accepting.setDaemon(true);
    accepting.start();
    return rendezvous;
  }

  private void follow(Socket socket) {
    int rank = -1;
    try (BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8))) {
      String hello = in.readLine();
      rank = Integer.parseInt(hello.substring("rank ".length()).trim());
      if (joined.add(rank)) {
        everyRank.countDown();
      }
      System.out.println("rank " + rank + " joined from " + socket.getRemoteSocketAddress() + " (" + joined.size()
          + " of " + (nnodes - 1) + ")");
      while (in.read() >= 0) {
        // a worker sends nothing more; end of stream means it is gone
      }
    } catch (IOException | RuntimeException e) {
      // a broken connection is a lost rank like a closed one
    }
    System.err.println("lost rank " + rank + "; the group cannot go on");
    System.exit(1);
  }

  /** A worker rank: joins the leader (retrying until it listens) and exits when the leader goes away. Never returns. */
  static void join(String host, int port, int rank) throws InterruptedException {
    join(host, port, rank, null);
  }

  /**
   * As {@link #join(String, int, int)}, connecting from this rank's own address {@code from} (when not null), as
   * an engine that knows its node's address does: the leader then sees the rank join from there.
   */
  static void join(String host, int port, int rank, String from) throws InterruptedException {
    long deadline = System.currentTimeMillis() + JOIN_DEADLINE_MS;
    while (true) {
      try (Socket socket = new Socket()) {
        if (from != null) {
          socket.bind(new InetSocketAddress(from, 0));
        }
        socket.connect(new InetSocketAddress(host, port));
        OutputStream out = socket.getOutputStream();
        out.write(("rank " + rank + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
        System.out.println("rank " + rank + " joined the leader at " + host + ":" + port + " from "
            + socket.getLocalSocketAddress());
        while (socket.getInputStream().read() >= 0) {
          // the leader sends nothing; end of stream means it is gone
        }
        System.err.println("rank " + rank + " lost the leader at " + host + ":" + port);
        System.exit(1);
      } catch (IOException e) {
        if (System.currentTimeMillis() > deadline) {
          System.err.println("rank " + rank + " could not reach the leader at " + host + ":" + port + ": " + e.getMessage());
          System.exit(1);
        }
        Thread.sleep(100);
      }
    }
  }
}
