package eagle.trainer;

import java.util.List;

/**
 * Called before each step with the images of its batch: a test injects a fault here to make a round
 * fail on its data (the service uses {@link #NONE}).
 */
@FunctionalInterface
interface RoundFault {

    RoundFault NONE = (round, imageIds) -> {};

    void beforeStep(int round, List<String> imageIds);
}
