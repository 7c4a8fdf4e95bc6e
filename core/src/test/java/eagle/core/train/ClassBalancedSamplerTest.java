package eagle.core.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class ClassBalancedSamplerTest {

    private static TrainingSample sample(String id, int... classes) {
        List<TrainingSample.Instance> instances = new ArrayList<>();
        for (int c : classes) {
            instances.add(new TrainingSample.Instance(c, new float[] {1f}));
        }
        return new TrainingSample(id, new float[3], instances);
    }

    @Test
    void rareClassIsDrawnAsOftenAsACommonOne() {
        ClassBalancedSampler sampler = new ClassBalancedSampler(5);
        for (int i = 0; i < 90; i++) {
            sampler.add(sample("common-" + i, 0));
        }
        for (int i = 0; i < 10; i++) {
            sampler.add(sample("rare-" + i, 1));
        }
        Map<Integer, Integer> drawn = new TreeMap<>();
        for (int round = 0; round < 4000; round++) {
            for (TrainingSample s : sampler.nextBatch(1)) {
                drawn.merge(s.instances().get(0).classId(), 1, Integer::sum);
            }
        }
        // uniform over classes: each near 2000; by images it would be 3600 : 400
        assertEquals(2000, drawn.get(1), 150);
        assertEquals(2000, drawn.get(0), 150);
    }

    @Test
    void batchHasDistinctImagesAndRetractionRemovesAnImage() {
        ClassBalancedSampler sampler = new ClassBalancedSampler(1);
        sampler.add(sample("a", 0, 1));
        sampler.add(sample("b", 1));
        sampler.add(sample("c", 2));
        List<TrainingSample> batch = sampler.nextBatch(3);
        assertEquals(3, new HashSet<>(batch.stream().map(TrainingSample::imageId).toList()).size());
        assertTrue(sampler.remove("c"));
        assertFalse(sampler.remove("c"));
        assertEquals(2, sampler.classCount());
        assertEquals(Map.of(0, 1, 1, 2), sampler.instancesPerClass());
        for (int i = 0; i < 50; i++) {
            assertTrue(sampler.nextBatch(1).stream().noneMatch(s -> s.imageId().equals("c")));
        }
    }

    @Test
    void resumedRandomStateRepeatsTheDraws() {
        ClassBalancedSampler first = new ClassBalancedSampler(9);
        for (int i = 0; i < 20; i++) {
            first.add(sample("img-" + i, i % 5));
        }
        first.nextBatch(4);
        ClassBalancedSampler second = ClassBalancedSampler.resume(first.randomState());
        for (int i = 0; i < 20; i++) {
            second.add(sample("img-" + i, i % 5));
        }
        for (int i = 0; i < 10; i++) {
            assertEquals(
                    first.nextBatch(4).stream().map(TrainingSample::imageId).toList(),
                    second.nextBatch(4).stream().map(TrainingSample::imageId).toList());
        }
    }
}
