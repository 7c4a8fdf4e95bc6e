package eagle.core.optim;

import ai.djl.ndarray.NDArray;
import java.util.LinkedHashMap;
import java.util.Map;

/** Names of the optimizer state tensors in a checkpoint, and their parsing. */
final class StateNames {

    static final String EXP_AVG = ".exp_avg";
    static final String EXP_AVG_SQ = ".exp_avg_sq";
    static final String GALORE_BASIS = ".galore_basis";
    static final String STEP = "step";

    private StateNames() {}

    /** A saved state split by parameter: suffix → tensor for each parameter name. */
    record Parsed(int step, LinkedHashMap<String, Map<String, NDArray>> perParameter) {}

    /**
     * Splits {@code state} into the step count and the tensors of each parameter; every parameter
     * must have {@code exp_avg} and {@code exp_avg_sq}; {@code galore_basis} only when allowed.
     */
    static Parsed parse(Map<String, NDArray> state, boolean allowBasis) {
        NDArray stepArray = state.get(STEP);
        if (stepArray == null) {
            throw new IllegalArgumentException("optimizer state has no 'step' tensor");
        }
        int step = OptimArgs.stepFrom(stepArray);
        LinkedHashMap<String, Map<String, NDArray>> per = new LinkedHashMap<>();
        for (var e : state.entrySet()) {
            String key = e.getKey();
            if (key.equals(STEP)) {
                continue;
            }
            String suffix = suffixOf(key, allowBasis);
            String param = key.substring(0, key.length() - suffix.length());
            per.computeIfAbsent(param, k -> new LinkedHashMap<>()).put(suffix, e.getValue());
        }
        for (var e : per.entrySet()) {
            for (String required : new String[] {EXP_AVG, EXP_AVG_SQ}) {
                if (!e.getValue().containsKey(required)) {
                    throw new IllegalArgumentException(
                            "optimizer state of '"
                                    + e.getKey()
                                    + "' lacks '"
                                    + e.getKey()
                                    + required
                                    + "'");
                }
            }
        }
        return new Parsed(step, per);
    }

    /** Both moments of one parameter must have the same shape. */
    static void requireSameShape(String param, Map<String, NDArray> tensors) {
        NDArray m = tensors.get(EXP_AVG);
        NDArray v = tensors.get(EXP_AVG_SQ);
        if (!m.getShape().equals(v.getShape())) {
            throw new IllegalArgumentException(
                    "'"
                            + param
                            + "': exp_avg "
                            + m.getShape()
                            + " and exp_avg_sq "
                            + v.getShape()
                            + " differ in shape");
        }
    }

    private static String suffixOf(String key, boolean allowBasis) {
        for (String s : new String[] {EXP_AVG_SQ, EXP_AVG, GALORE_BASIS}) {
            if (key.endsWith(s) && key.length() > s.length()) {
                if (s.equals(GALORE_BASIS) && !allowBasis) {
                    break;
                }
                return s;
            }
        }
        throw new IllegalArgumentException("unknown optimizer state tensor '" + key + "'");
    }
}
