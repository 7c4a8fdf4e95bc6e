package eagle.core.train;

/**
 * The losses of one training step, read back to the host.
 *
 * @param step the step number (1 for the first step)
 * @param ins L_ins, the instance-text contrastive loss
 * @param ce L_ce, the sigmoid cross-entropy over instance-class pairs
 * @param retention λ·‖ĝ − ĝ₀‖² (0 when off)
 * @param total L = L_ins + L_ce + retention + textRetention + patchPresence + imagePresence +
 *     countPresence + place
 * @param lr learning rate the step used
 * @param instances instances in the batch
 * @param textRetention λ_t·mean_c ‖t_c − t_c(θ₀)‖², the prompt-retention term (0 when off;
 *     docs/METHOD.md §3)
 * @param patchPresence λ_p·L_ce over the owned patches, the patch presence term (0 when off;
 *     docs/METHOD.md §3)
 * @param imagePresence λ_i·L_ce over each image's soft maximum, the image presence term (0 when
 *     off; docs/METHOD.md §3)
 * @param countPresence λ_n·L_img over counted phrases, the count presence term (0 when off;
 *     docs/METHOD.md §3)
 * @param place λ_s·L_place over the patches of placed masks, the place term (0 when off;
 *     docs/METHOD.md §3)
 */
public record StepLosses(
        int step,
        double ins,
        double ce,
        double retention,
        double total,
        double lr,
        int instances,
        double textRetention,
        double patchPresence,
        double imagePresence,
        double countPresence,
        double place) {

    /**
     * The losses of a step without the optional terms (prompt retention, patch, image and count
     * presence, place).
     */
    public StepLosses(
            int step,
            double ins,
            double ce,
            double retention,
            double total,
            double lr,
            int instances) {
        this(step, ins, ce, retention, total, lr, instances, 0.0, 0.0, 0.0, 0.0, 0.0);
    }
}
