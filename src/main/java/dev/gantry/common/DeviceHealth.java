package dev.gantry.common;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/** What a vendor tool's health text for a device means (Ascend {@code Health}, MetaX {@code GPU-State}...). */
public final class DeviceHealth {

  private static final Set<String> GOOD = Set.of("ok", "normal", "available", "healthy", "good");
  private static final Pattern PROBLEM = Pattern.compile(".*(warn|alarm|critical|error|fault|fail|abnormal|unavailable|lost|degraded).*");

  /**
   * True for {@code OK}, {@code Normal}, {@code Available}, {@code Healthy}, {@code Good}; false for a
   * state that names a problem ({@code Warning}, {@code Alarm}, {@code Critical}, {@code Error},
   * {@code Fault}, {@code Abnormal}, {@code Unavailable}, {@code Lost}...); null when there is no health
   * text or one this list does not know (never an alarm on a state nobody has seen).
   */
  public static Boolean healthy(String health) {
    if (health == null) {
      return null;
    }
    String h = health.strip().toLowerCase(Locale.ROOT);
    if (GOOD.contains(h)) {
      return true;
    }
    return PROBLEM.matcher(h).matches() ? false : null;
  }

  private DeviceHealth() {
  }
}
