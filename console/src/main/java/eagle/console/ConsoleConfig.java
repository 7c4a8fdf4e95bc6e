package eagle.console;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The console's configuration ({@code eagle.console.*}): where each service answers, and the read
 * tokens the console itself uses for GETs. Write calls (start a round, re-check, roll back) never
 * use these tokens: they carry the operator's own token from the page, so the services check the
 * operator's roles.
 */
@ConfigMapping(prefix = "eagle.console")
public interface ConsoleConfig {

    /** The model the page opens with. */
    @WithDefault("clip-vit-b16")
    String model();

    /**
     * Subjects whose moves of {@code production} the timeline calls promotions (the evaluator's
     * token subject); other moves are manual, rollbacks are rollbacks.
     */
    @WithDefault("evaluator")
    List<String> promoters();

    /** Timeout of one proxied request (SSE streams excepted). */
    @WithDefault("15s")
    Duration timeout();

    /**
     * Per service ({@code registry}, {@code ingest}, {@code trainer}, {@code evaluator}, {@code
     * gateway}).
     */
    Map<String, Service> services();

    /** The service when its URL is configured (an empty URL leaves it out). */
    default Optional<Service> service(String name) {
        Service s = services().get(name);
        return s == null || s.url().isEmpty() || s.url().get().isBlank()
                ? Optional.empty()
                : Optional.of(s);
    }

    interface Service {

        /** Base URL, e.g. {@code http://localhost:8081} (the API paths are the service's own). */
        Optional<String> url();

        /**
         * Bearer token the console sends on GETs when the page sends none (e.g. one with
         * registry.read).
         */
        Optional<String> readToken();
    }
}
