package eagle.scenes.suite;

import eagle.scenes.CooccurrenceStats;
import java.util.List;
import java.util.Map;

/**
 * A held-out suite built from a COCO-format set by {@link CocoSuiteBuilder} (docs/METHOD.md §6).
 *
 * @param id content digest (first 16 hex digits of SHA-256 over the builder's version, its config,
 *     the annotation file's bytes and every image file's bytes)
 * @param classNames category names in classId order (categories sorted by COCO id): (C)
 * @param template prompt template ("{c}" → class name)
 * @param zeroShotItems one per usable instance of the evaluation images
 * @param pope evaluation images with their POPE questions ({@link PopeConstruction})
 * @param calibration the calibration images (carved from the same set) with theirs
 * @param mmvp pairs of evaluation images (count, presence, position)
 * @param stats image-level category statistics of the whole set
 * @param sizes what was built and what was left out, by name
 */
public record CocoSuite(
        String id,
        List<String> classNames,
        String template,
        List<ZeroShotItem> zeroShotItems,
        PopeSet pope,
        PopeSet calibration,
        List<MmvpPair> mmvp,
        CooccurrenceStats stats,
        Map<String, Integer> sizes)
        implements HeldOutSet {

    public CocoSuite {
        classNames = List.copyOf(classNames);
        zeroShotItems = List.copyOf(zeroShotItems);
        mmvp = List.copyOf(mmvp);
        sizes = Map.copyOf(sizes);
    }

    @Override
    public List<String> classPrompts() {
        return classNames.stream().map(n -> template.replace("{c}", n)).toList();
    }
}
