package eagle.evaluator.service;

import eagle.core.eval.Vectors;
import eagle.core.text.PromptTemplates;
import eagle.core.text.Tokenizer;
import eagle.scenes.suite.SuiteEncoder;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link SuiteEncoder} that prompts the suite's classes with the version's own templates
 * (docs/METHOD.md §6): when the runner asks for the texts of the class prompts, each class c gets
 * its K prompts ({@link PromptTemplates#prompts(String)}), their normalised text features are
 * averaged and re-normalised (CLIP's prompt ensembling; K = 1 is the plain prompt). A template the
 * tokenizer cannot prompt faithfully for a class ({@link Tokenizer#canPrompt}) is left out of that
 * class's average and counted; a class none of whose prompts fit is encoded with all of them (it
 * needs a feature) and counted as well. Other texts (MMVP statements) and the images go to the
 * delegate unchanged.
 */
final class PromptedSuiteEncoder implements SuiteEncoder {

    private final SuiteEncoder delegate;
    private final List<String> classPrompts;
    private final List<String> classNames;
    private final PromptTemplates templates;
    private final Tokenizer tokenizer;
    private int promptsLeftOut;
    private int classesWithoutPrompt;

    /**
     * @param classPrompts the suite's class prompts, as the runner asks for them: (C)
     * @param classNames the class names in the same order: (C)
     */
    PromptedSuiteEncoder(
            SuiteEncoder delegate,
            List<String> classPrompts,
            List<String> classNames,
            PromptTemplates templates,
            Tokenizer tokenizer) {
        this.delegate = delegate;
        this.classPrompts = List.copyOf(classPrompts);
        this.classNames = List.copyOf(classNames);
        this.templates = templates;
        this.tokenizer = tokenizer;
    }

    @Override
    public float[][] imageCls(List<BufferedImage> images) {
        return delegate.imageCls(images);
    }

    @Override
    public float[][][] imagePatches(List<BufferedImage> images) {
        return delegate.imagePatches(images);
    }

    @Override
    public int inputSize() {
        return delegate.inputSize();
    }

    @Override
    public float[][] texts(List<String> prompts) {
        if (!prompts.equals(classPrompts)) {
            return delegate.texts(prompts);
        }
        List<String> all = new ArrayList<>();
        List<int[]> rowsOfClass = new ArrayList<>(); // class c's rows in `all`
        for (String name : classNames) {
            List<String> own = templates.prompts(name); // (K)
            List<String> usable = own.stream().filter(tokenizer::canPrompt).toList();
            promptsLeftOut += own.size() - usable.size();
            if (usable.isEmpty()) {
                classesWithoutPrompt++;
                usable = own;
            }
            int[] rows = new int[usable.size()];
            for (int k = 0; k < rows.length; k++) {
                rows[k] = all.size();
                all.add(usable.get(k));
            }
            rowsOfClass.add(rows);
        }
        float[][] features = Vectors.normalizedRows(delegate.texts(all)); // (ΣK, D)
        float[][] out = new float[classNames.size()][]; // (C, D)
        for (int c = 0; c < out.length; c++) {
            float[] mean = new float[features[0].length];
            for (int row : rowsOfClass.get(c)) {
                for (int d = 0; d < mean.length; d++) {
                    mean[d] += features[row][d];
                }
            }
            out[c] = mean;
        }
        return Vectors.normalizedRows(out);
    }

    /** Class prompts left out because the tokenizer could not encode them faithfully. */
    int promptsLeftOut() {
        return promptsLeftOut;
    }

    /** Classes none of whose prompts the tokenizer could encode faithfully. */
    int classesWithoutPrompt() {
        return classesWithoutPrompt;
    }
}
