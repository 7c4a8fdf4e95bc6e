package eagle.core.text;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The place phrases: class-major, one per place, in the enum's order. */
class PlacePhrasesTest {

    @Test
    void eachClassHasItsFourPlacesInOrder() {
        assertEquals(
                List.of(
                        "an orange disc on the left",
                        "an orange disc on the right",
                        "an orange disc at the top",
                        "an orange disc at the bottom",
                        "a traffic light on the left",
                        "a traffic light on the right",
                        "a traffic light at the top",
                        "a traffic light at the bottom"),
                PlacePhrases.of(List.of("orange disc", "traffic light")));
        assertEquals(4, PlacePhrases.PER_CLASS);
    }
}
