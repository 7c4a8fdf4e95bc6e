package eagle.core.hf;

import java.util.Arrays;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reading a checkpoint's architecture off its tensor shapes, the steps {@link
 * OpenAiClipFile#inferConfig} and {@link EvaClipFile#inferConfig} share: a tensor the inference
 * needs, the number of blocks, the patch grid of the position embedding.
 */
final class CheckpointShapes {

    private CheckpointShapes() {}

    /**
     * The shape of {@code name}, which must be there with {@code rank} dimensions.
     *
     * @param hint appended to the message when the tensor is missing ("" for none)
     */
    static long[] need(
            Map<String, long[]> shapes, String name, int rank, String source, String hint) {
        long[] shape = shapes.get(name);
        if (shape == null) {
            throw new IllegalArgumentException(
                    source + " has no " + name + ", needed to infer the architecture" + hint);
        }
        if (shape.length != rank) {
            throw new IllegalArgumentException(
                    source
                            + " "
                            + name
                            + " has shape "
                            + Arrays.toString(shape)
                            + ", expected "
                            + rank
                            + " dimensions");
        }
        return shape;
    }

    /**
     * The number of blocks: 1 + the highest index {@code i} of the names that {@code pattern}
     * (group 1 the index) matches.
     *
     * @param what how the message names the blocks, e.g. "vision " ("" for plain "blocks")
     */
    static int blocks(Map<String, long[]> shapes, Pattern pattern, String what, String source) {
        int highest = -1;
        for (String name : shapes.keySet()) {
            Matcher m = pattern.matcher(name);
            if (m.matches()) {
                highest = Math.max(highest, Integer.parseInt(m.group(1)));
            }
        }
        if (highest < 0) {
            throw new IllegalArgumentException(
                    source
                            + " has no "
                            + what
                            + "blocks ("
                            + pattern.pattern().replace("\\", "")
                            + ")");
        }
        return highest + 1;
    }

    /**
     * The side g of the square patch grid that a position embedding of P+1 positions (the class
     * token first) covers, P = g².
     *
     * @param positions the embedding's shape, P+1 at {@code axis}
     */
    static int grid(String name, long[] positions, int axis, String source) {
        long patches = positions[axis] - 1;
        int grid = (int) Math.round(Math.sqrt(patches));
        if ((long) grid * grid != patches || grid == 0) {
            throw new IllegalArgumentException(
                    source
                            + ": "
                            + name
                            + " "
                            + Arrays.toString(positions)
                            + " does not hold a square grid of patches plus the class token");
        }
        return grid;
    }
}
