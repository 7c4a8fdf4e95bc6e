package eagle.client.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import eagle.client.Registration;
import eagle.client.RegistryClient;
import eagle.client.RegistryException;
import eagle.core.model.ClipConfig;
import eagle.core.model.EncoderSpec;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code ./eagle register}: brings a CLIP encoder someone has (OpenAI-named safetensors or a
 * Hugging Face CLIPModel folder) into the registry as a root version, ready to become the first
 * {@code production}:
 *
 * <pre>
 * register --name N --from openai|hf|eva|openclip PATH [--registry URL] [--token T] [--licence L] [--source S]
 *          [--config PRESET|FILE]   (--from eva only)
 * </pre>
 *
 * <ol>
 *   <li>checks the weights fully ({@link EncoderImport}: every tensor name and shape against the
 *       architecture, the tokenizer) — a refusal registers nothing and makes no HTTP call;
 *   <li>writes the file to upload next to a temporary folder: OpenAI names, the {@link EncoderSpec}
 *       and a {@link ModelCard} in its metadata (progress on stderr for large files);
 *   <li>creates model N if missing, registers the file as a version with the spec as its {@code
 *       architecture}, uploads it (the registry verifies size and digest) and prints the version,
 *       its sha256 and what blesses it.
 * </ol>
 *
 * <p>Registry URL: {@code --registry}, else env {@code EAGLE_REGISTRY_URL}, else {@value
 * #DEFAULT_REGISTRY}; token: {@code --token}, else env {@code EAGLE_REGISTRY_TOKEN} (roles {@code
 * registry.read,registry.register}). Exit status 0 registered, 1 the weights or the registry
 * refused (the reason is printed), 2 a wrong command line (the usage is printed).
 */
public final class RegisterCli {

    /**
     * The registry of {@code ./eagle infra} + the registry's local profile, and of {@code ./eagle
     * demo}.
     */
    public static final String DEFAULT_REGISTRY = "http://localhost:8081";

    public static final String USAGE =
            String.join(
                    "\n",
                    "usage: ./eagle register --name N --from openai|hf|eva|openclip PATH [--registry URL] [--token T]",
                    "                        [--licence L] [--source S] [--config PRESET|FILE]",
                    "",
                    "  --name N          the registry model (created when missing); the weights become a new root version",
                    "  --from openai     PATH is a .safetensors file with OpenAI CLIP names; the architecture is its",
                    "                    eagle.clip_config metadata, else inferred from the shapes; the tokenizer its",
                    "                    eagle.tokenizer metadata, else CLIP's BPE when the text vocabulary is 49408",
                    "  --from hf         PATH is a Hugging Face CLIPModel folder (config.json + model.safetensors); its",
                    "                    tokenizer must be CLIP's BPE (vocabulary 49408; vocab.json, merges.txt and",
                    "                    tokenizer.json, when present, are checked)",
                    "  --from eva        PATH is an EVA-CLIP EVA01 checkpoint as .safetensors (EVA-CLIP's names, e.g.",
                    "                    EVA01-CLIP-g-14; architecture inferred from the shapes, heads = width / 88, unless",
                    "                    --config gives it; CLIP's BPE, vocabulary 49408)",
                    "  --from openclip   PATH is an OpenCLIP hub folder (open_clip_config.json + open_clip_model.safetensors);",
                    "                    sizes and activation from the config; CLIP's BPE, vocabulary 49408",
                    "  --registry URL    default: env EAGLE_REGISTRY_URL, else " + DEFAULT_REGISTRY,
                    "  --token T         bearer token with registry.read,registry.register; default: env EAGLE_REGISTRY_TOKEN",
                    "  --licence L       the weights' licence, for the model card (default: unknown)",
                    "  --source S        where the weights came from (path or URL), for the model card (default: PATH's name)",
                    "  --config P|FILE   --from eva only: the architecture, an EVA preset (EVA01-CLIP-g-14, EVA01-tiny) or a",
                    "                    ClipConfig JSON file with \"visionFamily\":\"eva01-clip\" (e.g. a width that is not a",
                    "                    multiple of 88, whose heads cannot be inferred)",
                    "",
                    "Every tensor name and shape is checked before anything is sent: unknown or missing names, wrong shapes",
                    "or a missing architecture register nothing. Exit status: 0 registered, 1 refused, 2 wrong command line.",
                    "");

    private static final ObjectMapper JSON = new ObjectMapper();

    private RegisterCli() {}

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err, System.getenv()));
    }

    /**
     * Runs one registration.
     *
     * @param env where {@code EAGLE_REGISTRY_URL} and {@code EAGLE_REGISTRY_TOKEN} are looked up
     * @return the exit status (see the class comment)
     */
    public static int run(
            String[] args, PrintStream out, PrintStream err, Map<String, String> env) {
        List<String> list = List.of(args);
        if (list.contains("--help") || list.contains("-h")) {
            out.print(USAGE);
            return 0;
        }
        RegisterOptions options;
        try {
            options = RegisterOptions.parse(list);
        } catch (IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            err.print(USAGE);
            return 2;
        }
        String name = options.name();
        EncoderImport.Format format = options.format();
        ClipConfig evaConfig = options.evaConfig();
        String registry = options.registry(env);
        String token = options.token(env);
        Path absolute = options.absolutePath();
        String source = options.source();
        ModelCard card = options.card();

        Path work = null;
        try {
            // 1 + 2: every check and the file to upload, before any HTTP call
            EncoderSpec spec = EncoderImport.check(format, absolute, evaConfig);
            out.println("checked " + absolute + ": " + describe(spec));
            work = Files.createTempDirectory("eagle-register-");
            EncoderImport.Prepared prepared =
                    EncoderImport.prepare(
                            format,
                            absolute,
                            evaConfig,
                            card,
                            work.resolve("model.safetensors"),
                            new ProgressLines(err));
            String size = ProgressLines.mib(prepared.sizeBytes());
            out.println(
                    "prepared "
                            + size
                            + " with the encoder spec and the model card "
                            + card.toJson()
                            + " in its metadata");

            // 3: the registry
            RegistryClient client = new RegistryClient(registry, token, Duration.ofSeconds(30));
            client.createModel(
                    name,
                    "registered with ./eagle register from "
                            + source
                            + " (licence "
                            + card.licence()
                            + ")");
            long started = System.nanoTime();
            if (prepared.sizeBytes() >= ProgressLines.FROM_BYTES) {
                err.println("uploading " + size + " to " + registry + " ...");
            }
            Registration r =
                    client.registerAndUpload(
                            name,
                            null,
                            prepared.file(),
                            JSON.readTree(prepared.spec().toJson()),
                            null);
            if (!r.sha256().equals(prepared.sha256())) {
                err.println(
                        "error: the registry answered sha256 "
                                + r.sha256()
                                + " for a file whose sha256 is "
                                + prepared.sha256());
                return 1;
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            out.printf(
                    Locale.ROOT,
                    "registered %s version %d: READY, sha256 %s (%s in %.1f s)%n",
                    name,
                    r.version(),
                    r.sha256(),
                    size,
                    seconds);
            NextSteps.print(out, client, name, r.version(), registry);
            return 0;
        } catch (IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            err.println("nothing was registered");
            return 1;
        } catch (RegistryException e) {
            err.println("error: " + e.getMessage());
            return 1;
        } catch (IOException e) {
            err.println(
                    "error: "
                            + (e instanceof java.nio.file.NoSuchFileException
                                    ? "no such file: "
                                    : "")
                            + e.getMessage());
            return 1;
        } finally {
            deleteQuietly(work);
        }
    }

    static String describe(EncoderSpec spec) {
        var c = spec.config();
        return (spec.preset() != null ? spec.preset() + ", " : "")
                + "vision "
                + c.vision().imageSize()
                + " px patch "
                + c.vision().patchSize()
                + " width "
                + c.vision().width()
                + " x "
                + c.vision().layers()
                + ", text width "
                + c.text().width()
                + " x "
                + c.text().layers()
                + " over "
                + c.text().contextLength()
                + " tokens, D "
                + c.embedDim()
                + ", "
                + c.parameterShapes().size()
                + " tensors, tokenizer "
                + spec.tokenizer().describe();
    }

    private static void deleteQuietly(Path dir) {
        if (dir == null) {
            return;
        }
        try (var files = Files.walk(dir)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // a temporary folder left behind is not worth failing a registration for
        }
    }
}
