package dev.gantry.node.device;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BoxTableTest {

  @Test
  void readsCellsByHeaderNameSoColumnsMayMove() {
    String moved = String.join("\n",
        "+----------------------+-------------------+",
        "| Health    NPU   Name | Temp(C)  Power(W) |",
        "| Bus-Id    Chip       | HBM-Usage(MB)     |",
        "+======================+===================+",
        "| OK        0     910B | 41       88.0     |",
        "| 0000:C1:00.0  0      | 10 / 65536        |",
        "+======================+===================+",
        "");

    List<Map<String, String>> records = BoxTable.records(moved, BoxTable.EQUALS);

    assertThat(records).containsExactly(Map.of("Health", "OK", "NPU", "0", "Name", "910B", "Temp(C)", "41",
        "Power(W)", "88.0", "Bus-Id", "0000:C1:00.0", "Chip", "0", "HBM-Usage(MB)", "10 / 65536"));
    List<Device> devices = NpuSmiParser.info("n", moved);
    assertThat(devices).hasSize(1);
    assertThat(devices.get(0).power()).isEqualTo(88.0);
    assertThat(devices.get(0).memoryTotal()).isEqualTo(65536L << 20);
  }

  @Test
  void readingsOfEveryUnitAndUnavailableWordAreNormalised() {
    assertThat(Readings.integer("30 C")).isEqualTo(30);
    assertThat(Readings.integer("49.0C")).isEqualTo(49);
    assertThat(Readings.integer("30.0c")).isEqualTo(30);
    assertThat(Readings.bytes("16376 MiB", "B")).isEqualTo(16376L << 20);
    assertThat(Readings.bytes("17163091968", "B")).isEqualTo(17163091968L);
    assertThat(Readings.bytes("65520", "MiB")).isEqualTo(65520L << 20);
    assertThat(Readings.usedAndTotal("0 MiB/ 23374 MiB", "B")).containsExactly(0L, 23374L << 20);
    assertThat(Readings.usedAndTotal("826/65536 MiB", "B")).containsExactly(826L << 20, 65536L << 20);
    for (String none : List.of("N/A", "[N/A]", "[Insufficient Permissions]", "-", "NA", "<redacted>", " ")) {
      assertThat(Readings.number(none)).as(none).isNull();
      assertThat(Readings.text(none)).as(none).isNull();
    }
  }
}
