package eagle.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import eagle.scenes.pretrain.CountedScenes;
import org.junit.jupiter.api.Test;

class AnnotationSourceOptionsTest {

    @Test
    void aQuarterOfTheImagesAreCountedScenesUnlessToldOtherwise() {
        AnnotationSource.Options defaults = AnnotationSource.Options.parse(new String[0]);
        assertEquals(CountedScenes.FINE_TUNING_FRACTION, defaults.counted());
        assertEquals(0.25, defaults.counted());
        assertEquals(
                0.0, AnnotationSource.Options.parse(new String[] {"--counted", "0"}).counted());
        for (String bad : new String[] {"1.5", "-0.1", "NaN", "many"}) {
            IllegalArgumentException e =
                    assertThrows(
                            IllegalArgumentException.class,
                            () -> AnnotationSource.Options.parse(new String[] {"--counted", bad}));
            assertTrue(
                    e.getMessage().contains("--counted") || e instanceof NumberFormatException,
                    e.getMessage());
        }
    }
}
