package eagle.scenes;

import eagle.core.mask.BinaryMask;

/**
 * One annotated object: its visible pixels (exact, occluded parts excluded) and its class.
 *
 * @param instanceId unique within the data set ("s{seed}-{k}" for generated scenes)
 * @param classId taxonomy id
 * @param className taxonomy name
 * @param mask visible pixels, H × W
 */
public record Instance(String instanceId, int classId, String className, BinaryMask mask) {}
