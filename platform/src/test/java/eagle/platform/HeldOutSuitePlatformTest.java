package eagle.platform;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import eagle.contracts.Topics;
import eagle.demo.AnnotationSource;
import eagle.scenes.suite.CocoSuiteBuilder;
import eagle.scenes.suite.CocoSuiteConfig;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The evaluator's held-out suite from outside the synthetic world, through the whole system, each
 * on a platform of its own (the default one is stopped first):
 *
 * <ol>
 *   <li>{@code suite.source=stream}: ingest sends the published images whose id hashes below the
 *       held-out fraction (10%) to {@code eagle.samples.heldout.v1} and the others to the samples
 *       topic; the evaluator builds its suite from the held-out split (blessing the base once it
 *       holds images), the trainer trains a candidate from the rest, and the candidate's evaluation
 *       records the stream suite's version ({@code _gate.suite}: source, topic, the offsets it
 *       covers); production follows the verdict and the gateway serves it;
 *   <li>{@code suite.source=coco}: a COCO-format set of non-square JPEG photos (polygons, RLE lists
 *       and strings, class names with spaces; {@link SceneCocoPhotos}) written by the test; the
 *       base's blessing and the trained candidate's evaluation record that set's suite id (the one
 *       {@link CocoSuiteBuilder} computes from its bytes here) and file; production follows the
 *       verdict and the gateway serves it.
 * </ol>
 */
@Order(8)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HeldOutSuitePlatformTest {

    static final double HELD_OUT_FRACTION = 0.1;
    static final int STREAM_SCENES = 160;
    static final int COCO_PHOTOS = 24;
    static final int COCO_MIN_INSTANCE_PIXELS = 256;
    static final double CALIBRATION_FRACTION = 0.25;
    private static final Duration FLOW = Duration.ofMinutes(8);
    private static final Pattern OFFSETS = Pattern.compile("(\\d+):\\[(\\d+),(\\d+)\\)");

    static Platform.Settings stream() {
        String runDir = "platform-run-heldout-stream";
        return new Platform.Settings(
                runDir,
                Platform.MODEL,
                true,
                true,
                "platform/src/test/resources/plumbing-gate.json",
                List.of(),
                List.of("-Deagle.ingest.heldout.fraction=" + HELD_OUT_FRACTION),
                List.of(
                        "-Deagle.evaluator.suite.source=stream",
                        "-Deagle.evaluator.suite.stream.blobs-dir="
                                + Platform.repoRoot()
                                        .resolve("platform/target/" + runDir + "/blobs"),
                        "-Deagle.evaluator.suite.stream.growth=4",
                        "-Deagle.evaluator.suite.coco.min-instance-pixels=64",
                        "-Deagle.evaluator.suite.coco.calibration-fraction="
                                + CALIBRATION_FRACTION));
    }

    static Platform.Settings coco(SceneCocoPhotos.Written set) {
        return new Platform.Settings(
                "platform-run-heldout-coco",
                Platform.MODEL,
                true,
                true,
                "platform/src/test/resources/plumbing-gate.json",
                List.of(),
                List.of(),
                List.of(
                        "-Deagle.evaluator.suite.source=coco",
                        "-Deagle.evaluator.suite.coco.annotations=" + set.json(),
                        "-Deagle.evaluator.suite.coco.images=" + set.images(),
                        "-Deagle.evaluator.suite.coco.min-instance-pixels="
                                + COCO_MIN_INSTANCE_PIXELS,
                        "-Deagle.evaluator.suite.coco.calibration-fraction="
                                + CALIBRATION_FRACTION));
    }

    @Test
    @Order(1)
    void aCandidateIsGatedOnTheStreamsHeldOutSplit() throws Exception {
        Platform p = Platform.get(stream());
        int base = p.baseVersion();
        AnnotationSource.Published published = p.publish(STREAM_SCENES, false);
        Set<String> heldOut = new HashSet<>();
        for (String id : published.imageIds()) {
            if (unit(id) < HELD_OUT_FRACTION) {
                heldOut.add(id);
            }
        }
        assertTrue(heldOut.size() >= 8, "too few held-out images among the seeds: " + heldOut);

        // each published image on exactly one topic: the held-out ones on the held-out topic
        AtomicReference<Set<String>> onHeldOut = new AtomicReference<>(Set.of());
        AtomicReference<Set<String>> onSamples = new AtomicReference<>(Set.of());
        await("every published image on the samples or the held-out topic")
                .atMost(FLOW)
                .pollInterval(Duration.ofSeconds(1))
                .until(
                        () -> {
                            onHeldOut.set(table(p, Topics.HELD_OUT_SAMPLES).keySet());
                            onSamples.set(p.samples().keySet());
                            return onHeldOut.get().size() + onSamples.get().size()
                                    >= published.images();
                        });
        assertEquals(heldOut, onHeldOut.get(), "the held-out topic's images");
        Set<String> rest = new HashSet<>(published.imageIds());
        rest.removeAll(heldOut);
        assertEquals(rest, onSamples.get(), "the samples topic's images");

        // the base is blessed on the split once it holds images and made production by that
        // blessing; the trainer's first candidates may already have moved production on by now,
        // so the alias history is asked, not production itself
        JsonNode baseEvaluation = PlatformFlow.awaitEvaluation(p, base, FLOW);
        assertStreamSuite(p, baseEvaluation, heldOut.size());
        assertTrue(
                baseEvaluation.path("passed").asBoolean(),
                "the base was not blessed: " + baseEvaluation);
        assertProductionFollowsTheVerdict(p, base, baseEvaluation);

        JsonNode candidate = PlatformFlow.awaitNewVersion(p, base, FLOW);
        int v = candidate.path("version").asInt();
        JsonNode evaluation = PlatformFlow.awaitEvaluation(p, v, FLOW);
        assertStreamSuite(p, evaluation, heldOut.size());
        assertProductionFollowsTheVerdict(p, v, evaluation);
    }

    @Test
    @Order(2)
    void aCandidateIsGatedOnACocoSetOfNonSquarePhotos() throws Exception {
        SceneCocoPhotos.Written set =
                SceneCocoPhotos.write(
                        Platform.repoRoot().resolve("platform/target/heldout-coco-photos"),
                        COCO_PHOTOS,
                        9_100_000L);
        assertTrue(set.polygons() > 0 && set.rleLists() > 0 && set.rleStrings() > 0, "" + set);
        // the evaluator's configuration: calibration fraction, 8 MMVP pairs per kind (Platform's
        // suite.mmvp-pairs-per-kind), the minimum instance size, seed 0
        String suiteId =
                CocoSuiteBuilder.build(
                                set.json(),
                                set.images(),
                                new CocoSuiteConfig(
                                        CALIBRATION_FRACTION,
                                        8,
                                        COCO_MIN_INSTANCE_PIXELS,
                                        CocoSuiteConfig.defaults().cropMargin(),
                                        0,
                                        CocoSuiteConfig.defaults().template()))
                        .id();

        Platform p = Platform.get(coco(set));
        int base = p.baseVersion();
        await("the base is production")
                .atMost(FLOW)
                .pollInterval(Duration.ofSeconds(1))
                .until(() -> Objects.equals(p.production(), base));
        assertCocoSuite(PlatformFlow.awaitEvaluation(p, base, FLOW), suiteId, set);
        PlatformFlow.awaitServed(p, base, FLOW);

        AnnotationSource.Published published = p.publish(24, false);
        PlatformFlow.awaitSamples(p, published, FLOW);
        JsonNode candidate = PlatformFlow.awaitNewVersion(p, base, FLOW);
        int v = candidate.path("version").asInt();
        assertEquals(base, candidate.path("parentVersion").asInt(), candidate.toString());
        JsonNode evaluation = PlatformFlow.awaitEvaluation(p, v, FLOW);
        assertCocoSuite(evaluation, suiteId, set);
        assertEquals(base, evaluation.path("baselineVersion").asInt(), evaluation.toString());
        assertProductionFollowsTheVerdict(p, v, evaluation);
    }

    /** The suite an evaluation records ({@code thresholds._gate.suite}). */
    static JsonNode suiteOf(JsonNode evaluation) {
        JsonNode thresholds = evaluation.path("thresholds");
        if (thresholds.isTextual()) {
            thresholds = Platform.readTree(thresholds.asText());
        }
        JsonNode suite = thresholds.path("_gate").path("suite");
        assertFalse(suite.isMissingNode(), "no _gate.suite: " + evaluation);
        return suite;
    }

    private static void assertStreamSuite(Platform p, JsonNode evaluation, int heldOutImages) {
        JsonNode suite = suiteOf(evaluation);
        assertEquals("stream", suite.path("source").asText(), suite.toString());
        String id = suite.path("id").asText();
        assertTrue(id.matches("heldout-[0-9a-f]{16}"), suite.toString());
        assertEquals(evaluation.path("suiteId").asText(), id, evaluation.toString());
        assertEquals(Topics.HELD_OUT_SAMPLES, suite.path("topic").asText(), suite.toString());
        Matcher m = OFFSETS.matcher(suite.path("offsets").asText());
        long covered = 0;
        while (m.find()) {
            covered += Long.parseLong(m.group(3)) - Long.parseLong(m.group(2));
        }
        assertTrue(covered > 0, "no offsets covered: " + suite);
        assertTrue(
                covered <= p.endOffset(Topics.HELD_OUT_SAMPLES),
                "more offsets than the topic holds: " + suite);
        int live = Integer.parseInt(suite.path("live_images").asText("0"));
        assertTrue(live > 0 && live <= heldOutImages, suite.toString());
        assertTrue(suite.path("size").path("zeroshot_images").asInt() > 0, suite.toString());
    }

    private static void assertCocoSuite(
            JsonNode evaluation, String suiteId, SceneCocoPhotos.Written set) {
        JsonNode suite = suiteOf(evaluation);
        assertEquals("coco", suite.path("source").asText(), suite.toString());
        assertEquals(suiteId, suite.path("id").asText(), suite.toString());
        assertEquals(suiteId, evaluation.path("suiteId").asText(), evaluation.toString());
        assertEquals(set.json().toString(), suite.path("annotations").asText(), suite.toString());
        assertTrue(suite.path("size").path("zeroshot_images").asInt() > 0, suite.toString());
    }

    /**
     * Blessed: production moved to the candidate by this evaluation (the alias history; later
     * rounds may move it on); not blessed: production never pointed at it. Either way the gateway
     * serves production with the registry's digest.
     */
    private static void assertProductionFollowsTheVerdict(
            Platform p, int candidate, JsonNode evaluation) {
        if (evaluation.path("passed").asBoolean()) {
            await("the blessed v" + candidate + " made production")
                    .atMost(FLOW)
                    .pollInterval(Duration.ofSeconds(1))
                    .until(() -> !promotedBy(p, candidate).isEmpty());
            // by a passed evaluation of it (a re-score after a concurrent move is another one)
            Set<String> passed = new HashSet<>();
            for (JsonNode e : p.evaluations(candidate)) {
                if (e.path("passed").asBoolean()) {
                    passed.add(e.path("id").asText());
                }
            }
            assertTrue(
                    passed.containsAll(promotedBy(p, candidate)),
                    "moved by " + promotedBy(p, candidate) + ", passed " + passed);
        } else {
            assertTrue(
                    promotedBy(p, candidate).isEmpty(),
                    "an unblessed candidate was production: " + evaluation);
            assertNotEquals(candidate, p.production(), "an unblessed candidate in production");
        }
        await("the gateway serves production with the registry's digest")
                .atMost(FLOW)
                .pollInterval(Duration.ofMillis(500))
                .until(
                        () -> {
                            Integer production = p.production();
                            JsonNode served = p.served();
                            return production != null
                                    && served != null
                                    && served.path("version").asInt() == production
                                    && p.registry("/versions/" + production)
                                            .path("sha256")
                                            .asText()
                                            .equals(served.path("sha256").asText());
                        });
    }

    /** The evaluation ids of the alias history's moves of production to {@code version}. */
    private static List<String> promotedBy(Platform p, int version) {
        List<String> ids = new ArrayList<>();
        JsonNode history = p.registry("/aliases/production/history");
        if (history != null) {
            for (JsonNode h : history) {
                if (h.path("to").asInt() == version) {
                    ids.add(h.path("evaluationId").asText());
                }
            }
        }
        return ids;
    }

    /** A topic as a table: image id → latest value (tombstones remove). */
    private static Map<String, byte[]> table(Platform p, String topic) {
        Map<String, byte[]> out = new LinkedHashMap<>();
        for (ConsumerRecord<String, byte[]> r : p.readAll(topic)) {
            if (r.value() == null) {
                out.remove(r.key());
            } else {
                out.put(r.key(), r.value());
            }
        }
        return out;
    }

    /**
     * Ingest's split (its HeldOutSplit): the first 53 bits of SHA-256(UTF-8 image id) as a number
     * in [0, 1); held out when below the fraction.
     */
    static double unit(String imageId) throws Exception {
        byte[] h =
                MessageDigest.getInstance("SHA-256")
                        .digest(imageId.getBytes(StandardCharsets.UTF_8));
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (h[i] & 0xFF);
        }
        return (v >>> 11) * 0x1.0p-53;
    }
}
