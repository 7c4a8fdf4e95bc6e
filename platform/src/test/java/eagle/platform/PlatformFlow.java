package eagle.platform;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import eagle.client.Sha256;
import eagle.core.io.Safetensors;
import eagle.demo.AnnotationSource;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicReference;

/** The waits of the platform tests (each names what it waits for) and the test data they make. */
final class PlatformFlow {

    private PlatformFlow() {}

    /**
     * Until the gateway serves {@code version} with the registry's digest for it; returns what it
     * serves.
     */
    static JsonNode awaitServed(Platform p, int version, Duration atMost) {
        AtomicReference<JsonNode> served = new AtomicReference<>();
        String sha = p.registry("/versions/" + version).path("sha256").asText();
        await("the gateway serves v" + version)
                .atMost(atMost)
                .pollInterval(Duration.ofMillis(500))
                .until(
                        () -> {
                            JsonNode s = p.served();
                            served.set(s);
                            return s != null
                                    && s.path("version").asInt() == version
                                    && sha.equals(s.path("sha256").asText());
                        });
        return served.get();
    }

    /**
     * Until every published image is a sample with all its instances (the samples topic read as a
     * table).
     */
    static Map<String, JsonNode> awaitSamples(
            Platform p, AnnotationSource.Published published, Duration atMost) {
        AtomicReference<Map<String, JsonNode>> table = new AtomicReference<>();
        await("samples of the " + published.images() + " published images")
                .atMost(atMost)
                .pollInterval(Duration.ofSeconds(1))
                .until(
                        () -> {
                            Map<String, JsonNode> all = p.samples();
                            table.set(all);
                            return instancesOf(all, published.imageIds()) == published.instances();
                        });
        return table.get();
    }

    /** Instances in the samples of {@code imageIds} (a missing image counts 0). */
    static int instancesOf(Map<String, JsonNode> samples, List<String> imageIds) {
        int n = 0;
        for (String id : imageIds) {
            JsonNode s = samples.get(id);
            n += s == null ? 0 : s.path("instances").size();
        }
        return n;
    }

    /** Until a version newer than {@code newerThan} is READY; returns the first such version. */
    static JsonNode awaitNewVersion(Platform p, int newerThan, Duration atMost) {
        AtomicReference<JsonNode> found = new AtomicReference<>();
        await("a candidate newer than v" + newerThan)
                .atMost(atMost)
                .pollInterval(Duration.ofSeconds(1))
                .until(
                        () -> {
                            for (JsonNode v : p.versions()) {
                                if (v.path("version").asInt() > newerThan
                                        && "READY".equals(v.path("status").asText())) {
                                    found.set(v);
                                    return true;
                                }
                            }
                            return false;
                        });
        return found.get();
    }

    /** Until the evaluator recorded an evaluation of {@code version}; returns the latest. */
    static JsonNode awaitEvaluation(Platform p, int version, Duration atMost) {
        AtomicReference<JsonNode> found = new AtomicReference<>();
        await("an evaluation of v" + version)
                .atMost(atMost)
                .pollInterval(Duration.ofSeconds(1))
                .until(
                        () -> {
                            List<JsonNode> all = p.evaluations(version);
                            if (all.isEmpty()) {
                                return false;
                            }
                            found.set(all.get(all.size() - 1));
                            return true;
                        });
        return found.get();
    }

    /**
     * A copy of an encoder with the same tensors and one more metadata entry: another sha256, the
     * same metrics on every suite.
     */
    static Path sameTensorsCopy(Path source, Path target) throws IOException {
        Map<String, String> metadata =
                new LinkedHashMap<>(Safetensors.readHeader(source).metadata());
        metadata.put("eagle.platform.copy-of", Sha256.of(source));
        Safetensors.writeTensors(target, Safetensors.readAll(source), metadata);
        return target;
    }

    /** Collects the JSON {@code data:} lines of a server-sent event stream. */
    static final class SseData implements Flow.Subscriber<String> {

        private final List<JsonNode> events;

        SseData(List<JsonNode> events) {
            this.events = events;
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            subscription.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(String line) {
            if (line.startsWith("data:")) {
                events.add(Platform.readTree(line.substring(5).trim()));
            }
        }

        @Override
        public void onError(Throwable throwable) {}

        @Override
        public void onComplete() {}
    }
}
