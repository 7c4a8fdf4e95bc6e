package eagle.core.method;

/**
 * How the instance-wise terms of the EAGLE losses are averaged over a batch's N instances
 * (docs/METHOD.md §3).
 *
 * <ul>
 *   <li>{@link #INSTANCE}: each instance counts 1/N in L_ins's image-to-text direction and in L_ce
 *       (the paper's formulation; a class with many instances in the batch weighs more);
 *   <li>{@link #CLASS}: each instance counts 1/(n_c · |C_B|), n_c the instances of its class c and
 *       |C_B| the classes present, so every class present weighs the same, as L_ins's text-to-image
 *       direction already does.
 * </ul>
 */
public enum LossWeighting {
    INSTANCE,
    CLASS
}
