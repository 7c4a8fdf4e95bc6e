package eagle.scenes.suite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import eagle.scenes.coco.CocoDataset;
import eagle.scenes.coco.CocoImport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * POPE construction on a hand-made COCO set; every expected question below was worked out by hand
 * from the annotations (frequencies and co-occurrences are listed in {@link #SET}'s comment).
 */
class PopeConstructionTest {

    /** COCO category id → name; index (sorted by id) 0 person … 7 boat. */
    private static final Map<Integer, String> CATEGORIES = new LinkedHashMap<>();

    static {
        String[] names = {"person", "car", "dog", "cat", "bicycle", "bench", "kite", "boat"};
        for (int i = 0; i < names.length; i++) {
            CATEGORIES.put(2 * i + 1, names[i]); // ids 1, 3, 5, …: not contiguous with the indices
        }
    }

    /**
     * Image id → categories annotated (a category may have two instances: image 3 has two cars).
     *
     * <pre>
     * image-level frequency: person 4, car 4, dog 2, cat 2, bicycle 2, boat 2, bench 1, kite 1
     * co-occurrence (images with both): person–car 3, person–bicycle 2, car–bicycle 2, person–dog 2,
     *   person–bench 1, dog–bench 1, car–dog 1, dog–bicycle 1, cat–kite 1, car–boat 1; all others 0
     * </pre>
     */
    private static final Map<Long, List<String>> SET = new LinkedHashMap<>();

    static {
        SET.put(1L, List.of("person", "car", "bicycle"));
        SET.put(2L, List.of("person", "dog", "bench"));
        SET.put(3L, List.of("person", "car", "car"));
        SET.put(4L, List.of("boat"));
        SET.put(5L, List.of("person", "car", "dog", "bicycle"));
        SET.put(6L, List.of());
        SET.put(7L, List.of("cat", "kite"));
        SET.put(8L, List.of("cat"));
        SET.put(9L, List.of("car", "boat"));
    }

    /**
     * Index of image id 5 (4 categories: its present questions are a seeded choice, checked apart).
     */
    private static final int IMAGE_5 = 4;

    @TempDir Path dir;

    @Test
    void popularNegativesAreTheMostFrequentAbsentCategories() throws IOException {
        Map<NegativeSampling, List<PopeQuestion>> q =
                PopeConstruction.questions(load(SET, CATEGORIES), 7);
        // absent by image frequency; ties by lower index (dog < cat < bicycle < boat; bench < kite)
        assertEquals(
                List.of(
                        "1: +person +car +bicycle -dog -cat -boat",
                        "2: +person +dog +bench -car -cat -bicycle",
                        "3: +person +car -dog -cat",
                        "4: +boat -person",
                        "7: +cat +kite -person -car",
                        "8: +cat -person",
                        "9: +car +boat -person -dog"),
                render(q.get(NegativeSampling.POPULAR), IMAGE_5));
    }

    @Test
    void adversarialNegativesCooccurMostWithThePresentOnes() throws IOException {
        Map<NegativeSampling, List<PopeQuestion>> q =
                PopeConstruction.questions(load(SET, CATEGORIES), 7);
        // 1: dog 2+1+1=4, bench 1, boat 1 (boat more frequent than bench, both taken), cat 0
        // 2: car 3+1=4, bicycle 2+1=3, then the zeros by frequency: cat (2, lower index than boat)
        // 3: bicycle 2+2=4, dog 2+1=3        4: car 1 (car–boat)
        // 7: all zero → by frequency: person, car (ties by index)      8: kite 1 (cat–kite)
        // 9: person 3+0=3, bicycle 2+0=2
        assertEquals(
                List.of(
                        "1: +person +car +bicycle -dog -bench -boat",
                        "2: +person +dog +bench -car -cat -bicycle",
                        "3: +person +car -dog -bicycle",
                        "4: +boat -car",
                        "7: +cat +kite -person -car",
                        "8: +cat -kite",
                        "9: +car +boat -person -bicycle"),
                render(q.get(NegativeSampling.ADVERSARIAL), IMAGE_5));
    }

    @Test
    void anImageWithMoreThanThreeCategoriesGetsThreeOfThemTheSameForEverySampling()
            throws IOException {
        Map<NegativeSampling, List<PopeQuestion>> q =
                PopeConstruction.questions(load(SET, CATEGORIES), 7);
        int image5 = IMAGE_5;
        Set<Integer> asked = null;
        for (NegativeSampling n : NegativeSampling.values()) {
            Set<Integer> yes = new TreeSet<>();
            Set<Integer> no = new TreeSet<>();
            for (PopeQuestion p : q.get(n)) {
                if (p.imageIndex() == image5) {
                    (p.truth() ? yes : no).add(p.classId());
                }
            }
            assertEquals(3, yes.size(), n.key());
            assertTrue(Set.of(0, 1, 2, 4).containsAll(yes), n + " asks " + yes);
            if (asked != null) {
                assertEquals(asked, yes, "the same present categories for every sampling");
            }
            asked = yes;
            // absent: cat, bench, kite, boat; popular: cat 2, boat 2, bench 1 (< kite by index);
            // adversarial: bench 1+1=2, boat 1 (car–boat), then cat (frequency 2) before kite
            if (n != NegativeSampling.RANDOM) {
                assertEquals(Set.of(3, 5, 7), no, n.key());
            } else {
                assertEquals(3, no.size());
                assertTrue(Set.of(3, 5, 6, 7).containsAll(no), "random picks absent ones: " + no);
            }
        }
    }

    @Test
    void randomNegativesAreAbsentAsManyAsPresentAndFixedBySeed() throws IOException {
        CocoDataset set = load(SET, CATEGORIES);
        List<PopeQuestion> a = PopeConstruction.questions(set, 7).get(NegativeSampling.RANDOM);
        assertEquals(
                a,
                PopeConstruction.questions(load(SET, CATEGORIES), 7).get(NegativeSampling.RANDOM));
        // the present questions are those of the popular split; the negatives are absent ones, one
        // per yes
        List<PopeQuestion> popular =
                PopeConstruction.questions(set, 7).get(NegativeSampling.POPULAR);
        assertEquals(
                popular.stream().filter(PopeQuestion::truth).toList(),
                a.stream().filter(PopeQuestion::truth).toList());
        for (PopeQuestion p : a) {
            if (!p.truth()) {
                assertTrue(
                        !PopeConstruction.present(set.images().get(p.imageIndex()))
                                .contains(p.classId()),
                        p.toString());
            }
        }
        for (int i = 0; i < set.images().size(); i++) {
            int idx = i;
            long yes = a.stream().filter(p -> p.imageIndex() == idx && p.truth()).count();
            long no = a.stream().filter(p -> p.imageIndex() == idx && !p.truth()).count();
            assertEquals(yes, no, "image index " + i);
        }
        // image 8 (cat only): over seeds, every one of the 7 absent categories is drawn
        Set<Integer> drawn = new HashSet<>();
        for (long seed = 0; seed < 200; seed++) {
            for (PopeQuestion p :
                    PopeConstruction.questions(set, seed).get(NegativeSampling.RANDOM)) {
                if (p.imageIndex() == 7 && !p.truth()) {
                    drawn.add(p.classId());
                }
            }
        }
        assertEquals(Set.of(0, 1, 2, 4, 5, 6, 7), drawn);
    }

    @Test
    void fewerAbsentCategoriesThanPresentOnesGiveFewerNegativesForEverySampling()
            throws IOException {
        Map<Integer, String> cats = new LinkedHashMap<>();
        cats.put(1, "a");
        cats.put(2, "b");
        cats.put(3, "c");
        cats.put(4, "d");
        Map<Long, List<String>> set = new LinkedHashMap<>();
        set.put(10L, List.of("a", "b", "c")); // only d absent
        set.put(11L, List.of("a", "b", "c", "d")); // nothing absent: three yes questions, no no
        set.put(12L, List.of("d"));
        Map<NegativeSampling, List<PopeQuestion>> q =
                PopeConstruction.questions(load(set, cats), 1);
        for (NegativeSampling n : NegativeSampling.values()) {
            List<String> r = render(q.get(n), -1);
            assertEquals("10: +a +b +c -d", r.get(0), n.key());
            assertTrue(r.get(1).matches("11: \\+\\w \\+\\w \\+\\w"), r.get(1));
        }
        // image 12: popular = most frequent absent (a, b, c all in 2 images → a); adversarial: d
        // co-occurs
        // with a, b, c once each (image 11) → a by index
        assertEquals("12: +d -a", render(q.get(NegativeSampling.POPULAR), -1).get(2));
        assertEquals("12: +d -a", render(q.get(NegativeSampling.ADVERSARIAL), -1).get(2));
    }

    /** One line per image with questions: "id: +present… -absent…" in the order asked. */
    private List<String> render(List<PopeQuestion> qs, int skipIndex) {
        Map<Integer, StringBuilder> lines = new LinkedHashMap<>();
        CocoDataset set = lastLoaded;
        for (PopeQuestion p : qs) {
            if (p.imageIndex() == skipIndex) {
                continue;
            }
            lines.computeIfAbsent(
                            p.imageIndex(), k -> new StringBuilder(set.images().get(k).id() + ":"))
                    .append(' ')
                    .append(p.truth() ? '+' : '-')
                    .append(set.categories().get(p.classId()).name());
        }
        return lines.values().stream().map(StringBuilder::toString).toList();
    }

    private CocoDataset lastLoaded;

    /**
     * Writes the set as COCO JSON (one 6×6 polygon square per instance in a 64×48 image) and reads
     * it back.
     */
    private CocoDataset load(Map<Long, List<String>> images, Map<Integer, String> categories)
            throws IOException {
        Map<String, Integer> idOf = new LinkedHashMap<>();
        categories.forEach((id, name) -> idOf.put(name, id));
        StringBuilder json = new StringBuilder("{\"images\": [");
        StringBuilder anns = new StringBuilder();
        int annId = 100;
        boolean firstImage = true;
        for (Map.Entry<Long, List<String>> e : images.entrySet()) {
            json.append(firstImage ? "" : ",")
                    .append("{\"id\": ")
                    .append(e.getKey())
                    .append(", \"file_name\": \"")
                    .append(e.getKey())
                    .append(".jpg\", \"width\": 64, \"height\": 48}");
            firstImage = false;
            int k = 0;
            for (String name : e.getValue()) {
                int x = 2 + 8 * k++;
                anns.append(anns.isEmpty() ? "" : ",")
                        .append("{\"id\": ")
                        .append(annId++)
                        .append(", \"image_id\": ")
                        .append(e.getKey())
                        .append(", \"category_id\": ")
                        .append(idOf.get(name))
                        .append(", \"iscrowd\": 0, \"segmentation\": [[")
                        .append(x)
                        .append(",2,")
                        .append(x + 6)
                        .append(",2,")
                        .append(x + 6)
                        .append(",8,")
                        .append(x)
                        .append(",8]]}");
            }
        }
        json.append("], \"annotations\": [").append(anns).append("], \"categories\": [");
        boolean firstCat = true;
        for (Map.Entry<Integer, String> c : categories.entrySet()) {
            json.append(firstCat ? "" : ",")
                    .append("{\"id\": ")
                    .append(c.getKey())
                    .append(", \"name\": \"")
                    .append(c.getValue())
                    .append("\"}");
            firstCat = false;
        }
        json.append("]}");
        Path f = Files.createTempFile(dir, "instances", ".json");
        Files.writeString(f, json);
        lastLoaded = CocoImport.read(f, dir, false);
        return lastLoaded;
    }
}
