package eagle.scenes.suite;

import eagle.scenes.Scene;
import java.util.List;
import java.util.Map;

/**
 * Images and, per negative-sampling split, their questions: for each image every present class
 * (truth = yes) and as many absent classes (truth = no), positives first, in image order.
 */
public record PopeSet(List<Scene> images, Map<NegativeSampling, List<PopeQuestion>> questions) {

    public PopeSet {
        images = List.copyOf(images);
        questions = Map.copyOf(questions);
    }

    public List<PopeQuestion> questions(NegativeSampling split) {
        return questions.get(split);
    }
}
