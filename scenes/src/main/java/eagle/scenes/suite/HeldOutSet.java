package eagle.scenes.suite;

import java.util.List;

/**
 * What {@link SuiteRunner} evaluates (docs/METHOD.md §6): the synthetic {@link Suite} or a suite
 * built from a COCO-format set ({@link CocoSuite}). Class ids index {@link #classPrompts()}.
 */
public interface HeldOutSet {

    /** Content digest: changes whenever anything that makes the set changes. */
    String id();

    /** The class names: (C). */
    List<String> classNames();

    /** The prompt of each class: (C). */
    List<String> classPrompts();

    /** Zero-shot classification items. */
    List<ZeroShotItem> zeroShotItems();

    /** POPE images and questions. */
    PopeSet pope();

    /** Separate images whose questions choose the yes-threshold. */
    PopeSet calibration();

    /** MMVP-style pairs. */
    List<MmvpPair> mmvp();
}
