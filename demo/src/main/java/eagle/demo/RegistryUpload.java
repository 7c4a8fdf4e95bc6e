package eagle.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import eagle.client.RegistryClient;
import eagle.core.model.EncoderSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Puts an encoder file into the registry as an operator seeding it would ({@link RegistryClient}):
 * create the model, register a version (sha256, size, the architecture = the file's {@link
 * EncoderSpec} JSON) and upload its bytes. Used by {@code ./eagle demo} and the platform tests.
 * Registry failures are {@code eagle.client.RegistryException}s.
 */
public final class RegistryUpload {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private RegistryUpload() {}

    /**
     * Creates {@code model} unless it exists.
     *
     * @param registry the registry's base URL ({@code http://host:port})
     * @param token a bearer token with {@code registry.register}
     */
    public static void createModel(String registry, String token, String model, String description)
            throws IOException, InterruptedException {
        new RegistryClient(registry, token, TIMEOUT).createModel(model, description);
    }

    /**
     * Registers {@code weights} as a version of {@code model} with {@code parent} (null for a root
     * version) and uploads its bytes unless the registry already holds them (the same file
     * registered before).
     *
     * @return the version number
     */
    public static int registerAndUpload(
            String registry, String token, String model, Path weights, Integer parent)
            throws IOException, InterruptedException {
        Object architecture = JSON.readTree(EncoderSpec.read(weights).toJson());
        return new RegistryClient(registry, token, TIMEOUT)
                .registerAndUpload(model, parent, weights, architecture, null)
                .version();
    }
}
