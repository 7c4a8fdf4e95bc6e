package eagle.client.cli;

import eagle.core.model.ClipConfig;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code ./eagle register}'s command line ({@link RegisterCli#USAGE}), parsed, and what it means
 * once the defaults are applied: the registry from {@code --registry}, else env {@code
 * EAGLE_REGISTRY_URL}, else {@value RegisterCli#DEFAULT_REGISTRY}; the token from {@code --token},
 * else env {@code EAGLE_REGISTRY_TOKEN}; the model card's source from {@code --source}, else PATH's
 * name.
 */
final class RegisterOptions {

    private static final Set<String> OPTIONS =
            Set.of(
                    "--name",
                    "--from",
                    "--registry",
                    "--token",
                    "--licence",
                    "--source",
                    "--config");

    private final Map<String, String> options;
    private final Path path;
    private final EncoderImport.Format format;
    private final ClipConfig evaConfig;

    private RegisterOptions(
            Map<String, String> options,
            Path path,
            EncoderImport.Format format,
            ClipConfig evaConfig) {
        this.options = options;
        this.path = path;
        this.format = format;
        this.evaConfig = evaConfig;
    }

    /**
     * Parses the arguments (without {@code --help}, which {@link RegisterCli} answers first).
     *
     * @throws IllegalArgumentException for a wrong command line (exit status 2), with the reason
     */
    static RegisterOptions parse(List<String> args) {
        Map<String, String> options = new LinkedHashMap<>();
        Path path = parse(args, options);
        EncoderImport.Format format = EncoderImport.Format.parse(options.get("--from"));
        ClipConfig evaConfig = evaConfig(options.get("--config"), format);
        return new RegisterOptions(options, path, format, evaConfig);
    }

    /**
     * {@code --config}'s architecture: an EVA preset or a ClipConfig JSON file; null when not
     * given.
     *
     * @throws IllegalArgumentException when given with another format than {@code eva}, or when it
     *     is neither a preset nor a readable config file
     */
    static ClipConfig evaConfig(String value, EncoderImport.Format format) {
        if (value == null) {
            return null;
        }
        if (format != EncoderImport.Format.EVA) {
            throw new IllegalArgumentException(
                    "--config applies to --from eva only (the other layouts carry or imply their"
                            + " architecture)");
        }
        return ClipConfig.presetOrFile(value, ClipConfig.EVA_PRESETS);
    }

    /** {@code --name}: the registry model. */
    String name() {
        return options.get("--name");
    }

    EncoderImport.Format format() {
        return format;
    }

    /** {@code --config}'s architecture, or null. */
    ClipConfig evaConfig() {
        return evaConfig;
    }

    /** PATH, absolute and normalised. */
    Path absolutePath() {
        return path.toAbsolutePath().normalize();
    }

    /** The registry's base URL. */
    String registry(Map<String, String> env) {
        return options.getOrDefault(
                "--registry", env.getOrDefault("EAGLE_REGISTRY_URL", RegisterCli.DEFAULT_REGISTRY));
    }

    /** The bearer token, or null. */
    String token(Map<String, String> env) {
        return options.getOrDefault("--token", env.get("EAGLE_REGISTRY_TOKEN"));
    }

    /** Where the weights came from, for the model card. */
    String source() {
        Path absolute = absolutePath();
        return options.getOrDefault(
                "--source",
                absolute.getFileName() == null
                        ? absolute.toString()
                        : absolute.getFileName().toString());
    }

    /** The model card written into the uploaded file's metadata. */
    ModelCard card() {
        return new ModelCard(
                name(), source(), format.name().toLowerCase(Locale.ROOT), options.get("--licence"));
    }

    private static Path parse(List<String> args, Map<String, String> options) {
        Path path = null;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.startsWith("--")) {
                if (!OPTIONS.contains(a)) {
                    throw new IllegalArgumentException("unknown option '" + a + "'");
                }
                if (i + 1 >= args.size() || args.get(i + 1).startsWith("--")) {
                    throw new IllegalArgumentException(a + " needs a value");
                }
                if (options.put(a, args.get(++i)) != null) {
                    throw new IllegalArgumentException(a + " is given twice");
                }
            } else if (path == null) {
                path = Path.of(a);
            } else {
                throw new IllegalArgumentException(
                        "one PATH only, got '" + path + "' and '" + a + "'");
            }
        }
        if (!options.containsKey("--name")) {
            throw new IllegalArgumentException("--name is required");
        }
        if (!options.containsKey("--from")) {
            throw new IllegalArgumentException("--from openai|hf|eva|openclip is required");
        }
        if (path == null) {
            throw new IllegalArgumentException("PATH (the weights) is required");
        }
        return path;
    }
}
