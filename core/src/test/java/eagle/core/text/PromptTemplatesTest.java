package eagle.core.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class PromptTemplatesTest {

    @Test
    void defaultIsClipsPhotoPrompt() {
        assertEquals(List.of("a photo of a dog."), PromptTemplates.DEFAULT.prompts("dog"));
        assertEquals(1, PromptTemplates.DEFAULT.size());
    }

    @Test
    void bothPlaceholdersTakeTheClassName() {
        PromptTemplates templates =
                PromptTemplates.of("This is an image of a {c}", "a {} next to a {}", "{c}");
        assertEquals(
                List.of(
                        "This is an image of a red star",
                        "a red star next to a red star",
                        "red star"),
                templates.prompts("red star"));
        // a class name holding placeholder-like text is inserted as it is
        assertEquals(
                List.of("This is an image of a {c} $1", "a {c} $1 next to a {c} $1", "{c} $1"),
                templates.prompts("{c} $1"));
    }

    @Test
    void promptsOfClassesAreClassMajor() {
        PromptTemplates templates = PromptTemplates.of("a {}", "the {}");
        assertEquals(
                List.of("a cat", "the cat", "a dog", "the dog"),
                templates.prompts(List.of("cat", "dog")));
    }

    @Test
    void templatesWithoutPlaceholderAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> PromptTemplates.of("a photo"));
        assertThrows(IllegalArgumentException.class, () -> PromptTemplates.of());
        assertThrows(IllegalArgumentException.class, () -> PromptTemplates.of("{class}"));
    }
}
