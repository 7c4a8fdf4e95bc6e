package eagle.core.eval;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import eagle.core.model.ClipModel;
import eagle.core.model.EncoderSpec;
import eagle.core.text.Tokenizer;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * {@code ./eagle text-cosines --model FILE TEXT TEXT ...}: the cosine between the text embeddings
 * of every two texts, under an encoder this project can load (its tokenizer from the file's
 * metadata, docs/METHOD.md §1). It answers whether an encoder tells two statements apart at all: an
 * MMVP pair (docs/METHOD.md §6) whose two statements embed alike cannot be scored right by any
 * image features. Prints one row per text.
 *
 * <p>Exit status: 0 printed, 1 the model could not be read or a text cannot be encoded, 2 the
 * command line is wrong.
 */
public final class TextCosines {

    static final String USAGE = "usage: text-cosines --model FILE.safetensors TEXT TEXT [TEXT ...]";

    private TextCosines() {}

    public static void main(String[] args) {
        if (args.length < 4 || !"--model".equals(args[0])) {
            System.err.println(USAGE);
            System.exit(2);
            return;
        }
        Path file = Path.of(args[1]);
        List<String> texts = Arrays.asList(args).subList(2, args.length);
        try {
            if (!Files.isRegularFile(file)) {
                throw new IOException("no such file: " + file);
            }
            print(texts, of(file, texts), System.out);
        } catch (IOException | IllegalArgumentException e) {
            System.err.println("text-cosines: " + e.getMessage());
            System.exit(1);
        }
    }

    /**
     * The cosines of the texts' embeddings under the encoder in {@code file}, (T, T).
     *
     * @throws IllegalArgumentException naming a text the encoder's tokenizer cannot encode
     */
    public static double[][] of(Path file, List<String> texts) throws IOException {
        Tokenizer tokenizer = EncoderSpec.read(file).createTokenizer();
        int[][] tokens =
                tokenizer.encodeEvery(
                        texts,
                        "every text is compared as written",
                        "a word outside its vocabulary, or a text longer than its context");
        try (ClipModel model = ClipModel.load(file, Device.cpu());
                NDArray features = model.encodeText(tokens)) {
            return cosines(features.toFloatArray(), texts.size());
        }
    }

    /** cos(x_i, x_j) of the rows of a row-major (T, D) array. */
    static double[][] cosines(float[] rows, int count) {
        int d = rows.length / count;
        float[][] x = new float[count][];
        for (int i = 0; i < count; i++) {
            x[i] = Arrays.copyOfRange(rows, i * d, (i + 1) * d);
        }
        double[][] c = new double[count][count];
        for (int i = 0; i < count; i++) {
            for (int j = 0; j < count; j++) {
                c[i][j] = Vectors.cosine(x[i], x[j]);
            }
        }
        return c;
    }

    /** One row per text: the text, then its cosine with every text, to three decimals. */
    static void print(List<String> texts, double[][] cosines, PrintStream out) {
        int width = texts.stream().mapToInt(String::length).max().orElse(0);
        for (int i = 0; i < texts.size(); i++) {
            StringBuilder row = new StringBuilder(String.format("%-" + width + "s", texts.get(i)));
            for (double c : cosines[i]) {
                row.append(String.format(" %6.3f", c));
            }
            out.println(row);
        }
    }
}
