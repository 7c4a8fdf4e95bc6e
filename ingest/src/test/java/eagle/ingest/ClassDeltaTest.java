package eagle.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClassDeltaTest {

    @Test
    void deltasOfAnImageChangeAreTheHandCountedOnes() {
        // before {cat: 1}, after {cat: 2, dog: 1}
        List<ClassDelta> deltas = ClassDelta.between(Map.of("cat", 1), Map.of("cat", 2, "dog", 1));
        assertEquals(
                List.of(
                        new ClassDelta("cat", 1, 0, Map.of("dog", 1L)),
                        new ClassDelta("dog", 1, 1, Map.of("cat", 1L))),
                deltas);
        // an unchanged image gives nothing
        assertEquals(List.of(), ClassDelta.between(Map.of("cat", 2), Map.of("cat", 2)));
        // retraction of {cat: 2, dog: 1}
        assertEquals(
                List.of(
                        new ClassDelta("cat", -2, -1, Map.of("dog", -1L)),
                        new ClassDelta("dog", -1, -1, Map.of("cat", -1L))),
                ClassDelta.between(Map.of("cat", 2, "dog", 1), Map.of()));
    }

    @Test
    void statisticsSumDeltasAndVanishAtZero() {
        ClassStatistics s =
                ClassStatistics.initial()
                        .updateFrom(new ClassDelta("cat", 2, 1, Map.of("dog", 1L)));
        s = s.updateFrom(new ClassDelta("cat", 1, 1, Map.of("dog", 1L, "person", 1L)));
        assertEquals(new ClassStatistics("cat", 3, 2, Map.of("dog", 2L, "person", 1L)), s);
        s = s.updateFrom(new ClassDelta("cat", -1, -1, Map.of("person", -1L, "dog", -1L)));
        assertEquals(new ClassStatistics("cat", 2, 1, Map.of("dog", 1L)), s);
        assertNull(s.updateFrom(new ClassDelta("cat", -2, -1, Map.of("dog", -1L))));
    }
}
