package eagle.registry.api;

import java.util.Map;

/**
 * The verdict on one slice of an evaluation suite (one split of one set, e.g. {@code
 * pope/adversarial}): passed or not, the slice's metric values, and why it failed.
 */
public record SliceVerdict(
        String slice, Boolean passed, Map<String, Double> metrics, String reason) {}
