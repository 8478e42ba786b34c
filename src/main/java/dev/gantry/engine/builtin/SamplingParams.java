package dev.gantry.engine.builtin;

import java.util.List;

/** How to sample one generation; {@code maxTokens} is already fitted to the room left in the context. */
record SamplingParams(int maxTokens, float temperature, float topP, List<String> stop, Integer seed) {}
