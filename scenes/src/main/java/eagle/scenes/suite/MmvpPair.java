package eagle.scenes.suite;

import eagle.scenes.Scene;

/**
 * Two images that differ in one detail, each with a statement true of it and false of the other.
 *
 * @param kind the detail that differs
 * @param first image 0
 * @param second image 1
 * @param firstStatement describes image 0 ("two red triangles on grass")
 * @param secondStatement describes image 1 ("three red triangles on grass")
 */
public record MmvpPair(
        MmvpKind kind, Scene first, Scene second, String firstStatement, String secondStatement) {}
