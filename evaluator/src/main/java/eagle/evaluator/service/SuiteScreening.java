package eagle.evaluator.service;

import eagle.scenes.Scene;
import eagle.scenes.suite.MmvpPair;
import eagle.scenes.suite.NegativeSampling;
import eagle.scenes.suite.PopeQuestion;
import eagle.scenes.suite.PopeSet;
import eagle.scenes.suite.Suite;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Keeps the suite's images the evaluator can use and counts the others by reason, so no single
 * image stops an evaluation (docs/METHOD.md §6): an image without pixels ({@code no_image}), a
 * zero-shot image without the object that is its label ({@code no_object}); a POPE or calibration
 * image goes with its questions, an MMVP pair with either image. The suite id stays that of the
 * generated suite: screening is deterministic.
 */
final class SuiteScreening {

    /**
     * The usable suite and the number of images left out, by reason ({@code zeroshot.no_image}, …).
     */
    record Screened(Suite suite, Map<String, Integer> skipped) {

        int skippedTotal() {
            return skipped.values().stream().mapToInt(Integer::intValue).sum();
        }
    }

    private SuiteScreening() {}

    static Screened screen(Suite s) {
        Map<String, Integer> skipped = new TreeMap<>();
        List<Scene> zeroShot = new ArrayList<>();
        for (Scene scene : s.zeroShot()) {
            String why =
                    !hasPixels(scene)
                            ? "no_image"
                            : scene.instances().isEmpty() ? "no_object" : null;
            if (why == null) {
                zeroShot.add(scene);
            } else {
                skipped.merge("zeroshot." + why, 1, Integer::sum);
            }
        }
        PopeSet pope = screen("pope", s.pope(), skipped);
        PopeSet calibration = screen("calibration", s.calibration(), skipped);
        List<MmvpPair> mmvp = new ArrayList<>();
        for (MmvpPair p : s.mmvp()) {
            if (hasPixels(p.first()) && hasPixels(p.second())) {
                mmvp.add(p);
            } else {
                skipped.merge("mmvp.no_image", 1, Integer::sum);
            }
        }
        if (skipped.isEmpty()) {
            return new Screened(s, Map.of());
        }
        return new Screened(
                new Suite(
                        s.id(),
                        s.config(),
                        s.taxonomy(),
                        zeroShot,
                        pope,
                        calibration,
                        mmvp,
                        s.stats()),
                Map.copyOf(skipped));
    }

    private static PopeSet screen(String set, PopeSet in, Map<String, Integer> skipped) {
        int[] newIndex = new int[in.images().size()]; // old image index → new, −1 when left out
        List<Scene> kept = new ArrayList<>();
        for (int i = 0; i < newIndex.length; i++) {
            Scene scene = in.images().get(i);
            if (hasPixels(scene)) {
                newIndex[i] = kept.size();
                kept.add(scene);
            } else {
                newIndex[i] = -1;
                skipped.merge(set + ".no_image", 1, Integer::sum);
            }
        }
        if (kept.size() == newIndex.length) {
            return in;
        }
        Map<NegativeSampling, List<PopeQuestion>> questions = new EnumMap<>(NegativeSampling.class);
        for (NegativeSampling n : NegativeSampling.values()) {
            List<PopeQuestion> qs = new ArrayList<>();
            for (PopeQuestion q : in.questions(n)) {
                if (newIndex[q.imageIndex()] >= 0) {
                    qs.add(new PopeQuestion(newIndex[q.imageIndex()], q.classId(), q.truth()));
                }
            }
            questions.put(n, qs);
        }
        return new PopeSet(kept, questions);
    }

    private static boolean hasPixels(Scene scene) {
        return scene != null
                && scene.image() != null
                && scene.image().getWidth() > 0
                && scene.image().getHeight() > 0;
    }
}
