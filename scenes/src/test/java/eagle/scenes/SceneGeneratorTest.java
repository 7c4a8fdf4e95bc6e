package eagle.scenes;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import eagle.core.mask.BinaryMask;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SceneGeneratorTest {

    private final SceneGenerator gen = SceneGenerator.standard();

    private static int[] pixels(BufferedImage img) {
        return img.getRGB(0, 0, img.getWidth(), img.getHeight(), null, 0, img.getWidth());
    }

    @Test
    void sameSeedSamePixelsAndMasksDifferentSeedsDiffer() {
        SceneGenerator other = SceneGenerator.standard(); // a second instance: no shared state
        for (long seed : new long[] {0, 1, 12345, SeedRanges.TRAINING_END - 1}) {
            Scene a = gen.generate(seed);
            Scene b = other.generate(seed);
            assertArrayEquals(pixels(a.image()), pixels(b.image()));
            assertEquals(a.instances(), b.instances()); // records: ids, classes, masks by value
            assertEquals(a.caption(), b.caption());
        }
        Set<String> distinct = new HashSet<>();
        for (long seed = 0; seed < 20; seed++) {
            distinct.add(java.util.Arrays.toString(pixels(gen.generate(seed).image())));
        }
        assertEquals(20, distinct.size());
    }

    @Test
    void anyResolutionIncludingNonSquare() {
        SceneGenerator g =
                gen.withConfig(
                        new SceneConfig(
                                128, 96, 2, 4, 0.18, 0.4, 0.15, 0.06, 0.1, 0.3, 0.85, 0.3, 3, 18));
        Scene s = g.generate(7);
        assertEquals(128, s.image().getWidth());
        assertEquals(96, s.image().getHeight());
        for (Instance i : s.instances()) {
            assertEquals(96, i.mask().height());
            assertEquals(128, i.mask().width());
        }
        assertEquals(224, SceneGenerator.standard(224).generate(3).image().getWidth());
    }

    /**
     * Exactness: recompute each visible mask independently as "covered by this object and by no
     * later object", check every mask pixel shows the object's colour/texture, masks are disjoint,
     * and pixels outside all masks show the background.
     */
    @Test
    void masksAreExactlyTheVisiblePixels() {
        int occludedPixels = 0;
        for (long seed = 0; seed < 60; seed++) {
            SceneLayout l = gen.layout(seed);
            Scene s = gen.render(l);
            int w = l.width();
            int h = l.height();
            int[] px = pixels(s.image());
            int[] bg = l.background().paint(w, h, l.backgroundSeed());
            List<PlacedObject> objs = l.objects();
            assertEquals(objs.size(), s.instances().size(), "the layout is visibility-filtered");
            int[] claimed = new int[w * h];
            for (int k = 0; k < objs.size(); k++) {
                Instance in = s.instances().get(k);
                PlacedObject o = objs.get(k);
                assertEquals(o.classId(), in.classId());
                for (int y = 0; y < h; y++) {
                    for (int x = 0; x < w; x++) {
                        boolean hidden = false;
                        for (int later = k + 1; later < objs.size(); later++) {
                            hidden |= objs.get(later).covers(x, y);
                        }
                        boolean expected = o.covers(x, y) && !hidden;
                        if (o.covers(x, y) && hidden) {
                            occludedPixels++;
                        }
                        assertEquals(
                                expected,
                                in.mask().get(y, x),
                                "seed " + seed + " obj " + k + " at " + x + "," + y);
                        if (expected) {
                            claimed[y * w + x]++;
                            assertEquals(o.colourAt(x, y), px[y * w + x] & 0xFFFFFF);
                        }
                    }
                }
                assertTrue(in.mask().area() >= 3, "every instance is visible");
            }
            for (int i = 0; i < claimed.length; i++) {
                assertTrue(claimed[i] <= 1, "pixel in two masks");
                if (claimed[i] == 0) {
                    assertEquals(bg[i], px[i] & 0xFFFFFF, "background pixel " + i);
                }
            }
        }
        assertTrue(
                occludedPixels > 100, "the sample must exercise occlusion, saw " + occludedPixels);
    }

    @Test
    void atLeast24VisuallyDistinctNamedClasses() {
        Taxonomy t = gen.taxonomy();
        assertTrue(t.size() >= 24);
        assertEquals(t.size(), new HashSet<>(t.names()).size());
        Set<String> signatures = new HashSet<>();
        for (ObjectClass c : t.classes()) {
            assertEquals(c.id(), t.idOf(c.name()));
            assertTrue(c.name().contains(c.colour().word()) && c.name().contains(c.shape().word()));
            // each class alone, same place, no jitter, plain background seed: the rendered pixels
            // differ
            PlacedObject o = gen.place(c.id(), 32, 32, 30, 0, new int[] {0, 0, 0});
            Scene s =
                    gen.render(new SceneLayout(0, 64, 64, "test", Background.PLAIN, 1, List.of(o)));
            signatures.add(java.util.Arrays.toString(pixels(s.image())));
        }
        assertEquals(t.size(), signatures.size());
        assertEquals(
                "This is an image of a striped red triangle",
                t.prompt(t.idOf("striped red triangle")));
        assertEquals(
                "a photo of a red disc",
                t.withTemplate("a photo of a {c}").prompt(t.idOf("red disc")));
    }

    @Test
    void worldHasRepeatsSmallObjectsEveryBackgroundAndSceneType() {
        boolean repeat = false;
        int small = 0;
        Set<String> backgrounds = new HashSet<>();
        Set<String> types = new HashSet<>();
        int multi = 0;
        for (long seed = 0; seed < 300; seed++) {
            Scene s = gen.generate(seed);
            backgrounds.add(s.background());
            types.add(s.sceneType());
            multi += s.instances().size() >= 3 ? 1 : 0;
            repeat |= s.presentClasses().size() < s.instances().size();
            for (Instance i : s.instances()) {
                small += i.mask().area() <= 20 ? 1 : 0;
            }
        }
        assertTrue(repeat, "some scene has two instances of one class");
        assertTrue(small > 10, "very small objects: " + small);
        assertTrue(multi > 100, "scenes with several objects: " + multi);
        assertEquals(Set.of("grass", "sand", "water", "plain", "noise"), backgrounds);
        assertEquals(Set.of("garden", "beach", "harbour", "workshop", "playroom"), types);
    }

    @Test
    void sceneTypesFavourTheirClasses() {
        Map<String, SceneType> byName = new HashMap<>();
        for (SceneType t : gen.sceneTypes()) {
            byName.put(t.name(), t);
        }
        int favoured = 0;
        int total = 0;
        for (long seed = 0; seed < 400; seed++) {
            Scene s = gen.generate(seed);
            for (Instance i : s.instances()) {
                total++;
                favoured += byName.get(s.sceneType()).favoured().contains(i.classId()) ? 1 : 0;
            }
        }
        // favoured sets hold 8 of 32 classes: uniform sampling would give 25%; the prior gives
        // ~85%+
        assertTrue(favoured > 0.75 * total, favoured + " of " + total);
    }

    private static final Map<String, Integer> NUMBER_WORDS =
            Map.of("a", 1, "two", 2, "three", 3, "four", 4, "five", 5, "six", 6);

    @Test
    void captionCountsMatchInstances() {
        Taxonomy t = gen.taxonomy();
        Map<String, Integer> plural = new HashMap<>();
        for (ObjectClass c : t.classes()) {
            plural.put(c.plural(), c.id());
        }
        for (long seed = 0; seed < 200; seed++) {
            Scene s = gen.generate(seed);
            Map<Integer, Integer> expected = new LinkedHashMap<>();
            for (Instance i : s.instances()) {
                expected.merge(i.classId(), 1, Integer::sum);
            }
            String phrase = Background.ofWord(s.background()).phrase();
            assertTrue(s.caption().endsWith(" " + phrase), s.caption());
            String body = s.caption().substring(0, s.caption().length() - phrase.length() - 1);
            Map<Integer, Integer> parsed = new LinkedHashMap<>();
            for (String part : body.split(", | and ")) {
                String[] words = part.split(" ", 2);
                int n = NUMBER_WORDS.get(words[0]);
                int id = n == 1 ? t.idOf(words[1]) : plural.get(words[1]);
                assertTrue(id >= 0, "unknown class in '" + part + "'");
                assertFalse(parsed.containsKey(id), "class named twice in " + s.caption());
                parsed.put(id, n);
            }
            assertEquals(expected, parsed, s.caption());
        }
    }

    @Test
    void forcedClassesAreDrawnInOrder() {
        SceneLayout l = gen.layoutWithClasses(99, 3, 3, 10);
        assertEquals(List.of(3, 3, 10), l.objects().stream().map(PlacedObject::classId).toList());
        BinaryMask m = gen.render(l).instances().get(0).mask();
        assertEquals(64, m.width());
        assertNotEquals(0, gen.render(l).instances().size());
    }

    @Test
    void seedRanges() {
        assertTrue(SeedRanges.isTraining(0));
        assertFalse(SeedRanges.isTraining(SeedRanges.TRAINING_END));
        long s = SeedRanges.suiteSeed(SeedRanges.SuiteSet.MMVP, 5);
        assertFalse(SeedRanges.isTraining(s));
        assertEquals(SeedRanges.SUITE_BASE + 3 * SeedRanges.SET_STRIDE + 5, s);
        org.junit.jupiter.api.Assertions.assertThrows(
                IllegalArgumentException.class, () -> SeedRanges.requireTraining(s));
        List<Long> firsts = new ArrayList<>();
        for (SeedRanges.SuiteSet set : SeedRanges.SuiteSet.values()) {
            firsts.add(SeedRanges.suiteSeed(set, 0));
        }
        assertEquals(4, new HashSet<>(firsts).size());
    }
}
