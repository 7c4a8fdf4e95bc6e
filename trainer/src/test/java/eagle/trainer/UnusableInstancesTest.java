package eagle.trainer;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import eagle.contracts.OffsetRange;
import eagle.contracts.SampleEvent;
import eagle.core.mask.BinaryMask;
import eagle.core.mask.CocoRle;
import eagle.core.model.EncoderSpec;
import eagle.infra.KafkaTestResource;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * No poison pills: a stream that mixes instances the trainer cannot use (a mask the centre crop
 * cuts away, a one-pixel mask below round.min-patch-area, a class the encoder's tokenizer cannot
 * prompt) into good samples still trains a round and writes a candidate; every unusable instance,
 * and every image left without a usable one, is skipped and counted by reason. Without the checks
 * the cropped-away mask would make the round's step throw ("mask covers no patch") and the engine
 * would stop.
 */
class UnusableInstancesTest {

    static final String TOPIC = "unusable-samples";
    static final int W = 128;
    static final int H = 64; // resized to 128×64 → centre crop keeps x ∈ [32, 96)
    private static final ObjectMapper JSON = new ObjectMapper();

    record Box(String className, int x0, int y0, int x1, int y1) {}

    /** A W×H image with one coloured rectangle per box, and one instance per box. */
    static String wideSample(Path blobs, String id, List<Box> boxes) throws Exception {
        BufferedImage image = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(Color.GRAY);
        g.fillRect(0, 0, W, H);
        List<SampleEvent.Instance> instances = new ArrayList<>();
        for (Box b : boxes) {
            g.setColor(b.className().startsWith("red") ? Color.RED : Color.BLUE);
            g.fillRect(b.x0(), b.y0(), b.x1() - b.x0(), b.y1() - b.y0());
            boolean[] bits = new boolean[W * H];
            for (int y = b.y0(); y < b.y1(); y++) {
                for (int x = b.x0(); x < b.x1(); x++) {
                    bits[y * W + x] = true;
                }
            }
            String counts = CocoRle.encode(BinaryMask.of(H, W, bits)).toCompressedString();
            instances.add(
                    new SampleEvent.Instance(
                            id + "/" + instances.size(),
                            b.className(),
                            new SampleEvent.Mask(List.of(H, W), counts),
                            "tester"));
        }
        g.dispose();
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ImageIO.write(image, "png", png);
        String sha = TestWorld.store(blobs, png.toByteArray());
        return JSON.writeValueAsString(
                new SampleEvent(
                        SampleEvent.SCHEMA_VERSION,
                        id,
                        new SampleEvent.Image(sha, W, H, "blob:" + sha),
                        instances,
                        List.of("tester"),
                        "2026-01-01T00:00:00Z"));
    }

    @Test
    void unusableInstancesAreSkippedAndCountedAndTheRoundStillTrains() throws Exception {
        Path work = Path.of("target", "unusable-" + System.nanoTime()).toAbsolutePath();
        Path blobs = work.resolve("blobs");
        TestWorld.writeBase(work.resolve("base"));
        KafkaTestResource.createTopic(TOPIC, 1, false);
        Map<String, String> values = new java.util.LinkedHashMap<>();
        for (int i = 0; i < 6; i++) { // good: inside the crop
            String cls = i % 2 == 0 ? "red square" : "blue circle";
            values.put(
                    "good-" + i,
                    wideSample(
                            blobs,
                            "good-" + i,
                            List.of(new Box(cls, 40 + 2 * i, 10, 70 + 2 * i, 40))));
        }
        // a good instance beside one the crop cuts away (x < 32): the image trains, the instance is
        // skipped
        values.put(
                "mixed",
                wideSample(
                        blobs,
                        "mixed",
                        List.of(
                                new Box("red square", 50, 20, 80, 50),
                                new Box("blue circle", 0, 0, 20, 30))));
        // only a cropped-away instance (x ≥ 96): the image has no usable instance
        values.put(
                "cropped",
                wideSample(blobs, "cropped", List.of(new Box("red square", 100, 10, 128, 40))));
        // a class of words the tokenizer does not know: not promptable; the image has no usable
        // instance
        values.put(
                "unknown-class",
                wideSample(
                        blobs,
                        "unknown-class",
                        List.of(new Box("purple triangle", 40, 10, 80, 50))));
        // a one-pixel instance (1/64 of a patch, below round.min-patch-area) beside a good one
        values.put(
                "tiny",
                wideSample(
                        blobs,
                        "tiny",
                        List.of(
                                new Box("red square", 40, 10, 70, 40),
                                new Box("blue circle", 80, 50, 81, 51))));

        Properties p = new Properties();
        p.put("bootstrap.servers", KafkaTestResource.bootstrapServers());
        p.put("acks", "all");
        try (KafkaProducer<String, String> producer =
                new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
            for (Map.Entry<String, String> e : values.entrySet()) {
                producer.send(new ProducerRecord<>(TOPIC, 0, e.getKey(), e.getValue()))
                        .get(30, TimeUnit.SECONDS);
            }
        }

        Map<String, String> config = new HashMap<>();
        config.put("kafka.bootstrap.servers", KafkaTestResource.bootstrapServers());
        config.put("eagle.trainer.topic", TOPIC);
        config.put("eagle.trainer.group-id", "unusable-test");
        config.put("eagle.trainer.state-dir", work.resolve("state").toString());
        config.put("eagle.trainer.blob-root", blobs.toString());
        config.put("eagle.trainer.base-dir", work.resolve("base").toString());
        config.put("eagle.trainer.round.min-samples", "8"); // the 6 good, mixed and tiny
        config.put("eagle.trainer.round.min-patch-area", "0.5");
        config.put("eagle.trainer.round.steps", "3");
        config.put("eagle.trainer.round.rank", "8");
        // the patch presence term on (docs/METHOD.md §3): the round trains with it and says so
        config.put("eagle.trainer.round.patch-lambda", "50");
        config.put("eagle.trainer.round.image-lambda", "30");
        config.put("eagle.trainer.poll-ms", "100");
        StateStore store = new StateStore(work.resolve("state"));
        Path candidate = store.candidateDir(1);
        try (EngineThread trainer = new EngineThread(config, RoundFault.NONE)) {
            // the status board, not state.json: the board learns of the closed round after the
            // file is written, so waiting on the file raced the assertions below
            await().atMost(Duration.ofSeconds(300))
                    .until(
                            () ->
                                    trainer.status().completedRounds() >= 1
                                            || trainer.status().phase() == TrainerPhase.FAILED
                                            || trainer.ended());
            TrainerStatus status = trainer.status();
            assertNotEquals(TrainerPhase.FAILED, status.phase(), status.error());
            assertEquals(1, status.completedRounds());
            assertEquals(
                    Map.of(
                            "INSTANCE_CROPPED_AWAY",
                            2L,
                            "INSTANCE_TOO_SMALL",
                            1L,
                            "CLASS_NOT_PROMPTABLE",
                            1L,
                            "NO_USABLE_INSTANCE",
                            2L),
                    status.skippedByReason());
            assertEquals(6, status.skipped());
        }
        Candidate c = JSON.readValue(candidate.resolve(Candidate.META).toFile(), Candidate.class);
        assertEquals(List.of("blue circle", "red square"), c.hyperparameters().get("classes"));
        assertEquals(
                50.0,
                ((Number) ((Map<?, ?>) c.hyperparameters().get("training")).get("patchLambda"))
                        .doubleValue());
        assertEquals(
                30.0,
                ((Number) ((Map<?, ?>) c.hyperparameters().get("training")).get("imageLambda"))
                        .doubleValue());
        assertEquals(List.of(OffsetRange.of(TOPIC, 0, 0, 10)), c.manifest());
        // the candidate describes itself as its parent does
        EncoderSpec base = EncoderSpec.read(work.resolve("base").resolve("model.safetensors"));
        assertTrue(
                EncoderSpec.read(candidate.resolve(Candidate.MODEL))
                        .differenceFrom(base)
                        .isEmpty());
        // the replay buffer holds the 8 used images, not the skipped ones
        DurableState state = store.readState().orElseThrow();
        assertEquals(8, state.buffer().values().size());
        assertTrue(
                !state.buffer().values().containsKey("cropped")
                        && !state.buffer().values().containsKey("unknown-class"));
    }
}
