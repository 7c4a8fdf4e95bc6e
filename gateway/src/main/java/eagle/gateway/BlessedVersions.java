package eagle.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import eagle.client.AliasTarget;
import eagle.client.Evaluation;
import eagle.client.RegistryClient;
import eagle.client.RegistryException;
import eagle.client.Version;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * What the registry allows the gateway to serve (docs/ARCHITECTURE.md, Serving), and loading it:
 * the target of {@code production}; a version that is READY, has the digest the alias names and a
 * passing evaluation; its artifact fetched into the {@link ArtifactCache} (verified) and loaded as
 * a {@link LoadedEncoder}. Every registry failure is a {@link GatewayException} ({@link
 * GatewayException#of}).
 */
@ApplicationScoped
public class BlessedVersions {

    private final RegistryClient registry;
    private final ArtifactCache cache;
    private final Path hfRoot;
    private final AtomicLong loads = new AtomicLong();

    public BlessedVersions(RegistryClient registry, ArtifactCache cache, GatewayConfig config) {
        this.registry = registry;
        this.cache = cache;
        this.hfRoot = config.cacheDir().resolve("hf");
        deleteTree(
                hfRoot); // Hugging Face folders are derived per load; stale ones of an earlier run
        // go
    }

    /**
     * Where {@code production} of {@code model} points now.
     *
     * @throws GatewayException 404 {@code NO_PRODUCTION} when the model or its production alias
     *     does not exist
     */
    public AliasTarget production(String model) {
        return call(() -> registry.production(model))
                .orElseThrow(
                        () ->
                                new GatewayException(
                                        404,
                                        "NO_PRODUCTION",
                                        "model "
                                                + model
                                                + " has no "
                                                + RegistryClient.PRODUCTION
                                                + " alias in the registry"));
    }

    /**
     * Loads version {@code version} of {@code model}, which production names with digest {@code
     * sha256}.
     */
    public LoadedEncoder load(String model, int version, String sha256) {
        Version info = call(() -> registry.version(model, version));
        requireReady(info);
        if (!info.sha256().equals(sha256)) {
            throw new GatewayException(
                    502,
                    "DIGEST_DISAGREES",
                    "production names "
                            + sha256
                            + " but version "
                            + version
                            + " has "
                            + info.sha256());
        }
        JsonNode evaluation = latestPassing(model, version);
        Path file = cache.verified(sha256, info.sizeBytes(), () -> artifact(model, version));
        Path hf = hfRoot.resolve(sha256 + "-" + loads.incrementAndGet());
        return LoadedEncoder.load(info, evaluation, file, hf);
    }

    /**
     * The verified weights of {@code version} by number: only when it is READY and has a passing
     * evaluation.
     */
    public ServedFile weights(String model, int version) {
        Version info = call(() -> registry.version(model, version));
        requireReady(info);
        latestPassing(model, version);
        Path file = cache.verified(info.sha256(), info.sizeBytes(), () -> artifact(model, version));
        return new ServedFile(
                file,
                info.sha256(),
                info.sizeBytes(),
                "application/octet-stream",
                model,
                version,
                info.sha256());
    }

    /**
     * Verifies {@code weights} again (cheaply when unchanged), fetching them again when tampered
     * with.
     */
    public void reverify(ServedFile weights) {
        cache.verified(
                weights.sha256(),
                weights.sizeBytes(),
                () -> artifact(weights.model(), weights.version()));
    }

    private java.io.InputStream artifact(String model, int version) {
        return call(() -> registry.openArtifact(model, version));
    }

    private static void requireReady(Version info) {
        if (!info.ready()) {
            throw new GatewayException(
                    409,
                    "VERSION_NOT_READY",
                    "version "
                            + info.version()
                            + " of "
                            + info.model()
                            + " is "
                            + info.status()
                            + ", not "
                            + Version.READY);
        }
    }

    private JsonNode latestPassing(String model, int version) {
        List<Evaluation> passing =
                call(() -> registry.evaluations(model, version)).stream()
                        .filter(Evaluation::passed)
                        .toList();
        if (passing.isEmpty()) {
            throw new GatewayException(
                    409,
                    "NOT_BLESSED",
                    "version " + version + " of " + model + " has no passing evaluation");
        }
        return passing.stream()
                .max(Comparator.comparing(e -> e.createdAt() == null ? "" : e.createdAt()))
                .orElseThrow()
                .raw();
    }

    private static <T> T call(Supplier<T> registryCall) {
        try {
            return registryCall.get();
        } catch (RegistryException e) {
            throw GatewayException.of(e);
        }
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot clear " + root, e);
        }
    }
}
