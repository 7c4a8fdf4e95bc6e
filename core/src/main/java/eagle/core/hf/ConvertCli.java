package eagle.core.hf;

import eagle.core.model.ClipConfig;
import eagle.core.model.MetadataKeys;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Offline conversion between our OpenAI-named CLIP safetensors files and Hugging Face transformers CLIP
 * folders, engine-free (plain float arrays, no DJL), streaming the input one tensor at a time:
 *
 * <pre>
 * convert --from openai --to hf --in model.safetensors --out folder [--config PRESET|config.json]
 * convert --from hf --to openai --in folder --out model.safetensors
 * </pre>
 *
 * <p>Exit status: 0 converted, 1 the input was refused or could not be read or written (the reason is
 * printed), 2 the command line is wrong (the usage is printed).
 */
public final class ConvertCli {

  /** The usage text. */
  public static final String USAGE = String.join("\n",
      "usage: convert --from openai|hf --to openai|hf --in PATH --out PATH [--config PRESET|FILE]",
      "",
      "  --from openai --to hf   IN is a safetensors file with OpenAI CLIP names (as ClipModel.save writes);",
      "                          OUT is a folder that transformers' CLIPModel, CLIPVisionModel and",
      "                          CLIPImageProcessor load with from_pretrained (config.json,",
      "                          model.safetensors, preprocessor_config.json)",
      "  --from hf --to openai   IN is a Hugging Face CLIPModel folder (config.json + model.safetensors);",
      "                          OUT is a safetensors file with OpenAI names and the architecture in its",
      "                          metadata (ClipModel.load(file, device) reads it)",
      "  --config PRESET|FILE    openai -> hf only: the architecture, a preset ("
          + String.join(", ", ClipConfig.PRESETS) + ")",
      "                          or a ClipConfig JSON file; default: the file's " + MetadataKeys.CLIP_CONFIG
          + " metadata,",
      "                          else inferred from the tensor shapes (OpenAI's 64-wide heads, QuickGELU)",
      "");

  private static final Set<String> FORMATS = Set.of("openai", "hf");
  private static final Set<String> OPTIONS = Set.of("--from", "--to", "--in", "--out", "--config");

  private ConvertCli() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  /**
   * Runs one command.
   *
   * @return the exit status (see the class comment)
   */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    List<String> list = List.of(args);
    if (list.contains("--help") || list.contains("-h")) {
      out.print(USAGE);
      return 0;
    }
    Map<String, String> options;
    try {
      options = parse(list);
    } catch (IllegalArgumentException e) {
      err.println("error: " + e.getMessage());
      err.print(USAGE);
      return 2;
    }
    String from = options.get("--from");
    String to = options.get("--to");
    Path in = Path.of(options.get("--in"));
    Path outPath = Path.of(options.get("--out"));
    try {
      if (from.equals("openai")) {
        ClipConfig config = options.containsKey("--config")
            ? configArgument(options.get("--config"))
            : OpenAiClipFile.configOf(requireFile(in));
        HfClipExport.write(requireFile(in), config, outPath);
        out.println("wrote Hugging Face CLIPModel folder " + outPath + " (" + HfClipNames.hfShapes(config).size()
            + " tensors) for " + config.toJson());
      } else {
        ClipConfig config = HfClipImport.convert(in, outPath);
        out.println("wrote OpenAI-named safetensors " + outPath + " (" + config.parameterShapes().size()
            + " tensors) for " + config.toJson());
      }
      return 0;
    } catch (IllegalArgumentException | IOException e) {
      err.println("error: " + describe(e));
      return 1;
    }
  }

  private static Map<String, String> parse(List<String> args) {
    if (args.isEmpty() || !args.get(0).equals("convert")) {
      throw new IllegalArgumentException("the first argument must be the command 'convert'");
    }
    Map<String, String> options = new LinkedHashMap<>();
    for (int i = 1; i < args.size(); i += 2) {
      String option = args.get(i);
      if (!OPTIONS.contains(option)) {
        throw new IllegalArgumentException("unknown argument '" + option + "'");
      }
      if (i + 1 >= args.size() || args.get(i + 1).startsWith("--")) {
        throw new IllegalArgumentException(option + " needs a value");
      }
      if (options.put(option, args.get(i + 1)) != null) {
        throw new IllegalArgumentException(option + " is given twice");
      }
    }
    for (String required : List.of("--from", "--to", "--in", "--out")) {
      if (!options.containsKey(required)) {
        throw new IllegalArgumentException(required + " is required");
      }
    }
    for (String format : List.of("--from", "--to")) {
      if (!FORMATS.contains(options.get(format))) {
        throw new IllegalArgumentException(format + " must be openai or hf, was '" + options.get(format) + "'");
      }
    }
    if (options.get("--from").equals(options.get("--to"))) {
      throw new IllegalArgumentException("--from and --to are both " + options.get("--from") + "; nothing to convert");
    }
    if (options.containsKey("--config") && options.get("--from").equals("hf")) {
      throw new IllegalArgumentException("--config applies to --from openai only; a Hugging Face folder carries "
          + "its architecture in config.json");
    }
    return options;
  }

  private static ClipConfig configArgument(String value) throws IOException {
    if (ClipConfig.PRESETS.contains(value)) {
      return ClipConfig.preset(value);
    }
    Path file = Path.of(value);
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException("--config '" + value + "' is neither a preset " + ClipConfig.PRESETS
          + " nor a file");
    }
    return ClipConfig.fromJson(Files.readString(file));
  }

  private static Path requireFile(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException(file + (Files.isDirectory(file) ? " is a folder" : " does not exist")
          + "; --from openai reads a .safetensors file");
    }
    return file;
  }

  private static String describe(Exception e) {
    if (e instanceof java.nio.file.NoSuchFileException) {
      return "no such file: " + e.getMessage();
    }
    return e.getMessage() == null ? e.toString() : e.getMessage();
  }
}
