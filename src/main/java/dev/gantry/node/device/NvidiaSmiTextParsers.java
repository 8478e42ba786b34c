package dev.gantry.node.device;

import dev.gantry.common.DeviceVendor;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

/**
 * The other outputs of {@code nvidia-smi} that show MIG partitions: {@code -L} (GPUs and their MIG
 * devices, with UUIDs), {@code mig -lci} (compute instances) and {@code -q -x} (XML).
 */
public final class NvidiaSmiTextParsers {

  private static final Pattern GPU_LINE = Pattern.compile("^GPU (\\d+): (.+?) \\(UUID: (\\S+)\\)\\s*$");
  private static final Pattern MIG_LINE =
      Pattern.compile("^\\s+MIG (\\S+)\\s+Device\\s+(\\d+): \\(UUID: (\\S+)\\)\\s*$");
  private static final Pattern LCI_ROW =
      Pattern.compile("^\\|\\s+(\\d+)\\s+(\\d+)\\s+MIG (\\S+)\\s+(\\d+)\\s+(\\d+)\\s+(\\d+:\\d+)\\s+\\|\\s*$");

  /** A GPU of {@code nvidia-smi -L} and its MIG devices. */
  public record ListedGpu(int index, String name, String uuid, List<MigDevice> migDevices) {
  }

  /** A MIG device: its profile ({@code 3g.40gb}), number within its GPU, UUID (what CUDA_VISIBLE_DEVICES takes). */
  public record MigDevice(String profile, int device, String uuid) {
  }

  /** A row of {@code nvidia-smi mig -lci}. */
  public record ComputeInstance(int gpu, int gpuInstance, String profile, int profileId, int instance,
      String placement) {
  }

  /** The memory of one MIG device in {@code -q -x}: its GPU's PCI bus id and its {@code <index>} within that GPU. */
  public record MigMemory(String busId, int index, Long total, Long used) {
  }

  private NvidiaSmiTextParsers() {
  }

  public static List<ListedGpu> list(String output) {
    List<ListedGpu> gpus = new ArrayList<>();
    List<MigDevice> migs = null;
    for (String line : output.lines().toList()) {
      Matcher gpu = GPU_LINE.matcher(line);
      Matcher mig = MIG_LINE.matcher(line);
      if (gpu.matches()) {
        migs = new ArrayList<>();
        gpus.add(new ListedGpu(Integer.parseInt(gpu.group(1)), gpu.group(2), gpu.group(3), migs));
      } else if (mig.matches() && migs != null) {
        migs.add(new MigDevice(mig.group(1), Integer.parseInt(mig.group(2)), mig.group(3)));
      }
    }
    return gpus.stream().map(g -> new ListedGpu(g.index(), g.name(), g.uuid(), List.copyOf(g.migDevices()))).toList();
  }

  public static List<ComputeInstance> computeInstances(String output) {
    return output.lines().map(LCI_ROW::matcher).filter(Matcher::matches)
        .map(m -> new ComputeInstance(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), m.group(3),
            Integer.parseInt(m.group(4)), Integer.parseInt(m.group(5)), m.group(6)))
        .toList();
  }

  /**
   * The GPUs of {@code nvidia-smi -q -x}, each followed by its MIG devices as devices of their own
   * (partition {@code MIG gi<N> ci<M>}, numbered after the whole GPUs so
   * ids stay unique); throws when the XML is not well-formed.
   */
  public static List<Device> queryXml(String node, String xml) {
    Element root = parseXml(xml).getDocumentElement();
    String driver = Readings.text(child(root, "driver_version"));
    String cuda = Readings.text(child(root, "cuda_version"));
    List<Device> devices = new ArrayList<>();
    List<Device> partitions = new ArrayList<>();
    NodeList gpus = root.getElementsByTagName("gpu");
    for (int g = 0; g < gpus.getLength(); g++) {
      Element gpu = (Element) gpus.item(g);
      DeviceBuilder d = new DeviceBuilder(DeviceVendor.NVIDIA, g);
      d.name = Readings.text(child(gpu, "product_name"));
      d.uuid = Readings.text(child(gpu, "uuid"));
      d.busId = gpu.getAttribute("id");
      d.driverVersion = driver;
      d.runtimeVersion = cuda;
      Element memory = childElement(gpu, "fb_memory_usage");
      if (memory != null) {
        d.memoryTotal = Readings.bytes(child(memory, "total"), "MiB");
        d.memoryUsed = Readings.bytes(child(memory, "used"), "MiB");
      }
      Element temperature = childElement(gpu, "temperature");
      d.temperature = temperature == null ? null : Readings.integer(child(temperature, "gpu_temp"));
      devices.add(d.build(node));
      Element migs = childElement(gpu, "mig_devices");
      NodeList migList = migs == null ? null : migs.getElementsByTagName("mig_device");
      for (int m = 0; migList != null && m < migList.getLength(); m++) {
        Element mig = (Element) migList.item(m);
        DeviceBuilder p = new DeviceBuilder(DeviceVendor.NVIDIA, gpus.getLength() + partitions.size());
        p.name = d.name;
        p.partition = "MIG gi" + child(mig, "gpu_instance_id").strip() + " ci" + child(mig, "compute_instance_id").strip();
        p.driverVersion = driver;
        p.runtimeVersion = cuda;
        p.busId = d.busId;
        Element migMemory = childElement(mig, "fb_memory_usage");
        if (migMemory != null) {
          p.memoryTotal = Readings.bytes(child(migMemory, "total"), "MiB");
          p.memoryUsed = Readings.bytes(child(migMemory, "used"), "MiB");
        }
        partitions.add(p.build(node));
      }
    }
    devices.addAll(partitions);
    return devices;
  }

  /** The memory of every MIG device of {@code nvidia-smi -q -x}; throws when the XML is not well-formed. */
  public static List<MigMemory> migMemory(String xml) {
    List<MigMemory> out = new ArrayList<>();
    NodeList gpus = parseXml(xml).getDocumentElement().getElementsByTagName("gpu");
    for (int g = 0; g < gpus.getLength(); g++) {
      Element gpu = (Element) gpus.item(g);
      Element migs = childElement(gpu, "mig_devices");
      NodeList migList = migs == null ? null : migs.getElementsByTagName("mig_device");
      for (int m = 0; migList != null && m < migList.getLength(); m++) {
        Element mig = (Element) migList.item(m);
        Integer index = Readings.integer(child(mig, "index"));
        Element memory = childElement(mig, "fb_memory_usage");
        if (index != null && memory != null) {
          out.add(new MigMemory(gpu.getAttribute("id"), index, Readings.bytes(child(memory, "total"), "MiB"),
              Readings.bytes(child(memory, "used"), "MiB")));
        }
      }
    }
    return out;
  }

  private static Element childElement(Element parent, String name) {
    for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element e && e.getTagName().equals(name)) {
        return e;
      }
    }
    return null;
  }

  private static Document parseXml(String xml) {
    try {
      DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
      factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
      factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
      factory.setExpandEntityReferences(false);
      return factory.newDocumentBuilder().parse(new InputSource(new StringReader(xml)));
    } catch (Exception e) {
      throw new DeviceParseException("nvidia-smi -q -x output is not well-formed XML: " + e.getMessage(), e);
    }
  }

  private static String child(Element parent, String name) {
    Element e = childElement(parent, name);
    return e == null ? null : e.getTextContent();
  }
}
