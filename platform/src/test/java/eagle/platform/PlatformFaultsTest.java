package eagle.platform;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import eagle.contracts.Topics;
import eagle.demo.AnnotationSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * Faults in the middle of the flow: each of the five services killed with SIGKILL once and
 * restarted (ingest while it ingests a batch, the trainer while it trains, the evaluator while it
 * evaluates, then the registry and the gateway), the Kafka broker stopped and restarted while
 * annotations stream in, and PostgreSQL stopped and restarted. Afterwards: no published annotation
 * is missing from the samples, no sample was trained twice (the registry's data manifests do not
 * overlap), no version was evaluated twice, and the gateway never served a version that was not
 * production at some point, nor bytes other than that version's.
 */
@Order(4)
class PlatformFaultsTest {

    private static final Duration FLOW = Duration.ofMinutes(8);

    @Test
    void
            killedServicesAndRestartedBrokerAndDatabaseLoseNothingTrainNothingTwiceAndServeNoWrongVersion()
                    throws Exception {
        Platform p = Platform.get();
        ServedWatcher watcher = new ServedWatcher(p);
        watcher.start();
        List<AnnotationSource.Published> batches = new ArrayList<>();
        try {
            // ---- ingest killed while it ingests a batch
            AnnotationSource.Published a = p.publish(16, false);
            batches.add(a);
            await("the first samples of batch a")
                    .atMost(FLOW)
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> PlatformFlow.instancesOf(p.samples(), a.imageIds()) > 0);
            p.killAndRestart("ingest");
            PlatformFlow.awaitSamples(p, a, FLOW);

            // ---- the trainer killed in the middle of a round (after a checkpoint), resumed from
            // it. A round may
            // already have run on what was there during ingest's restart: a few more samples and an
            // operator's
            // request make sure one starts now.
            AnnotationSource.Published a2 = p.publish(4, false);
            batches.add(a2);
            PlatformFlow.awaitSamples(p, a2, FLOW);
            int beforeRound = p.newestVersion();
            assertEquals(
                    202,
                    Platform.send(
                                    "POST",
                                    p.service("trainer").url() + "/api/v1/rounds",
                                    p.operatorToken,
                                    null)
                            .statusCode());
            await("the trainer training (step 2 or later)")
                    .atMost(FLOW)
                    .pollInterval(Duration.ofMillis(100))
                    .until(
                            () -> {
                                JsonNode s = trainerStatus(p);
                                return s != null
                                        && "TRAINING".equals(s.path("phase").asText())
                                        && s.path("step").asInt() >= 2;
                            });
            p.killAndRestart("trainer");
            JsonNode candidate = PlatformFlow.awaitNewVersion(p, beforeRound, FLOW);
            int v = candidate.path("version").asInt();

            // ---- the evaluator killed as soon as that candidate is stored (while it evaluates it,
            // or just after)
            p.killAndRestart("evaluator");
            JsonNode evaluation = PlatformFlow.awaitEvaluation(p, v, FLOW);

            // ---- the registry and the gateway killed and restarted
            p.killAndRestart("registry");
            p.killAndRestart("gateway");
            // a blessed candidate ends as production: the evaluation is recorded before the alias
            // moves, so the kills may land between the two, and the evaluator's retry completes the
            // move after the registry is back
            if (evaluation.path("passed").asBoolean()) {
                await("v" + v + " promoted after the registry's restart: " + evaluation)
                        .atMost(FLOW)
                        .ignoreExceptions()
                        .until(() -> Integer.valueOf(v).equals(p.production()));
            }
            int production = p.production();
            PlatformFlow.awaitServed(p, production, FLOW);

            // ---- the broker stopped and restarted while a batch streams in
            int beforeB = p.newestVersion();
            long annotationsBefore = p.endOffset(Topics.ANNOTATIONS);
            CompletableFuture<AnnotationSource.Published> b =
                    CompletableFuture.supplyAsync(() -> p.publish(16, false));
            await("the broker has records of batch b")
                    .atMost(FLOW)
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> b.isDone() || p.endOffset(Topics.ANNOTATIONS) > annotationsBefore);
            p.kafka.stop();
            p.kafka.restart();
            AnnotationSource.Published published = b.get(5, TimeUnit.MINUTES);
            batches.add(published);
            PlatformFlow.awaitSamples(p, published, FLOW);

            // ---- the database stopped and restarted: the registry reports it, then recovers
            p.postgres.stop();
            await("the registry reports the database down")
                    .atMost(Duration.ofMinutes(2))
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> !p.service("registry").ready());
            p.postgres.start();
            await("the registry is ready again")
                    .atMost(Duration.ofMinutes(2))
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> p.service("registry").ready());
            JsonNode next = PlatformFlow.awaitNewVersion(p, beforeB, FLOW);
            PlatformFlow.awaitEvaluation(p, next.path("version").asInt(), FLOW);
            await("production served after the last evaluation")
                    .atMost(FLOW)
                    .pollInterval(Duration.ofMillis(500))
                    .until(
                            () -> {
                                JsonNode s = p.served();
                                Integer prod = p.production();
                                return s != null
                                        && prod != null
                                        && s.path("version").asInt() == prod;
                            });
        } finally {
            watcher.stop();
        }

        // ---- nothing lost
        Map<String, JsonNode> samples = p.samples();
        for (AnnotationSource.Published batch : batches) {
            assertEquals(
                    batch.instances(),
                    PlatformFlow.instancesOf(samples, batch.imageIds()),
                    "instances of a batch missing from the samples");
        }
        // ---- nothing trained twice: the data manifests of all versions are disjoint
        Map<String, List<long[]>> ranges = new HashMap<>();
        for (JsonNode version : p.versions()) {
            for (JsonNode r : version.path("trainingRun").path("dataManifest")) {
                String tp = r.path("topic").asText() + "-" + r.path("partition").asInt();
                long from = r.path("fromOffset").asLong();
                long until = r.path("untilOffset").asLong();
                for (long[] other : ranges.getOrDefault(tp, List.of())) {
                    assertTrue(
                            until <= other[0] || from >= other[1],
                            "v"
                                    + version.path("version").asInt()
                                    + " trained "
                                    + tp
                                    + " ["
                                    + from
                                    + ","
                                    + until
                                    + ") again (another version had ["
                                    + other[0]
                                    + ","
                                    + other[1]
                                    + "))");
                }
                ranges.computeIfAbsent(tp, k -> new ArrayList<>()).add(new long[] {from, until});
            }
        }
        assertTrue(
                ranges.values().stream().mapToInt(List::size).sum() >= 2,
                "expected the two rounds of this test at least");
        // ---- no version evaluated twice as a candidate
        for (JsonNode version : p.versions()) {
            int n = version.path("version").asInt();
            long candidateEvaluations =
                    p.evaluations(n).stream()
                            .filter(
                                    e ->
                                            !"recheck"
                                                    .equals(
                                                            e.at("/thresholds/_gate/purpose")
                                                                    .asText()))
                            .count();
            assertTrue(
                    candidateEvaluations <= 1,
                    "v" + n + " was evaluated " + candidateEvaluations + " times");
        }
        // ---- no wrong version served
        Set<Integer> everProduction = new HashSet<>();
        for (JsonNode h : p.registry("/aliases/production/history")) {
            everProduction.add(h.path("to").asInt());
        }
        assertTrue(watcher.seen.size() >= 2, "the watcher saw too little: " + watcher.seen);
        for (Map.Entry<Integer, Set<String>> e : watcher.seen.entrySet()) {
            assertTrue(
                    everProduction.contains(e.getKey()),
                    "the gateway served v"
                            + e.getKey()
                            + ", never production ("
                            + everProduction
                            + ")");
            String sha = p.registry("/versions/" + e.getKey()).path("sha256").asText();
            assertEquals(
                    Set.of(sha), e.getValue(), "the gateway served other bytes as v" + e.getKey());
        }
        for (ServiceProcess s : p.services.values()) {
            assertTrue(s.isAlive() && s.ready(), s + " is not up at the end");
        }
    }

    private static JsonNode trainerStatus(Platform p) {
        try {
            var r = Platform.send("GET", p.service("trainer").url() + "/api/v1/status", null, null);
            return r.statusCode() == 200 ? Platform.readTree(r.body()) : null;
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** Samples what the gateway serves every 250 ms in the background: version → digests seen. */
    private static final class ServedWatcher {

        final Map<Integer, Set<String>> seen = new ConcurrentHashMap<>();
        private final Platform p;
        private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();

        ServedWatcher(Platform p) {
            this.p = p;
        }

        void start() {
            timer.scheduleWithFixedDelay(
                    () -> {
                        JsonNode s = p.served();
                        if (s != null) {
                            seen.computeIfAbsent(
                                            s.path("version").asInt(),
                                            k -> ConcurrentHashMap.newKeySet())
                                    .add(s.path("sha256").asText());
                        }
                    },
                    0,
                    250,
                    TimeUnit.MILLISECONDS);
        }

        void stop() throws InterruptedException {
            timer.shutdown();
            timer.awaitTermination(30, TimeUnit.SECONDS);
        }
    }
}
