package eagle.core.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ClassReservoirTest {

    @Test
    void theShareShrinksWithEveryNewClassAndEvictionsAreReported() {
        ClassReservoir<String, Integer> r = new ClassReservoir<>(4, 7);
        List<Integer> evicted = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            evicted.addAll(r.offer(i, List.of("cat")));
        }
        assertEquals(4, r.perClassCapacity());
        assertEquals(4, r.reservoirs().get("cat").size());
        evicted.addAll(r.offer(100, List.of("dog", "dog")));
        assertEquals(2, r.perClassCapacity());
        assertEquals(
                Map.of("cat", 2, "dog", 1),
                Map.of(
                        "cat",
                        r.reservoirs().get("cat").size(),
                        "dog",
                        r.reservoirs().get("dog").size()));
        assertEquals(Map.of("cat", 10L, "dog", 1L), r.seenPerClass());
        // an evicted image had joined and is no longer kept: the kept and the evicted are disjoint,
        // and
        // cat's 10 images split into 2 kept, the evicted ones and those algorithm R turned away on
        // arrival
        Set<Integer> kept = new HashSet<>(r.reservoirs().get("cat"));
        kept.addAll(r.reservoirs().get("dog"));
        assertTrue(kept.contains(100));
        evicted.forEach(e -> assertFalse(kept.contains(e), "evicted " + e + " is still kept"));
        assertTrue(
                evicted.size() >= 2,
                "the new class's arrival evicts two of cat's four: " + evicted);
        assertEquals(evicted.size(), new HashSet<>(evicted).size());
    }

    @Test
    void withoutCapacityNothingIsKeptOrSeen() {
        ClassReservoir<String, String> r = new ClassReservoir<>(0, 1);
        assertEquals(List.of(), r.offer("a", List.of("cat")));
        assertEquals(0, r.perClassCapacity());
        assertTrue(r.reservoirs().isEmpty());
        assertFalse(r.contains("a"));
    }

    @Test
    void aRestoredReservoirContinuesTheSameSequence() {
        ClassReservoir<Integer, String> straight = new ClassReservoir<>(5, 11);
        ClassReservoir<Integer, String> resumed = new ClassReservoir<>(5, 11);
        for (int i = 0; i < 20; i++) {
            straight.offer("i" + i, List.of(i % 3));
            resumed.offer("i" + i, List.of(i % 3));
        }
        resumed =
                ClassReservoir.restore(
                        resumed.capacity(),
                        resumed.randomState(),
                        resumed.seenPerClass(),
                        resumed.reservoirs());
        for (int i = 20; i < 60; i++) {
            assertEquals(
                    straight.offer("i" + i, List.of(i % 4)),
                    resumed.offer("i" + i, List.of(i % 4)));
        }
        assertEquals(straight.reservoirs(), resumed.reservoirs());
        assertEquals(straight.seenPerClass(), resumed.seenPerClass());
        assertEquals(straight.randomState(), resumed.randomState());
        resumed.remove("i59");
        assertFalse(resumed.contains("i59"));
    }
}
