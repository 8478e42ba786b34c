#!/usr/bin/env python3
"""The hottest frames of an async-profiler collapsed profile ("frame;frame;... count" lines).

Usage: hot_frames.py PROFILE [TOP]
Prints the frames where samples end (self time) and, for Gantry's own code and the layers it uses
(Vert.x Web, Micrometer, Jackson, the PostgreSQL client), the share of samples that pass through them.
"""
import collections
import sys

LAYERS = ("dev/gantry", "dev.gantry", "io/vertx/ext/web", "io.vertx.ext.web", "micrometer", "jackson",
          "pgclient", "HttpContentCompressor")


def main():
    top = int(sys.argv[2]) if len(sys.argv) > 2 else 25
    self_time = collections.Counter()
    through = collections.Counter()
    total = 0
    for line in open(sys.argv[1]):
        stack, _, count = line.rstrip("\n").rpartition(" ")
        if not stack:
            continue
        n = int(count)
        frames = stack.split(";")
        total += n
        self_time[frames[-1]] += n
        for frame in set(frames):
            through[frame] += n
    print(f"\n{total} samples; where they end:")
    for frame, n in self_time.most_common(top):
        print(f"  {100 * n / total:5.1f} %  {frame}")
    print("through Gantry's code and its layers:")
    shown = 0
    for frame, n in through.most_common():
        if any(layer in frame for layer in LAYERS):
            print(f"  {100 * n / total:5.1f} %  {frame}")
            shown += 1
            if shown == top * 2:
                break


if __name__ == "__main__":
    main()
