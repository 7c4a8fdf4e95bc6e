package eagle.evaluator.service;

import java.util.Map;

/**
 * One version of the held-out suite, recorded with every evaluation on it (docs/METHOD.md §6).
 *
 * @param id content digest (synthetic, COCO) or digest of the offsets covered (stream); results on
 *     different ids are never compared
 * @param source {@code synthetic}, {@code coco} or {@code stream}
 * @param detail what identifies the version besides its id: the COCO annotations file, or the
 *     stream's topic, offsets (partition → [from, to)) and the samples left out
 */
public record SuiteVersion(String id, String source, Map<String, String> detail) {

    public SuiteVersion {
        detail = Map.copyOf(detail);
    }
}
