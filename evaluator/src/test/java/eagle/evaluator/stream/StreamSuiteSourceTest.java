package eagle.evaluator.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import eagle.contracts.Topics;
import eagle.evaluator.service.HeldOutSuite;
import eagle.evaluator.service.SuiteUnavailable;
import eagle.scenes.Scene;
import eagle.scenes.Taxonomy;
import eagle.scenes.suite.CocoSuiteConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The suite built from the stream's held-out split: versioned by the offsets it covers, a new
 * version only after the configured growth, an empty split a clear error, bad records left out and
 * counted, retractions honoured.
 */
class StreamSuiteSourceTest {

    static final String TOPIC = Topics.HELD_OUT_SAMPLES;
    static final TopicPartition P0 = new TopicPartition(TOPIC, 0);
    static final CocoSuiteConfig CONFIG =
            new CocoSuiteConfig(0.25, 2, 64, 0.1, 0, Taxonomy.DEFAULT_TEMPLATE);

    @TempDir Path blobs;

    MockConsumer<String, String> consumer;
    long end;

    @BeforeEach
    void topic() {
        consumer = new MockConsumer<>(OffsetResetStrategy.EARLIEST);
        consumer.updatePartitions(TOPIC, List.of(new PartitionInfo(TOPIC, 0, null, null, null)));
        consumer.updateBeginningOffsets(Map.of(P0, 0L));
        consumer.updateEndOffsets(Map.of(P0, 0L));
    }

    private StreamSuiteSource source(int growth) {
        return new StreamSuiteSource(
                new HeldOutTopic(consumer, TOPIC, Duration.ofSeconds(5)), blobs, CONFIG, growth);
    }

    private List<ConsumerRecord<String, String>> sent = new java.util.ArrayList<>();

    private void send(String key, String value) {
        ConsumerRecord<String, String> r = new ConsumerRecord<>(TOPIC, 0, end++, key, value);
        sent.add(r);
        consumer.addRecord(r);
        consumer.updateEndOffsets(Map.of(P0, end));
    }

    private void send(List<Scene> scenes) {
        for (Scene s : scenes) {
            HeldOutFeed.Sample h = HeldOutFeed.sample(s, blobs);
            send(h.imageId(), h.json());
        }
    }

    @Test
    void anEmptyHeldOutSetIsAClearErrorAndNoSuite() {
        StreamSuiteSource src = source(5);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, src::build);
        assertTrue(e.getMessage().startsWith("the held-out set is empty"), e.getMessage());
        assertTrue(e.getMessage().contains(TOPIC), e.getMessage());
        SuiteUnavailable u =
                assertThrows(
                        SuiteUnavailable.class,
                        () -> HeldOutSuite.stream(src, 50, blobs.resolve("cache")).suite());
        assertTrue(u.getMessage().contains("the held-out set is empty"), u.getMessage());
    }

    @Test
    void aNewVersionComesOnlyAfterTheConfiguredGrowthAndIsIdentifiedByItsOffsets() {
        StreamSuiteSource src = source(3);
        HeldOutSuite suite = HeldOutSuite.stream(src, 50, blobs.resolve("cache"));
        assertThrows(SuiteUnavailable.class, suite::suite); // assigns the (empty) partition
        send(HeldOutFeed.scenes(1000, 12, i -> true));
        assertTrue(suite.refresh());
        String v1 = suite.id();
        assertTrue(v1.matches("heldout-[0-9a-f]{16}"), v1);
        assertEquals("stream", suite.version().source());
        assertEquals("0:[0,12)", suite.version().detail().get("offsets"));
        assertEquals("12", suite.version().detail().get("live_images"));
        // two new images with a growth of three: the same version
        send(HeldOutFeed.scenes(2000, 2, i -> true));
        assertFalse(suite.refresh());
        assertEquals(v1, suite.id());
        // the third: a new version, covering all fifteen records
        send(HeldOutFeed.scenes(3000, 1, i -> true));
        assertTrue(suite.refresh());
        assertNotEquals(v1, suite.id());
        assertEquals("0:[0,15)", suite.version().detail().get("offsets"));
        // the same records, read by another evaluator, give the same id
        List<ConsumerRecord<String, String>> all = List.copyOf(sent);
        topic();
        end = 0;
        StreamSuiteSource again = source(3);
        assertThrows(IllegalArgumentException.class, again::build); // assigns the partition
        all.forEach(r -> send(r.key(), r.value()));
        assertEquals(suite.id(), again.build().suite().id());
    }

    @Test
    void badRecordsAreLeftOutAndCountedAndRetractionsHonoured() throws Exception {
        StreamSuiteSource src = source(1);
        assertThrows(IllegalArgumentException.class, src::build); // assigns the partition
        List<Scene> scenes = HeldOutFeed.scenes(1000, 13, i -> true);
        send(scenes.subList(0, 12));
        send("img-junk", "this is not a sample");
        HeldOutFeed.Sample lost = HeldOutFeed.sample(scenes.get(12), blobs);
        send(lost.imageId(), lost.json());
        String sha = lost.json().replaceAll(".*\"sha256\":\"([0-9a-f]{64})\".*", "$1");
        Files.delete(blobs.resolve(sha.substring(0, 2)).resolve(sha));
        send("img-" + scenes.get(0).seed(), null); // retracted
        StreamSuiteSource.Built b = src.build();
        assertEquals(Map.of("bad_record", 1, "bad_blob", 1), b.skipped());
        assertEquals(13, b.covers().live().size());
        assertFalse(b.covers().live().containsKey("img-" + scenes.get(0).seed()));
        assertEquals(11, b.suite().sizes().get("images"));
        Map<String, String> d = src.describe(b);
        assertEquals("1", d.get("left_out.bad_blob"));
        assertEquals("0:[0,15)", d.get("offsets"));
    }
}
