package dev.gantry.engine;

import java.util.List;
import java.util.Map;

/** A process to start: its argv, extra environment and the HTTP path that answers 200 when it is ready. */
public record EngineCommand(List<String> argv, Map<String, String> env, String healthPath) {
}
