package eagle.scenes.experiment;

import eagle.core.eval.Bootstrap;
import eagle.core.eval.ZeroShot;
import eagle.core.train.TrainingSample;
import eagle.scenes.ObjectClass;
import eagle.scenes.Taxonomy;
import eagle.scenes.suite.SuiteResult;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Classes the experiment leaves out of EAGLE's training data ({@code --held-out-classes}): their
 * instances are not annotated in the training samples (the objects stay in the images) and their
 * prompts are not among the trainer's, so the suite's zero-shot items of these classes measure the
 * skill on classes the fine-tuning never saw, as the paper's zero-shot benchmarks do. The suite
 * itself is unchanged.
 *
 * <p>Training class ids are renumbered to 0..K−1 in taxonomy order, so the trainer sees only the
 * classes it trains ({@link #trainingSamples}, {@link #trainingPrompts}).
 */
public final class HeldOutClasses {

    /**
     * The preset {@code balanced}: the 8 classes whose shape, colour and texture indices sum to a
     * multiple of 4, so every shape, colour and texture keeps training classes (each shape and
     * colour is held out twice, each texture four times).
     */
    static final String BALANCED = "balanced";

    /** Prefixes of {@link #figures}' keys. */
    static final String HELD_OUT = "held_out";

    static final String TRAINED = "trained";

    private final Taxonomy taxonomy;
    private final boolean[] held;
    private final int[] trainingId;
    private final List<Integer> trained = new ArrayList<>();

    private HeldOutClasses(Taxonomy taxonomy, boolean[] held) {
        this.taxonomy = taxonomy;
        this.held = held.clone();
        this.trainingId = new int[held.length];
        for (int c = 0; c < held.length; c++) {
            trainingId[c] = held[c] ? -1 : trained.size();
            if (!held[c]) {
                trained.add(c);
            }
        }
    }

    /** No class held out: training samples and prompts pass through unchanged. */
    public static HeldOutClasses none(Taxonomy taxonomy) {
        return new HeldOutClasses(taxonomy, new boolean[taxonomy.size()]);
    }

    /**
     * {@code balanced}, or class names separated by commas ("striped red triangle,blue disc").
     *
     * @throws IllegalArgumentException for an unknown name, a repeated one, or every class
     */
    public static HeldOutClasses parse(String spec, Taxonomy taxonomy) {
        boolean[] held = new boolean[taxonomy.size()];
        if (spec.strip().equals(BALANCED)) {
            for (ObjectClass c : taxonomy.classes()) {
                int sum = c.shape().ordinal() + c.colour().ordinal() + c.texture().ordinal();
                held[c.id()] = sum % 4 == 0;
            }
        } else {
            for (String raw : spec.split(",", -1)) {
                String name = raw.strip();
                if (!taxonomy.names().contains(name)) {
                    throw new IllegalArgumentException(
                            "--held-out-classes: '"
                                    + name
                                    + "' is not a class of the world (names such as '"
                                    + taxonomy.name(0)
                                    + "', or '"
                                    + BALANCED
                                    + "')");
                }
                int id = taxonomy.idOf(name);
                if (held[id]) {
                    throw new IllegalArgumentException(
                            "--held-out-classes: '" + name + "' is given twice");
                }
                held[id] = true;
            }
        }
        HeldOutClasses result = new HeldOutClasses(taxonomy, held);
        if (result.trained.isEmpty()) {
            throw new IllegalArgumentException(
                    "--held-out-classes: every class is held out, nothing is left to train on");
        }
        return result;
    }

    public boolean isEmpty() {
        return trained.size() == held.length;
    }

    public boolean isHeldOut(int classId) {
        return held[classId];
    }

    /** The held-out classes' names, in taxonomy order. */
    public List<String> names() {
        List<String> names = new ArrayList<>();
        for (int c = 0; c < held.length; c++) {
            if (held[c]) {
                names.add(taxonomy.name(c));
            }
        }
        return names;
    }

    /** The trained classes' names, indexed by training class id. */
    public List<String> trainingNames() {
        return trained.stream().map(taxonomy::name).toList();
    }

    /** The trained classes' prompts, indexed by training class id. */
    public List<String> trainingPrompts() {
        return trained.stream().map(taxonomy::prompt).toList();
    }

    /**
     * The samples without the held-out classes' instances, the others' class ids renumbered;
     * samples left without instances are dropped.
     */
    public List<TrainingSample> trainingSamples(List<TrainingSample> samples) {
        List<TrainingSample> out = new ArrayList<>(samples.size());
        for (TrainingSample s : samples) {
            List<TrainingSample.Instance> kept = new ArrayList<>(s.instances().size());
            for (TrainingSample.Instance i : s.instances()) {
                if (!held[i.classId()]) {
                    kept.add(new TrainingSample.Instance(trainingId[i.classId()], i.coverage()));
                }
            }
            if (!kept.isEmpty()) {
                out.add(new TrainingSample(s.imageId(), s.pixels(), kept));
            }
        }
        return out;
    }

    /** The per-item outcomes of the items whose label is held out ({@code heldOut}) or trained. */
    public boolean[] select(boolean[] outcomes, int[] labels, boolean heldOut) {
        if (outcomes.length != labels.length) {
            throw new IllegalArgumentException(
                    outcomes.length + " outcomes for " + labels.length + " labels");
        }
        boolean[] out = new boolean[outcomes.length];
        int n = 0;
        for (int i = 0; i < outcomes.length; i++) {
            if (held[labels[i]] == heldOut) {
                out[n++] = outcomes[i];
            }
        }
        return Arrays.copyOf(out, n);
    }

    /**
     * Zero-shot CLS and Seq of {@code r} over the held-out classes' items ({@code
     * held_out.zeroshot_cls}, {@code held_out.zeroshot_seq}) and the trained classes' ({@code
     * trained.…}), with intervals under the result's bootstrap options; empty when nothing is held
     * out, and without a group that has no items.
     */
    public Map<String, Fraction> figures(SuiteResult r, int[] labels) {
        Map<String, Fraction> out = new LinkedHashMap<>();
        if (isEmpty()) {
            return out;
        }
        for (String group : List.of(HELD_OUT, TRAINED)) {
            for (String metric : List.of("zeroshot_cls", "zeroshot_seq")) {
                boolean[] items = select(r.outcomesOf(metric), labels, group.equals(HELD_OUT));
                if (items.length > 0) { // a small suite may have no item of a held-out class
                    out.put(group + "." + metric, Fraction.of(items, r.bootstrap()));
                }
            }
        }
        return out;
    }

    /** The fraction of true outcomes of some items, and its bootstrap interval. */
    public record Fraction(double value, int items, Bootstrap.Interval ci) {
        static Fraction of(boolean[] outcomes, Bootstrap.Options options) {
            return new Fraction(
                    ZeroShot.fraction(outcomes),
                    outcomes.length,
                    Bootstrap.fractionCi(outcomes, options));
        }
    }
}
