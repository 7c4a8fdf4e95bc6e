package eagle.core.text;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The templates that turn a class name into the prompts whose text embeddings stand for the class
 * (docs/METHOD.md §3): each template holds {@value #PLACEHOLDER} or {@value #NAMED_PLACEHOLDER}
 * where the class name goes. With K templates a class has K prompts, whose normalised embeddings
 * are averaged (CLIP's zero-shot prompt ensembling).
 *
 * @param templates K ≥ 1 templates, each with at least one placeholder
 */
public record PromptTemplates(List<String> templates) {

    /** Placeholder for the class name, as in Python's {@code str.format}. */
    public static final String PLACEHOLDER = "{}";

    /** The named form of the placeholder. */
    public static final String NAMED_PLACEHOLDER = "{c}";

    /** CLIP's default prompt. */
    public static final PromptTemplates DEFAULT = new PromptTemplates(List.of("a photo of a {}."));

    private static final Pattern PLACEHOLDERS = Pattern.compile("\\{c?\\}");

    /**
     * @throws IllegalArgumentException for no templates or a template without a placeholder
     */
    public PromptTemplates {
        if (templates == null || templates.isEmpty()) {
            throw new IllegalArgumentException("at least one prompt template is needed");
        }
        for (String template : templates) {
            if (template == null
                    || !(template.contains(PLACEHOLDER) || template.contains(NAMED_PLACEHOLDER))) {
                throw new IllegalArgumentException(
                        "prompt template '"
                                + template
                                + "' has no "
                                + PLACEHOLDER
                                + " or "
                                + NAMED_PLACEHOLDER
                                + " where the class name goes");
            }
        }
        templates = List.copyOf(templates);
    }

    /** The given templates. */
    public static PromptTemplates of(String... templates) {
        return new PromptTemplates(List.of(templates));
    }

    /** K, the number of templates (prompts per class). */
    public int size() {
        return templates.size();
    }

    /** The K prompts of one class, in template order. */
    public List<String> prompts(String className) {
        List<String> prompts = new ArrayList<>(templates.size());
        for (String template : templates) {
            prompts.add(
                    PLACEHOLDERS.matcher(template).replaceAll(Matcher.quoteReplacement(className)));
        }
        return prompts;
    }

    /**
     * The C·K prompts of {@code classNames}, class-major: class c's prompts at rows c·K … c·K + K −
     * 1.
     */
    public List<String> prompts(List<String> classNames) {
        List<String> prompts = new ArrayList<>(classNames.size() * templates.size());
        for (String className : classNames) {
            prompts.addAll(prompts(className));
        }
        return prompts;
    }
}
