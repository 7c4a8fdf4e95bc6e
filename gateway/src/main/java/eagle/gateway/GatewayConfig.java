package eagle.gateway;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** The gateway's configuration ({@code eagle.gateway.*} in application.properties). */
@ConfigMapping(prefix = "eagle.gateway")
public interface GatewayConfig {

    /** The registry's HTTP API. */
    Registry registry();

    /** Folder of the local artifact cache ({@code <sha256>.safetensors}, {@code hf/<sha256>/}). */
    Path cacheDir();

    /**
     * Models whose production encoder is loaded at start (others are loaded on their first
     * request).
     */
    Optional<List<String>> models();

    /**
     * Bearer tokens accepted for read access to {@code /v1}; when absent, {@code /v1} is open. Each
     * entry is a token, or {@code sha256:<hex>} of a token so that the configuration need not hold
     * the secret.
     */
    Optional<List<String>> readTokens();

    /**
     * How often production is re-resolved by polling the registry (the fallback when Kafka events
     * stall).
     */
    @WithDefault("30s")
    Duration pollInterval();

    /**
     * Whether production's files are answered on the event loop before the REST layer ({@link
     * FileRoutes}: 304 from memory, zero-copy full GETs); false sends every request through {@link
     * EncoderResource}.
     */
    @WithDefault("true")
    boolean fileFastPath();

    interface Registry {
        /**
         * Base URL of the registry, e.g. {@code http://localhost:8081} (the API is under {@code
         * /api/v1}).
         */
        String url();

        /** Bearer token with role {@code registry.read}; absent where the registry needs none. */
        Optional<String> token();

        /**
         * Connect and request timeout for metadata calls; an artifact download may take 60 times as
         * long.
         */
        @WithDefault("10s")
        Duration timeout();
    }
}
