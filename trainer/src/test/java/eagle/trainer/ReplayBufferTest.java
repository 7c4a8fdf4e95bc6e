package eagle.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReplayBufferTest {

    @Test
    void capacityIsSplitAcrossTheClassesSeen() {
        ReplayBuffer buffer = new ReplayBuffer(6, 1);
        for (int i = 0; i < 10; i++) {
            buffer.offer("a" + i, List.of("cat"), "{}");
        }
        assertEquals(Map.of("cat", 6), buffer.fillPerClass());
        for (int i = 0; i < 10; i++) {
            buffer.offer("b" + i, List.of("dog"), "{}");
        }
        // K = 6, C = 2: at most 3 each
        assertEquals(Map.of("cat", 3, "dog", 3), buffer.fillPerClass());
        assertEquals(6, buffer.size());
        buffer.offer("c0", List.of("owl"), "{}");
        assertEquals(Map.of("cat", 2, "dog", 2, "owl", 1), buffer.fillPerClass());
        assertEquals(Map.of("cat", 10L, "dog", 10L, "owl", 1L), buffer.seenPerClass());
    }

    /** Algorithm R keeps each of n images of a class with probability k / n. */
    @Test
    void reservoirKeepsEveryImageWithProbabilityKOverN() {
        int n = 10;
        int k = 4;
        int trials = 4000;
        int[] kept = new int[n];
        for (int t = 0; t < trials; t++) {
            ReplayBuffer buffer = new ReplayBuffer(k, 1000 + t);
            for (int i = 0; i < n; i++) {
                buffer.offer("img" + i, List.of("cat"), "v" + i);
            }
            for (int i = 0; i < n; i++) {
                if (buffer.images().containsKey("img" + i)) {
                    kept[i]++;
                }
            }
        }
        double expected = (double) k / n;
        double sigma = Math.sqrt(expected * (1 - expected) / trials);
        for (int i = 0; i < n; i++) {
            double p = kept[i] / (double) trials;
            assertTrue(
                    Math.abs(p - expected) < 4 * sigma, "image " + i + " kept with frequency " + p);
        }
    }

    @Test
    void retractionRemovesTheImageFromEveryReservoir() {
        ReplayBuffer buffer = new ReplayBuffer(10, 3);
        buffer.offer("x", List.of("cat", "dog"), "vx");
        buffer.offer("y", List.of("dog"), "vy");
        assertEquals(Map.of("cat", 1, "dog", 2), buffer.fillPerClass());
        assertTrue(buffer.retract("x"));
        assertEquals(Map.of("cat", 0, "dog", 1), buffer.fillPerClass());
        assertEquals(Map.of("y", "vy"), buffer.images());
        assertFalse(buffer.retract("x"));
    }

    @Test
    void aRestoredSnapshotContinuesTheSameRandomSequence() {
        ReplayBuffer straight = new ReplayBuffer(5, 11);
        ReplayBuffer resumed = new ReplayBuffer(5, 11);
        for (int i = 0; i < 20; i++) {
            straight.offer("i" + i, List.of(i % 3 == 0 ? "a" : "b"), "v" + i);
            resumed.offer("i" + i, List.of(i % 3 == 0 ? "a" : "b"), "v" + i);
        }
        resumed = ReplayBuffer.restore(resumed.snapshot());
        for (int i = 20; i < 60; i++) {
            straight.offer("i" + i, List.of(i % 3 == 0 ? "a" : "c"), "v" + i);
            resumed.offer("i" + i, List.of(i % 3 == 0 ? "a" : "c"), "v" + i);
        }
        assertEquals(straight.snapshot(), resumed.snapshot());
    }

    /**
     * The snapshot JSON of a fixed sequence of offers and a retraction, as the buffer wrote it
     * before its reservoirs moved to {@code eagle.core.train.ClassReservoir}: the same sequence
     * writes it to the byte, and a state file holding it reads back and writes it unchanged.
     */
    private static final String SNAPSHOT_BEFORE_CLASS_RESERVOIR =
            "{\"capacity\":12,\"randomState\":-392661752437002781,\"reservoirs\":{\"cat\":{\"seen\":10,\"imageIds\":[\"img9\",\"img6\",\"img2\"]},\"dog\":{\"seen\":15,\"imageIds\":[\"img10\",\"img23\",\"img4\"]},\"emu\":{\"seen\":5,\"imageIds\":[\"img12\",\"img3\",\"img20\"]},\"owl\":{\"seen\":4,\"imageIds\":[\"img7\",\"img14\"]}},\"values\":{\"img10\":\"{\\\"i\\\":10}\",\"img12\":\"{\\\"i\\\":12}\",\"img14\":\"{\\\"i\\\":14}\",\"img2\":\"{\\\"i\\\":27}\",\"img20\":\"{\\\"i\\\":20}\",\"img23\":\"{\\\"i\\\":23}\",\"img3\":\"{\\\"i\\\":28}\",\"img4\":\"{\\\"i\\\":29}\",\"img6\":\"{\\\"i\\\":6}\",\"img7\":\"{\\\"i\\\":7}\",\"img9\":\"{\\\"i\\\":9}\"}}";

    @Test
    void theSnapshotFormatAndSamplingAreThoseOfEarlierStateFiles() throws Exception {
        ReplayBuffer buffer = new ReplayBuffer(12, 42);
        for (int i = 0; i < 30; i++) {
            List<String> classes =
                    i % 7 == 0 ? List.of("owl", "cat") : List.of(i % 3 == 0 ? "cat" : "dog");
            if (i >= 12 && i % 4 == 0) {
                classes = List.of("emu");
            }
            buffer.offer("img" + (i % 25), classes, "{\"i\":" + i + "}");
            if (i == 20) {
                buffer.retract("img3");
            }
        }
        JsonNode expected = StateStore.JSON.readTree(SNAPSHOT_BEFORE_CLASS_RESERVOIR);
        assertEquals(expected, written(buffer));
        ReplayBuffer read =
                ReplayBuffer.restore(
                        StateStore.JSON.readValue(
                                SNAPSHOT_BEFORE_CLASS_RESERVOIR, ReplayBuffer.Snapshot.class));
        assertEquals(expected, written(read));
        assertEquals(buffer.images(), read.images());
        assertEquals(Map.of("cat", 3, "dog", 3, "emu", 3, "owl", 2), read.fillPerClass());
    }

    /** The snapshot as the state file holds it, read back as a tree. */
    private static JsonNode written(ReplayBuffer buffer) throws Exception {
        return StateStore.JSON.readTree(StateStore.JSON.writeValueAsString(buffer.snapshot()));
    }
}
