package eagle.scenes.experiment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import eagle.core.train.TrainingSample;
import eagle.scenes.Colour;
import eagle.scenes.ObjectClass;
import eagle.scenes.Shape;
import eagle.scenes.Taxonomy;
import eagle.scenes.Texture;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HeldOutClassesTest {

    private final Taxonomy taxonomy = Taxonomy.standard();

    @Test
    void balancedHoldsOutEightClassesAndLeavesEveryShapeColourAndTextureInTraining() {
        HeldOutClasses held = HeldOutClasses.parse("balanced", taxonomy);
        assertEquals(8, held.names().size(), held.names().toString());
        // the preset is defined by the enums' order: a reordering would change the classes the
        // measurements in docs/BENCHMARKS.md held out, so the set itself is pinned
        assertEquals(
                List.of(
                        "red square",
                        "striped yellow square",
                        "striped blue triangle",
                        "yellow triangle",
                        "striped green disc",
                        "blue disc",
                        "striped red star",
                        "green star"),
                held.names());
        Map<Shape, Integer> shapes = new EnumMap<>(Shape.class);
        Map<Colour, Integer> colours = new EnumMap<>(Colour.class);
        Map<Texture, Integer> textures = new EnumMap<>(Texture.class);
        for (String name : held.names()) {
            ObjectClass c = taxonomy.get(taxonomy.idOf(name));
            shapes.merge(c.shape(), 1, Integer::sum);
            colours.merge(c.colour(), 1, Integer::sum);
            textures.merge(c.texture(), 1, Integer::sum);
        }
        // each of 4 shapes and 4 colours held out twice (of 8 classes each), each texture 4 times
        assertEquals(4, shapes.size());
        assertTrue(shapes.values().stream().allMatch(n -> n == 2), shapes.toString());
        assertEquals(4, colours.size());
        assertTrue(colours.values().stream().allMatch(n -> n == 2), colours.toString());
        assertEquals(Map.of(Texture.SOLID, 4, Texture.STRIPED, 4), textures);
        assertEquals(24, held.trainingPrompts().size());
        assertFalse(held.isEmpty());
    }

    @Test
    void namesAreTheWorldsClassNamesAndBadListsAreRefusedByName() {
        HeldOutClasses held = HeldOutClasses.parse(" striped red triangle , blue disc", taxonomy);
        assertEquals(List.of("striped red triangle", "blue disc"), held.names());
        assertTrue(held.isHeldOut(taxonomy.idOf("blue disc")));
        assertFalse(held.isHeldOut(taxonomy.idOf("red disc")));
        for (String bad : new String[] {"purple disc", "blue disc,blue disc", ""}) {
            IllegalArgumentException e =
                    assertThrows(
                            IllegalArgumentException.class,
                            () -> HeldOutClasses.parse(bad, taxonomy),
                            bad);
            assertTrue(e.getMessage().startsWith("--held-out-classes"), e.getMessage());
        }
        String all = String.join(",", taxonomy.names());
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class, () -> HeldOutClasses.parse(all, taxonomy));
        assertTrue(e.getMessage().contains("nothing is left to train on"), e.getMessage());
    }

    @Test
    void trainingSamplesDropTheHeldOutInstancesAndRenumberTheRestInPromptOrder() {
        int disc = taxonomy.idOf("blue disc");
        int triangle = taxonomy.idOf("striped red triangle");
        int square = taxonomy.idOf("green square");
        HeldOutClasses held = HeldOutClasses.parse("blue disc,striped red triangle", taxonomy);
        float[] pixels = {1f};
        float[] coverage = {0.5f};
        List<TrainingSample> out =
                held.trainingSamples(
                        List.of(
                                new TrainingSample(
                                        "a",
                                        pixels,
                                        List.of(
                                                new TrainingSample.Instance(disc, coverage),
                                                new TrainingSample.Instance(square, coverage))),
                                new TrainingSample(
                                        "only-held",
                                        pixels,
                                        List.of(new TrainingSample.Instance(triangle, coverage)))));
        assertEquals(1, out.size(), "a sample left with no instance is dropped");
        assertEquals("a", out.get(0).imageId());
        assertSame(pixels, out.get(0).pixels());
        assertEquals(1, out.get(0).instances().size());
        int renumbered = out.get(0).instances().get(0).classId();
        // the renumbered id points at the same class's prompt in the trainer's prompt list
        assertEquals(taxonomy.prompt(square), held.trainingPrompts().get(renumbered));
        // independently: the square's id less the held-out ids below it
        int below = (disc < square ? 1 : 0) + (triangle < square ? 1 : 0);
        assertEquals(square - below, renumbered);

        HeldOutClasses none = HeldOutClasses.none(taxonomy);
        assertTrue(none.isEmpty());
        assertEquals(taxonomy.prompts(), none.trainingPrompts());
        assertEquals(
                square,
                none.trainingSamples(out.subList(0, 1)).get(0).instances().get(0).classId());
    }

    @Test
    void selectKeepsTheOutcomesOfOneGroupInItemOrder() {
        HeldOutClasses held = HeldOutClasses.parse("red square", taxonomy); // id 0
        int[] labels = {0, 1, 0, 2, 0};
        boolean[] outcomes = {true, false, false, true, true};
        assertArrayEquals(new boolean[] {true, false, true}, held.select(outcomes, labels, true));
        assertArrayEquals(new boolean[] {false, true}, held.select(outcomes, labels, false));
        assertThrows(
                IllegalArgumentException.class, () -> held.select(new boolean[2], labels, true));
        HeldOutClasses.Fraction f =
                HeldOutClasses.Fraction.of(
                        held.select(outcomes, labels, true),
                        eagle.core.eval.Bootstrap.Options.defaults());
        assertEquals(2 / 3.0, f.value(), 1e-12);
        assertEquals(3, f.items());
        assertTrue(f.ci().lower() <= f.value() && f.value() <= f.ci().upper(), f.toString());
    }
}
