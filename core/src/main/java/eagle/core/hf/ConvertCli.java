package eagle.core.hf;

import eagle.core.model.ClipConfig;
import eagle.core.model.MetadataKeys;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Offline conversion between our CLIP safetensors files ({@code openai}: what {@code
 * ClipModel.save} writes, OpenAI CLIP's names, or EVA-CLIP's for an EVA01 image tower) and other
 * layouts, engine-free (plain float arrays, no DJL):
 *
 * <pre>
 * convert --from openai --to hf --in model.safetensors --out folder [--config PRESET|config.json]
 * convert --from hf --to openai --in folder --out model.safetensors [--base BASE.safetensors]
 * convert --from eva --to openai --in eva-clip.safetensors --out model.safetensors [--config PRESET|FILE]
 * convert --from openai --to eva|lavis --in model.safetensors --out FILE
 * convert --from lavis --to openai --in lavis.safetensors --base BASE.safetensors --out model.safetensors
 * convert --from openclip --to openai --in folder --out model.safetensors
 * </pre>
 *
 * <p>core/HF.md and core/EVA.md describe each layout and which VLM loads it.
 *
 * <p>Exit status: 0 converted, 1 the input was refused or could not be read or written (the reason
 * is printed), 2 the command line is wrong (the usage is printed).
 */
public final class ConvertCli {

    /** The usage text. */
    public static final String USAGE =
            String.join(
                    "\n",
                    "usage: convert --from openai|hf|eva|lavis|openclip --to openai|hf|eva|lavis --in PATH --out PATH",
                    "               [--config PRESET|FILE] [--base PATH]",
                    "",
                    "  'openai' is our own file (as ClipModel.save writes it: OpenAI CLIP's names, or EVA-CLIP's names for",
                    "  an EVA01 image tower, with the architecture in its metadata).",
                    "",
                    "  --from openai --to hf   IN is a safetensors file with OpenAI CLIP names (as ClipModel.save writes);",
                    "                          OUT is a folder that transformers' CLIPModel, CLIPVisionModel and",
                    "                          CLIPImageProcessor load with from_pretrained (config.json,",
                    "                          model.safetensors, preprocessor_config.json)",
                    "  --from hf --to openai   IN is a Hugging Face CLIPModel folder (config.json + model.safetensors);",
                    "                          OUT is a safetensors file with OpenAI names and the architecture in its",
                    "                          metadata (ClipModel.load(file, device) reads it). A vision tower alone",
                    "                          (CLIPVisionModel) needs --base: an OpenAI-family file of ours that gives the",
                    "                          text tower (and visual.proj when the folder has none); text-side training",
                    "                          then uses that text tower, so it must match the image tower or stay frozen",
                    "  --from eva --to openai  IN is an EVA-CLIP EVA01 checkpoint as safetensors (visual.blocks.*, q_bias,",
                    "                          v_bias, ...); the architecture is inferred (head width 88, GELU) unless",
                    "                          --config gives it ("
                            + String.join(", ", ClipConfig.EVA_PRESETS)
                            + " or a file)",
                    "  --from openai --to eva  OUT is EVA-CLIP's layout of our EVA01 model (the same names, no metadata)",
                    "  --from openai --to lavis OUT is the image tower as BLIP-2/InstructBLIP (LAVIS) hold it: visual_encoder.*,",
                    "                          the last block, norm and head dropped",
                    "  --from lavis --to openai IN is a LAVIS visual_encoder.* file; --base (an EVA01 file of ours with the",
                    "                          same architecture) gives the last block, norm, head and text tower",
                    "  --from openclip --to openai IN is an OpenCLIP hub folder (open_clip_config.json +",
                    "                          open_clip_model.safetensors), read with its config's sizes and activation",
                    "  --config PRESET|FILE    openai -> hf and eva -> openai: the architecture, a preset ("
                            + String.join(", ", ClipConfig.PRESETS)
                            + ")",
                    "                          or a ClipConfig JSON file; default: the file's "
                            + MetadataKeys.CLIP_CONFIG
                            + " metadata,",
                    "                          else inferred from the tensor shapes (OpenAI's 64-wide heads, QuickGELU)",
                    "");

    private static final List<String> FORMATS = List.of("openai", "hf", "eva", "lavis", "openclip");
    private static final Set<String> CONVERSIONS =
            Set.of(
                    "openai>hf",
                    "hf>openai",
                    "eva>openai",
                    "openai>eva",
                    "openai>lavis",
                    "lavis>openai",
                    "openclip>openai");
    private static final Set<String> OPTIONS =
            Set.of("--from", "--to", "--in", "--out", "--config", "--base");

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
            String conversion = from + ">" + to;
            Path base =
                    options.containsKey("--base")
                            ? requireFile(Path.of(options.get("--base")))
                            : null;
            if (conversion.equals("openai>hf")) {
                ClipConfig config =
                        options.containsKey("--config")
                                ? configArgument(options.get("--config"))
                                : OpenAiClipFile.configOf(requireFile(in));
                if (config.isEva()) {
                    throw new IllegalArgumentException(
                            in
                                    + " is an "
                                    + config.family()
                                    + " model: transformers' CLIPModel "
                                    + "has no EVA01 image tower; convert it --to eva or --to lavis");
                }
                HfClipExport.write(requireFile(in), config, outPath);
                out.println(
                        "wrote Hugging Face CLIPModel folder "
                                + outPath
                                + " ("
                                + HfClipNames.hfShapes(config).size()
                                + " tensors) for "
                                + config.toJson());
                return 0;
            }
            ClipConfig config =
                    switch (conversion) {
                        case "hf>openai" ->
                                base != null
                                        ? HfVisionOnlyImport.combine(in, base, outPath)
                                        : HfClipImport.convert(in, outPath);
                        case "eva>openai" ->
                                EvaClipFile.convert(
                                        requireFile(in),
                                        outPath,
                                        options.containsKey("--config")
                                                ? configArgument(options.get("--config"))
                                                : null);
                        case "openai>eva" -> EvaClipFile.export(requireFile(in), outPath);
                        case "openai>lavis" -> LavisEvaFile.export(requireFile(in), outPath);
                        case "lavis>openai" -> LavisEvaFile.overlay(requireFile(in), base, outPath);
                        case "openclip>openai" -> OpenClipCheckpoint.convert(in, outPath);
                        default ->
                                throw new IllegalStateException(
                                        "unchecked conversion " + conversion);
                    };
            out.println("wrote " + to + "-layout " + outPath + " for " + config.toJson());
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
                throw new IllegalArgumentException(
                        format
                                + " must be one of "
                                + String.join(", ", FORMATS)
                                + ", was '"
                                + options.get(format)
                                + "'");
            }
        }
        String from = options.get("--from");
        String to = options.get("--to");
        if (from.equals(to)) {
            throw new IllegalArgumentException(
                    "--from and --to are both " + from + "; nothing to convert");
        }
        if (!CONVERSIONS.contains(from + ">" + to)) {
            throw new IllegalArgumentException(
                    "no conversion from "
                            + from
                            + " to "
                            + to
                            + "; one side must be openai "
                            + "(our file): openai -> hf|eva|lavis, hf|eva|lavis|openclip -> openai");
        }
        boolean configApplies = (from.equals("openai") && to.equals("hf")) || from.equals("eva");
        if (options.containsKey("--config") && !configApplies) {
            throw new IllegalArgumentException(
                    "--config applies to --from openai --to hf and --from eva only; "
                            + (from.equals("hf")
                                    ? "a Hugging Face folder carries its architecture in config.json"
                                    : "the input carries its architecture"));
        }
        if (from.equals("lavis") && !options.containsKey("--base")) {
            throw new IllegalArgumentException(
                    "--from lavis needs --base: LAVIS's visual_encoder holds no final block, "
                            + "norm, head or text tower");
        }
        if (options.containsKey("--base") && !from.equals("lavis") && !from.equals("hf")) {
            throw new IllegalArgumentException(
                    "--base applies to --from lavis and --from hf (a vision tower alone) only");
        }
        return options;
    }

    private static ClipConfig configArgument(String value) {
        List<String> presets = new ArrayList<>(ClipConfig.PRESETS);
        presets.addAll(ClipConfig.EVA_PRESETS);
        return ClipConfig.presetOrFile(value, presets);
    }

    private static Path requireFile(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(
                    file
                            + (Files.isDirectory(file) ? " is a folder" : " does not exist")
                            + "; a .safetensors file is expected here");
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
