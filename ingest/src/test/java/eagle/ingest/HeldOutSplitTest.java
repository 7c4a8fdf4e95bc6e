package eagle.ingest;

import static eagle.ingest.TestImages.column;
import static eagle.ingest.TestImages.event;
import static eagle.ingest.TestImages.file;
import static eagle.ingest.TestImages.png;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonProcessingException;
import eagle.contracts.AnnotationEvent;
import eagle.contracts.SampleEvent;
import eagle.contracts.Topics;
import eagle.ingest.blob.FileBlobStore;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.stream.IntStream;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The held-out split: a function of the image id alone, and the topology routes by it. */
class HeldOutSplitTest {

    @TempDir Path dir;

    /**
     * u(id) computed independently (Python: int.from_bytes(sha256(id).digest()[:8], 'big') >> 11, /
     * 2^53): u("a") = 0.7914, u("b") = 0.2427, u("d") = 0.0964, u("p") = 0.0803, u("s") = 0.0165;
     * of img-0 … img-39 those below 0.1 are 3, 5, 14, 25, 29, 30, 32.
     */
    @Test
    void anImageGoesTheWayItsIdSaysOnEveryInstance() {
        HeldOutSplit tenth = new HeldOutSplit(0.1);
        assertEquals(0.7914, HeldOutSplit.unit("a"), 1e-4);
        assertEquals(0.0165, HeldOutSplit.unit("s"), 1e-4);
        assertTrue(tenth.heldOut("s") && tenth.heldOut("p") && tenth.heldOut("d"));
        assertFalse(tenth.heldOut("a") || tenth.heldOut("b"));
        assertFalse(new HeldOutSplit(0.09).heldOut("d"), "u(d) = 0.0964");
        assertEquals(
                List.of(3, 5, 14, 25, 29, 30, 32),
                IntStream.range(0, 40)
                        .filter(i -> new HeldOutSplit(0.1).heldOut("img-" + i))
                        .boxed()
                        .toList());
        assertEquals(Topics.HELD_OUT_SAMPLES, tenth.topicOf("s"));
        assertEquals(Topics.SAMPLES, tenth.topicOf("a"));
    }

    @Test
    void theFractionIsMetAndLargerFractionsHoldOutMore() {
        int n = 20_000;
        int held = 0;
        for (int i = 0; i < n; i++) {
            String id = "photo-" + i;
            boolean at10 = new HeldOutSplit(0.1).heldOut(id);
            held += at10 ? 1 : 0;
            if (new HeldOutSplit(0.05).heldOut(id)) {
                assertTrue(at10, id + " held out at 5% but not at 10%");
            }
            if (at10) {
                assertTrue(new HeldOutSplit(0.2).heldOut(id), id);
            }
            assertFalse(new HeldOutSplit(0).heldOut(id));
            assertTrue(new HeldOutSplit(1).heldOut(id));
        }
        assertEquals(0.1, held / (double) n, 0.01);
        assertThrows(IllegalArgumentException.class, () -> new HeldOutSplit(-0.1));
        assertThrows(IllegalArgumentException.class, () -> new HeldOutSplit(1.5));
        assertEquals(0.1, IngestConfig.defaults().heldOut().fraction());
    }

    @Test
    void heldOutImagesNeverReachTheSamplesTopicAcrossReannotationRetractionAndRestart() {
        Driver d = new Driver("state-1");
        AnnotationEvent.ImageRef img = file(dir, "s.png", png(3, 4, 1));
        AnnotationEvent.ImageRef other = file(dir, "a.png", png(3, 4, 2));
        d.send(event("s", "s/0", "cat", column(3, 4, 0), img)); // u = 0.0165: held out
        d.send(event("a", "a/0", "cat", column(3, 4, 0), other)); // u = 0.7914: training
        d.emit();
        TestRecord<String, SampleEvent> training = d.samples.readRecord();
        assertEquals("a", training.key());
        assertTrue(d.samples.isEmpty());
        TestRecord<String, SampleEvent> held = d.heldOut.readRecord();
        assertEquals("s", held.key());
        assertEquals(1, held.value().instances().size());
        assertTrue(d.heldOut.isEmpty());

        // re-annotated: the grown sample goes the same way
        d.send(event("s", "s/1", "dog", column(3, 4, 1), img));
        d.emit();
        assertEquals(2, d.heldOut.readRecord().value().instances().size());
        assertTrue(d.samples.isEmpty());

        // retracted: its tombstone follows it
        d.annotations.pipeInput("s", (byte[]) null);
        d.emit();
        TestRecord<String, SampleEvent> tomb = d.heldOut.readRecord();
        assertEquals("s", tomb.key());
        assertNull(tomb.value());
        assertTrue(d.samples.isEmpty());
        d.driver.close();

        // a restart (a new topology, empty state): annotated again, it is held out again
        Driver again = new Driver("state-2");
        again.send(event("s", "s/2", "cat", column(3, 4, 2), img));
        again.send(event("b", "b/0", "cat", column(3, 4, 2), file(dir, "b.png", png(3, 4, 3))));
        again.emit();
        assertEquals("s", again.heldOut.readRecord().key());
        assertEquals("b", again.samples.readRecord().key());
        assertTrue(again.heldOut.isEmpty() && again.samples.isEmpty());
        again.driver.close();
    }

    /** The topology with the default configuration (10% held out) under a test driver. */
    private final class Driver {
        final TopologyTestDriver driver;
        final TestInputTopic<String, byte[]> annotations;
        final TestOutputTopic<String, SampleEvent> samples;
        final TestOutputTopic<String, SampleEvent> heldOut;

        Driver(String state) {
            Properties props = new Properties();
            props.put(StreamsConfig.APPLICATION_ID_CONFIG, "held-out-split-test");
            props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
            props.put(StreamsConfig.STATE_DIR_CONFIG, dir.resolve(state).toString());
            driver =
                    new TopologyTestDriver(
                            TopologyProducer.topology(
                                    IngestConfig.defaults(),
                                    new FileBlobStore(dir.resolve("blobs"))),
                            props);
            annotations =
                    driver.createInputTopic(
                            Topics.ANNOTATIONS, new StringSerializer(), new ByteArraySerializer());
            samples =
                    driver.createOutputTopic(
                            Topics.SAMPLES,
                            new StringDeserializer(),
                            JsonSerde.of(SampleEvent.class).deserializer());
            heldOut =
                    driver.createOutputTopic(
                            Topics.HELD_OUT_SAMPLES,
                            new StringDeserializer(),
                            JsonSerde.of(SampleEvent.class).deserializer());
        }

        void send(AnnotationEvent e) {
            try {
                annotations.pipeInput(e.imageId(), JsonSerde.MAPPER.writeValueAsBytes(e));
            } catch (JsonProcessingException ex) {
                throw new IllegalStateException(ex);
            }
        }

        void emit() {
            driver.advanceWallClockTime(IngestConfig.defaults().emitInterval());
        }
    }
}
